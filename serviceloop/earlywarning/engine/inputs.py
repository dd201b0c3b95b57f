"""The data of one analysis, read once from the database into plain arrays (R-5.4.3).

Warranty claims come from the warranty app's ``claims_for_analysis`` (every claim, no
scope: this is a background analysis); production volumes, purchase volumes and survey
responses from this app's tables. :func:`fingerprint` hashes everything the analysis
depends on, so the schedule can skip a run when nothing changed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .common import ENGINE_VERSION


def feedback_rows(part_number: str | None = None) -> list[Any]:
    """Every failure reported after sale (R-5.4.3 (a)): warranty claims, service records and
    complaints, one row per failure (see :mod:`.feedback`)."""
    from serviceloop.complaints.selectors.analysis import complaints_for_analysis
    from serviceloop.fieldservice.selectors.analysis import records_for_analysis
    from serviceloop.warranty.selectors import claims_for_analysis

    from .feedback import merge_feedback

    return merge_feedback(
        claims_for_analysis(part_number),
        records_for_analysis(part_number),
        complaints_for_analysis(part_number),
    )


def load_claims() -> dict[str, Any]:
    """Every failure reported after sale as NumPy columns (see
    warranty.selectors.analysis_columns); ``sources`` names who reported each."""
    from serviceloop.warranty.selectors import analysis_columns

    return analysis_columns(feedback_rows())


def load_part_claims(part_number: str) -> dict[str, Any]:
    from serviceloop.warranty.selectors import analysis_columns

    return analysis_columns(feedback_rows(part_number))


@dataclass
class Inputs:
    as_of: date
    claims: dict[str, Any]
    production: dict[str, dict[str, int]]  # part -> build month -> units
    part_names: dict[str, str]
    # purchases: customer id -> month -> (quantity, amount or None)
    purchases: dict[int, dict[str, tuple[int, float | None]]]
    # surveys: one entry per response
    survey_kind: list[str] = field(default_factory=list)
    survey_customer: list[int | None] = field(default_factory=list)
    survey_date: list[date] = field(default_factory=list)
    survey_score: list[float] = field(default_factory=list)
    customers: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (code, name)
    # given claim baselines: part -> MIS -> (claims per unit at risk, source)
    baselines: dict[str, dict[int, tuple[float, str]]] = field(default_factory=dict)


def baseline_table(part_number: str | None = None) -> dict[str, dict[int, tuple[float, str]]]:
    from ..models import ClaimBaseline

    qs = ClaimBaseline.objects.all()
    if part_number is not None:
        qs = qs.filter(part_number=part_number)
    out: dict[str, dict[int, tuple[float, str]]] = defaultdict(dict)
    for part, mis, rate, source in qs.values_list("part_number", "mis", "rate_per_unit", "source"):
        out[part][int(mis)] = (float(rate), source)
    return dict(out)


def production_table(part_number: str | None = None) -> tuple[dict, dict]:
    from ..models import ProductionVolume

    qs = ProductionVolume.objects.all()
    if part_number is not None:
        qs = qs.filter(part_number=part_number)
    production: dict[str, dict[str, int]] = defaultdict(dict)
    names: dict[str, str] = {}
    for part, name, month, qty in qs.values_list(
        "part_number", "part_name", "build_month", "quantity"
    ):
        production[part][month] = int(qty)
        if name:
            names[part] = name
    return dict(production), names


def load_inputs(as_of: date) -> Inputs:
    from serviceloop.customers.models import Customer

    from ..models import PurchaseVolume, SurveyResponse

    production, names = production_table()
    purchases: dict[int, dict[str, tuple[int, float | None]]] = defaultdict(dict)
    for cust, month, qty, amount in PurchaseVolume.objects.values_list(
        "customer_id", "month", "quantity", "amount"
    ).order_by("customer_id", "month"):
        purchases[cust][month] = (int(qty), None if amount is None else float(amount))
    inputs = Inputs(
        as_of=as_of,
        claims=load_claims(),
        production=production,
        part_names=names,
        purchases=dict(purchases),
        baselines=baseline_table(),
    )
    for kind, cust, day, score in SurveyResponse.objects.values_list(
        "kind", "customer_id", "date", "score"
    ).order_by("date", "id"):
        inputs.survey_kind.append(kind)
        inputs.survey_customer.append(cust)
        inputs.survey_date.append(day)
        inputs.survey_score.append(float(score))
    ids = set(purchases) | {c for c in inputs.survey_customer if c is not None}
    inputs.customers = {
        pk: (code, name)
        for pk, code, name in Customer.objects.filter(pk__in=ids).values_list("id", "code", "name")
    }
    return inputs


def fingerprint(inputs: Inputs) -> str:
    """SHA-256 over every input of the analysis and the month it is done in."""
    h = hashlib.sha256()
    h.update(f"v{ENGINE_VERSION}|{inputs.as_of:%Y-%m}|".encode())
    for name in sorted(inputs.claims):
        column = np.asarray(inputs.claims[name])
        if column.dtype == object:
            h.update("\x1f".join(str(v) for v in column.tolist()).encode())
        else:
            h.update(np.ascontiguousarray(column).tobytes())
        h.update(b"|")
    for part in sorted(inputs.production):
        h.update(repr(sorted(inputs.production[part].items())).encode())
        h.update(part.encode())
    for part in sorted(inputs.baselines):
        h.update(repr((part, sorted(inputs.baselines[part].items()))).encode())
    for cust in sorted(inputs.purchases):
        h.update(repr((cust, sorted(inputs.purchases[cust].items()))).encode())
    h.update(
        repr(
            list(
                zip(
                    inputs.survey_kind,
                    inputs.survey_customer,
                    [d.isoformat() for d in inputs.survey_date],
                    inputs.survey_score,
                    strict=True,
                )
            )
        ).encode()
    )
    return h.hexdigest()


def part_changed_since(part_number: str, when: Any) -> bool:
    """Whether a warranty claim, production volume or claim baseline of the part was entered
    or changed after `when` (what makes its stored analysis stale; issue 15)."""
    from serviceloop.warranty.models import WarrantyClaim

    from ..models import ClaimBaseline, ProductionVolume

    return any(
        model.objects.filter(part_number=part_number, updated_at__gt=when).exists()
        for model in (WarrantyClaim, ProductionVolume, ClaimBaseline)
    )
