"""All after-sales feedback about a part as one list of failures (R-5.4.3 (a)).

The procedure names claims *and* service records as the after-sales feedback signal; the
same failure is often reported twice (a service engineer records it, the car maker files a
claim for it, Sales registers a complaint). :func:`merge_feedback` keeps one failure per
event and records every source that reported it:

- a warranty claim and a service record are the same failure when they name the same VIN
  (the service record's vehicle field) or serial number of the same part;
- a complaint opened from a service record is that service record's failure;
- otherwise two reports of the same part, lot and day are one failure.

Failures from service records and complaints have no build month of their own. A complaint's
lot gives one where the part's claims tie that lot to a build month (the most common one);
the others stay on record (``no_build_month`` among the excluded, so the evidence says so)
and in the failure-mode Pareto. Pure: no database.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the selectors import Django models; this module stays importable without
    from serviceloop.warranty.selectors import AnalysisRow

CLAIM, SERVICE_RECORD, COMPLAINT, INFORMATION_FORM = (
    "warranty_claim",
    "service_record",
    "complaint",
    "information_feedback_form",
)
SOURCES = (CLAIM, SERVICE_RECORD, COMPLAINT, INFORMATION_FORM)
# The decision a field report carries: counted like a claim awaiting review.
FIELD_REPORT = "field_report"
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
SERVICE_RECORD_LABEL = "fieldservice.servicerecord"


def vin_in(text: str) -> str:
    """The VIN (17 characters, no I, O or Q) written in a free-text vehicle field, or ""."""
    found = _VIN.search((text or "").upper())
    return found.group(0) if found else ""


def source_counts(sources: Iterable[str]) -> dict[str, int]:
    """How many failures each source reported (a failure reported twice counts for both)."""
    counts: Counter[str] = Counter()
    for joined in sources:
        for source in str(joined).split("+"):
            if source:
                counts[source] += 1
    return {s: counts[s] for s in SOURCES if counts[s]}


class _Merger:
    def __init__(self, claims: Sequence[AnalysisRow]) -> None:
        self.rows: list[AnalysisRow] = list(claims)
        self.keys: dict[tuple[Any, ...], int] = {}
        lots: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for i, r in enumerate(self.rows):
            self._register(i, r.part_number, r.serial_number, r.vin, r.lot, r.failure_date)
            if r.lot and r.build_month:
                lots[(r.part_number, r.lot)][r.build_month] += 1
        self.lot_month = {k: c.most_common(1)[0][0] for k, c in lots.items()}

    def _keys(self, part: str, serial: str, vin: str, lot: str, day: Any) -> list[tuple]:
        keys: list[tuple] = []
        if serial:
            keys.append(("serial", part, serial.strip().upper()))
        if vin:
            keys.append(("vin", part, vin))
        if lot and day is not None:
            keys.append(("lot", part, lot.strip().upper(), day))
        return keys

    def _register(self, i: int, part: str, serial: str, vin: str, lot: str, day: Any) -> None:
        for key in self._keys(part, serial, vin, lot, day):
            self.keys.setdefault(key, i)

    def add(self, row: AnalysisRow, source: str, extra_keys: Sequence[tuple] = ()) -> int:
        """Merge into the failure it duplicates, else append; returns the row's index."""
        keys = [
            *extra_keys,
            *self._keys(row.part_number, row.serial_number, row.vin, row.lot, row.failure_date),
        ]
        for key in keys:
            i = self.keys.get(key)
            if i is not None:
                self._add_source(i, source)
                for k in keys:
                    self.keys.setdefault(k, i)
                return i
        if not row.build_month and row.lot:
            month = self.lot_month.get((row.part_number, row.lot))
            if month:
                row = row._replace(build_month=month)
        self.rows.append(row._replace(sources=source))
        i = len(self.rows) - 1
        for key in keys:
            self.keys.setdefault(key, i)
        return i

    def _add_source(self, i: int, source: str) -> None:
        have = self.rows[i].sources.split("+")
        if source not in have:
            self.rows[i] = self.rows[i]._replace(sources="+".join([*have, source]))


def merge_feedback(
    claims: Sequence[AnalysisRow],
    service_records: Iterable[dict[str, Any]] = (),
    complaints: Iterable[dict[str, Any]] = (),
) -> list[AnalysisRow]:
    """Claims plus the service records and complaints that report other failures, ordered
    by failure date (a failure several sources reported names them all in ``sources``)."""
    from serviceloop.warranty.selectors import AnalysisRow

    m = _Merger(claims)
    by_record: dict[str, int] = {}
    for r in service_records:
        row = AnalysisRow(
            part_number=r["part_number"],
            build_month="",
            failure_date=r["date"],
            purchase_date=None,
            mileage_km=r.get("mileage_km"),
            failure_mode=str(r.get("failure_mode") or ""),
            decision=FIELD_REPORT,
            vin=vin_in(r.get("vehicle", "")),
        )
        first = m.add(row, SERVICE_RECORD)
        if r.get("information_forms"):
            m._add_source(first, INFORMATION_FORM)
        by_record[str(r["id"])] = first
        for _ in range(int(r.get("units") or 1) - 1):  # several failed parts on one visit
            m.rows.append(m.rows[first]._replace(vin="", serial_number=""))
    for c in complaints:
        source = c.get("source")
        if source and source[0] == SERVICE_RECORD_LABEL and str(source[1]) in by_record:
            m._add_source(by_record[str(source[1])], COMPLAINT)
            continue
        row = AnalysisRow(
            part_number=c["part_number"],
            build_month="",
            failure_date=c["date"],
            purchase_date=None,
            mileage_km=None,
            failure_mode="",
            decision=FIELD_REPORT,
            lot=c.get("lot", ""),
        )
        m.add(row, COMPLAINT)
    return sorted(m.rows, key=lambda r: r.failure_date)
