"""Field service of a period for the half-year service work summary (R-5.9.6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Sum

from serviceloop.core.deadlines import local_day_bounds
from serviceloop.core.permissions import scope_by_customer

from ..models import (
    FailureMode,
    Outcome,
    PartsRequest,
    RequestStatus,
    ReturnForRepairForm,
    ReturnLine,
    ReturnStatus,
    ServiceRecord,
)

TOP = 5


def fieldservice_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """Service records dated in the period (cases, parts quantity, leading failure modes,
    outcomes); return-for-repair forms returned in it (not cancelled; received ones and
    their quantity); parts requests made in it (issued ones and the quantity issued)."""
    records = scope_by_customer(user, ServiceRecord.objects.all()).filter(
        service_date__gte=start, service_date__lte=end
    )
    modes = {k.value: str(k.label) for k in FailureMode}
    outcomes = {k.value: str(k.label) for k in Outcome}
    by_mode = records.values("failure_mode").annotate(n=Count("pk")).order_by("-n", "failure_mode")
    by_outcome = records.values("outcome").annotate(n=Count("pk")).order_by("-n", "outcome")
    returns = (
        scope_by_customer(user, ReturnForRepairForm.objects.all())
        .filter(return_date__gte=start, return_date__lte=end)
        .exclude(status=ReturnStatus.CANCELLED)
    )
    lo, hi = local_day_bounds(start, end)
    requests = scope_by_customer(user, PartsRequest.objects.all()).filter(
        requested_at__gte=lo, requested_at__lt=hi
    )
    issued = requests.filter(status__in=[RequestStatus.ISSUED, RequestStatus.CLOSED])
    return {
        "records": records.count(),
        "quantity": records.aggregate(q=Sum("quantity"))["q"] or 0,
        "major": records.filter(major_problem=True).count(),
        "top_failure_modes": [
            [modes.get(r["failure_mode"], r["failure_mode"]), r["n"]] for r in by_mode[:TOP]
        ],
        "by_outcome": [[outcomes.get(r["outcome"], r["outcome"]), r["n"]] for r in by_outcome],
        "returns": returns.count(),
        "returns_received": returns.filter(status=ReturnStatus.RECEIVED).count(),
        "returned_quantity": ReturnLine.objects.filter(form__in=returns).aggregate(
            q=Sum("quantity")
        )["q"]
        or 0,
        "parts_requests": requests.count(),
        "parts_requests_issued": issued.count(),
        "parts_issued": issued.aggregate(q=Sum("lines__issued_quantity"))["q"] or 0,
    }
