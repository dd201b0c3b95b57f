"""The complaints and 8Ds of a period for the half-year service work summary (R-5.9.6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count
from django.utils import timezone

from serviceloop.core.deadlines import local_day_bounds
from serviceloop.core.permissions import scope_by_customer

from ..models import (
    ActionItem,
    ActionStatus,
    CauseCategory,
    Complaint,
    DisciplineStatus,
    EightDReport,
    EightDStatus,
    Kind,
    RootCause,
)

TOP = 5


def complaint_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """Complaints received and closed in the period; 8D reports opened and closed in it; of
    the 8Ds opened in it, those still open with a discipline past its due date (overdue);
    open 8D actions past due; the leading parts and root-cause categories."""
    now = timezone.now()
    lo, hi = local_day_bounds(start, end)
    complaints = scope_by_customer(user, Complaint.objects.all())
    received = complaints.filter(received_at__gte=lo, received_at__lt=hi)
    reports = scope_by_customer(user, EightDReport.objects.all(), field="complaint__customer")
    opened = reports.filter(created_at__gte=lo, created_at__lt=hi)
    overdue = (
        opened.exclude(status=EightDStatus.CLOSED)
        .filter(disciplines__status=DisciplineStatus.OPEN, disciplines__due_at__lt=now)
        .distinct()
    )
    actions = ActionItem.objects.filter(report__in=opened).exclude(status=ActionStatus.CANCELLED)
    kinds = {k.value: str(k.label) for k in Kind}
    by_kind = received.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    parts = (
        received.exclude(part_number="")
        .values("part_number")
        .annotate(n=Count("pk"))
        .order_by("-n", "part_number")[:TOP]
    )
    categories = {k.value: str(k.label) for k in CauseCategory}
    causes = (
        RootCause.objects.filter(report__complaint__in=received)
        .values("category")
        .annotate(n=Count("report", distinct=True))
        .order_by("-n", "category")[:TOP]
    )
    return {
        "received": received.count(),
        "closed": complaints.filter(closed_at__gte=lo, closed_at__lt=hi).count(),
        "still_open": received.exclude(closed_at__isnull=False).count(),
        "by_kind": [[kinds.get(r["kind"], r["kind"]), r["n"]] for r in by_kind],
        "eight_d_opened": opened.count(),
        "eight_d_closed": reports.filter(closed_at__gte=lo, closed_at__lt=hi).count(),
        "eight_d_overdue": overdue.count(),
        "actions_overdue": actions.filter(status=ActionStatus.OPEN, due_at__lt=now).count(),
        "top_parts": [[r["part_number"], r["n"]] for r in parts],
        "top_causes": [[categories.get(r["category"], r["category"]), r["n"]] for r in causes],
    }
