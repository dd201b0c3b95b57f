"""Service records as plain rows for the early-warning engine (R-5.4.3 (a)).

For background analyses only: NO permission and NO customer scope, so these rows must never
feed a page or an API answer directly (same contract as warranty's ``claims_for_analysis``).
"""

from __future__ import annotations

from typing import Any

from ..models import InformationFeedbackForm, Outcome, ServiceRecord

# A record of this many parts still counts as this many failures at the most: a larger
# quantity is a batch finding, not so many field failures.
MAX_UNITS_PER_RECORD = 50


def records_for_analysis(part_number: str | None = None) -> list[dict[str, Any]]:
    """One row per service record of our part (not those judged "not our quality problem"),
    with the numbers of the issued information feedback forms that report it."""
    qs = ServiceRecord.objects.exclude(outcome=Outcome.NOT_OURS)
    if part_number is not None:
        qs = qs.filter(part__part_number=part_number)
    forms: dict[int, list[str]] = {}
    through = InformationFeedbackForm.records.through
    for record_id, number in (
        through.objects.filter(servicerecord__in=qs.values("pk"))
        .exclude(informationfeedbackform__status="draft")
        .values_list("servicerecord_id", "informationfeedbackform__number")
    ):
        forms.setdefault(record_id, []).append(number)
    rows = qs.order_by("service_date", "pk").values_list(
        "pk",
        "number",
        "part__part_number",
        "service_date",
        "mileage_km",
        "failure_mode",
        "vehicle",
        "quantity",
    )
    return [
        {
            "id": pk,
            "number": number,
            "part_number": part,
            "date": day,
            "mileage_km": None if km is None else float(km),
            "failure_mode": mode,
            "vehicle": vehicle or "",
            "units": max(1, min(int(qty or 1), MAX_UNITS_PER_RECORD)),
            "information_forms": forms.get(pk, []),
        }
        for pk, number, part, day, km, mode, vehicle, qty in rows.iterator(chunk_size=5000)
    ]
