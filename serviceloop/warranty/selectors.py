"""Reads of warranty claims for UI, API and exports — always scoped to what the user may see
(an agent only its own customers' claims; anything else is a 404). `claims_for_analysis` is
the one exception: a plain read for background jobs (see its docstring)."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from serviceloop.core.filters import filter_given, search
from serviceloop.core.models import AuditEntry
from serviceloop.core.permissions import scope_by_customer, visible

from .models import ClaimAttachment, WarrantyClaim, WarrantyDecisionRecord

CLAIM_TYPE = "warranty.warrantyclaim"
ATTACHMENT_TYPE = "warranty.claimattachment"


def claim_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    status: str = "",
    decision: str = "",
    part_number: str = "",
    build_month: str = "",
    overridden: bool | None = None,
    failure_from: date | None = None,
    failure_to: date | None = None,
    import_batch: int | None = None,
) -> QuerySet[WarrantyClaim]:
    qs = visible(user, "warranty.view", WarrantyClaim.objects.all()).select_related("customer")
    qs = search(
        qs,
        q,
        "number",
        "customer__name",
        "customer__code",
        "part_number",
        "serial_number",
        "lot",
        "vin",
        "failure_mode",
        "oem",
    )
    qs = filter_given(
        qs,
        customer_id=customer,
        status=status,
        decision=decision,
        part_number=part_number,
        build_month=build_month,
    )
    if overridden is True:
        qs = qs.filter(overridden_at__isnull=False)
    elif overridden is False:
        qs = qs.filter(overridden_at__isnull=True)
    qs = filter_given(
        qs,
        failure_date__gte=failure_from,
        failure_date__lte=failure_to,
        import_batch_id=import_batch,
    )
    return qs


def claim_get(user: Any, pk: int) -> WarrantyClaim:
    qs = visible(user, "warranty.view", WarrantyClaim.objects.all()).select_related(
        "customer",
        "agreement",
        "created_by",
        "overridden_by",
        "reviewed_by",
        "settled_by",
        "closed_by",
        "import_batch",
    )
    return get_object_or_404(qs, pk=pk)


def decision_history(claim: WarrantyClaim) -> QuerySet[WarrantyDecisionRecord]:
    """Every decision on a claim the caller already holds (so may see), oldest first."""
    return claim.decisions.select_related("decided_by").order_by("seq")


def claim_history(claim: WarrantyClaim) -> QuerySet[AuditEntry]:
    """The audit entries of a claim and of its attachments, in order."""
    attachment_ids = [str(pk) for pk in claim.attachments.values_list("pk", flat=True)]
    return (
        AuditEntry.objects.filter(
            Q(object_type=CLAIM_TYPE, object_id=str(claim.pk))
            | Q(object_type=ATTACHMENT_TYPE, object_id__in=attachment_ids)
        )
        .select_related("actor")
        .order_by("seq")
    )


def attachment_get(user: Any, claim_pk: int, pk: int) -> ClaimAttachment:
    """An attachment of a claim the user may see; a 404 otherwise."""
    claim = claim_get(user, claim_pk)
    return get_object_or_404(ClaimAttachment.objects.select_related("claim"), claim=claim, pk=pk)


class AnalysisRow(NamedTuple):
    part_number: str
    build_month: str  # "YYYY-MM" or "" when unknown
    failure_date: date
    purchase_date: date | None
    mileage_km: float | None
    failure_mode: str
    decision: str  # the decision in force (an override where there is one)
    serial_number: str = ""
    vin: str = ""
    lot: str = ""
    # the after-sales sources that reported this failure, "+"-joined (R-5.4.3 (a)); a claim
    # that a service record or complaint also reported names all of them
    sources: str = "warranty_claim"


def claims_for_analysis(part_number: str | None = None) -> list[AnalysisRow]:
    """Every warranty claim as plain rows for the early-warning engine (R-5.4.3 (a)),
    optionally of one part number, ordered by failure date.

    For background jobs and analyses only: it applies NO permission and NO customer scope,
    so it must never feed a page or an API answer directly. One query, no model instances;
    `analysis_columns` turns the rows into NumPy arrays.
    """
    qs = WarrantyClaim.objects.all()
    if part_number is not None:
        qs = qs.filter(part_number=part_number)
    rows = qs.order_by("failure_date", "id").values_list(
        "part_number",
        "build_month",
        "failure_date",
        "purchase_date",
        "mileage_km",
        "failure_mode",
        "decision",
        "serial_number",
        "vin",
        "lot",
    )
    return [
        AnalysisRow(p, b, f, pd, None if km is None else float(km), mode, d, sn, vin, lot)
        for p, b, f, pd, km, mode, d, sn, vin, lot in rows.iterator(chunk_size=5000)
    ]


def analysis_columns(rows: list[AnalysisRow]) -> dict[str, Any]:
    """The rows as NumPy columns: dates as datetime64[D] (NaT when missing), mileage as
    float (NaN when missing), text as object arrays."""
    import numpy as np

    def dates(values: list[date | None]) -> Any:
        return np.array([v if v is not None else "NaT" for v in values], dtype="datetime64[D]")

    return {
        "part_number": np.array([r.part_number for r in rows], dtype=object),
        "build_month": np.array([r.build_month for r in rows], dtype=object),
        "failure_date": dates([r.failure_date for r in rows]),
        "purchase_date": dates([r.purchase_date for r in rows]),
        "mileage_km": np.array(
            [np.nan if r.mileage_km is None else r.mileage_km for r in rows], dtype=float
        ),
        "failure_mode": np.array([r.failure_mode for r in rows], dtype=object),
        "decision": np.array([r.decision for r in rows], dtype=object),
        "sources": np.array([r.sources for r in rows], dtype=object),
    }


def warranty_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """Warranty claims reported in the period for the half-year summary (R-5.9.6): how many,
    how they were decided, their costs (CNY, of the claims accepted: approved or settled),
    and the leading failure modes."""
    from django.db.models import Count, Sum

    from .models import Status

    qs = scope_by_customer(user, WarrantyClaim.objects.all()).filter(
        reported_on__gte=start, reported_on__lte=end
    )
    accepted = qs.filter(status__in=[Status.APPROVED, Status.SETTLED])
    costs = accepted.aggregate(
        parts=Sum("cost_parts"),
        labour=Sum("cost_labour"),
        travel=Sum("cost_travel"),
        total=Sum("cost_total"),
    )
    modes = (
        qs.exclude(failure_mode="")
        .values("failure_mode")
        .annotate(n=Count("pk"))
        .order_by("-n", "failure_mode")[:5]
    )
    by_status = qs.values("status").annotate(n=Count("pk"))
    return {
        "claims": qs.count(),
        "accepted": accepted.count(),
        "rejected": qs.filter(
            Q(status=Status.REJECTED) | Q(status=Status.CLOSED, reviewed_at__isnull=False)
        ).count(),
        "settled": qs.filter(status=Status.SETTLED).count(),
        "by_status": {r["status"]: r["n"] for r in by_status},
        "cost_parts": float(costs["parts"] or 0),
        "cost_labour": float(costs["labour"] or 0),
        "cost_travel": float(costs["travel"] or 0),
        "cost_total": float(costs["total"] or 0),
        "top_failure_modes": [[r["failure_mode"], r["n"]] for r in modes],
    }
