"""Reads of the early warning for UI, API and exports, always through the permission table
and the customer scope (an agent sees nothing here; a record out of scope is a 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.shortcuts import get_object_or_404

from serviceloop.core.filters import filter_given, search
from serviceloop.core.permissions import is_agent_only, require, scope_by_customer, visible

from ..models import (
    Alert,
    AnalysisRun,
    ClaimBaseline,
    FailureAnalysisReport,
    ProductionVolume,
    PurchaseVolume,
    SurveyResponse,
)


def _scoped_alerts(user: Any, qs: QuerySet, field: str = "") -> QuerySet:
    """Alerts without a customer are company-internal; with one, the customer scope applies."""
    prefix = f"{field}__" if field else ""
    if is_agent_only(user):
        return scope_by_customer(user, qs, field=f"{prefix}customer")
    return qs


def alert_list(
    user: Any,
    *,
    q: str = "",
    kind: str = "",
    status: str = "",
    severity: str = "",
    part_number: str = "",
    customer: int | None = None,
    signalling: bool | None = None,
    open_only: bool = False,
) -> QuerySet[Alert]:
    require(user, "ew.view")
    qs = _scoped_alerts(user, Alert.objects.select_related("customer", "report"))
    qs = search(qs, q, "number", "part_number", "cohort", "customer__name", "customer__code")
    qs = filter_given(
        qs,
        kind=kind,
        status=status,
        severity=severity,
        customer_id=customer,
        signalling=signalling,
    )
    if part_number:
        qs = qs.filter(part_number__iexact=part_number.strip())
    if open_only:
        qs = qs.exclude(status__in=["closed", "dismissed"])
    return qs


def alert_get(user: Any, pk: int) -> Alert:
    require(user, "ew.view")
    qs = _scoped_alerts(
        user,
        Alert.objects.select_related(
            "customer", "acknowledged_by", "dismissed_by", "closed_by", "first_run", "last_run"
        ),
    )
    return get_object_or_404(qs, pk=pk)


def report_list(user: Any, *, status: str = "", q: str = "") -> QuerySet[FailureAnalysisReport]:
    require(user, "ew.view")
    qs = _scoped_alerts(
        user,
        FailureAnalysisReport.objects.select_related("alert", "alert__customer", "created_by"),
        "alert",
    )
    qs = filter_given(qs, status=status)
    qs = search(qs, q, "number", "title", "alert__number")
    return qs


def report_get(user: Any, pk: int) -> FailureAnalysisReport:
    require(user, "ew.view")
    qs = _scoped_alerts(
        user,
        FailureAnalysisReport.objects.select_related(
            "alert", "alert__customer", "created_by", "issued_by"
        ),
        "alert",
    )
    return get_object_or_404(qs, pk=pk)


def run_list(user: Any) -> QuerySet[AnalysisRun]:
    require(user, "ew.view")
    return AnalysisRun.objects.select_related("requested_by")


def run_get(user: Any, pk: int) -> AnalysisRun:
    require(user, "ew.view")
    return get_object_or_404(AnalysisRun.objects.select_related("requested_by"), pk=pk)


def production_list(user: Any, *, part_number: str = "", q: str = "") -> QuerySet[ProductionVolume]:
    require(user, "ew.view")
    qs = ProductionVolume.objects.all()
    if part_number:
        qs = qs.filter(part_number__iexact=part_number.strip())
    qs = search(qs, q, "part_number", "part_name")
    return qs


def baseline_list(user: Any, *, part_number: str = "", q: str = "") -> QuerySet[ClaimBaseline]:
    """Claim baselines: of one part number (exact), or whose part number contains ``q``."""
    require(user, "ew.view")
    qs = ClaimBaseline.objects.all()
    if part_number:
        qs = qs.filter(part_number__iexact=part_number.strip())
    if q.strip():
        qs = qs.filter(part_number__icontains=q.strip())
    return qs


def baseline_get(user: Any, pk: int) -> ClaimBaseline:
    require(user, "ew.view")
    return get_object_or_404(ClaimBaseline, pk=pk)


def production_get(user: Any, pk: int) -> ProductionVolume:
    require(user, "ew.view")
    return get_object_or_404(ProductionVolume, pk=pk)


def purchase_list(
    user: Any, *, customer: int | None = None, month: str = ""
) -> QuerySet[PurchaseVolume]:
    qs = visible(user, "ew.view", PurchaseVolume.objects.select_related("customer"))
    qs = filter_given(qs, customer_id=customer, month=month)
    return qs


def purchase_get(user: Any, pk: int) -> PurchaseVolume:
    qs = visible(user, "ew.view", PurchaseVolume.objects.select_related("customer"))
    return get_object_or_404(qs, pk=pk)


def survey_list(
    user: Any, *, kind: str = "", customer: int | None = None
) -> QuerySet[SurveyResponse]:
    require(user, "ew.view")
    qs = SurveyResponse.objects.select_related("customer")
    if is_agent_only(user):
        qs = scope_by_customer(user, qs)
    qs = filter_given(qs, kind=kind, customer_id=customer)
    return qs


def survey_get(user: Any, pk: int) -> SurveyResponse:
    require(user, "ew.view")
    return get_object_or_404(survey_list(user), pk=pk)


def part_overview(user: Any) -> list[dict[str, Any]]:
    """Every part with production volumes: months, units, open alerts."""
    require(user, "ew.view")
    parts: list[dict[str, Any]] = [
        dict(row)
        for row in ProductionVolume.objects.values("part_number")
        .annotate(
            months=Count("id"),
            units=Sum("quantity"),
            last_month=Max("build_month"),
            name=Max("part_name"),
        )
        .order_by("part_number")
    ]
    open_alerts = dict(
        Alert.objects.exclude(status__in=["closed", "dismissed"])
        .exclude(part_number="")
        .values_list("part_number")
        .annotate(n=Count("id"))
    )
    for row in parts:
        row["open_alerts"] = open_alerts.get(row["part_number"], 0)
    return parts


def part_exists(part_number: str) -> bool:
    return ProductionVolume.objects.filter(part_number=part_number).exists()


def related_alerts(alert: Alert) -> QuerySet[Alert]:
    """Other episodes and alerts on the same subject (same part or customer)."""
    qs = Alert.objects.exclude(pk=alert.pk)
    if alert.part_number:
        return qs.filter(part_number=alert.part_number)
    if alert.customer_id:
        return qs.filter(customer_id=alert.customer_id)
    return qs.filter(kind=alert.kind)
