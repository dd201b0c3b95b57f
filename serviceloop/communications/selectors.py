"""Reads of communications for UI, API and exports; always scoped to what the user may see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from serviceloop.core.filters import filter_given, search
from serviceloop.core.permissions import require, scope_by_customer, visible

from .models import Communication, Routing, overdue_q


def communication_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    channel: str = "",
    status: str = "",
    overdue: bool | None = None,
    major: bool | None = None,
    owner: int | None = None,
    department: int | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Communication]:
    require(user, "communication.view")
    now = now or timezone.now()
    qs = scope_by_customer(user, Communication.objects.all()).select_related(
        "customer", "owner", "taken_by"
    )
    qs = search(qs, q, "number", "subject", "body", "customer__name", "customer__code")
    qs = filter_given(qs, customer_id=customer, channel=channel, status=status)
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    qs = filter_given(qs, major_quality_issue=major, owner_id=owner)
    if department:
        qs = qs.filter(routings__department_id=department).distinct()
    qs = filter_given(qs, received_at__date__gte=received_from, received_at__date__lte=received_to)
    return qs


def communication_get(user: Any, pk: int) -> Communication:
    qs = visible(user, "communication.view", Communication.objects.all()).select_related(
        "customer",
        "owner",
        "taken_by",
        "contact",
        "answered_by",
        "feedback_by",
        "feedback_extended_by",
    )
    return get_object_or_404(qs, pk=pk)


def routing_get(user: Any, pk: int) -> Routing:
    qs = visible(
        user,
        "communication.view",
        Routing.objects.select_related("communication", "department"),
        field="communication__customer",
    )
    return get_object_or_404(qs, pk=pk)


def communication_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """The communications of a period for the half-year summary (R-5.9.6, R-5.9.1, R-5.2.4):
    how many were received; of those whose clock has run (answered, or due and not), how many
    were answered within 24 h and given feedback within the week; late entries (补录, issue
    10 §2) are counted beside the rates, as on-time is judged by the stated time."""
    from serviceloop.core.deadlines import local_day_bounds
    from serviceloop.core.late_entry import count_late_entries

    now = timezone.now()
    lo, hi = local_day_bounds(start, end)
    qs = scope_by_customer(user, Communication.objects.all()).filter(
        received_at__gte=lo, received_at__lt=hi
    )

    def clock(done: str, due: str) -> dict[str, Any]:
        owed = qs.filter(Q(**{f"{done}__isnull": False}) | Q(**{f"{due}__lt": now}))
        on_time = owed.filter(**{f"{done}__isnull": False, f"{done}__lte": F(due)}).count()
        late = owed.filter(**{f"{done}__isnull": False, f"{done}__gt": F(due)}).count()
        total = owed.count()
        clock_name = done.removesuffix("_at")
        return {
            "owed": total,
            "on_time": on_time,
            "late": late,
            "missing": total - on_time - late,
            "rate": (on_time / total) if total else None,
            "late_entries": count_late_entries(owed, clock_name),
        }

    by_channel = qs.values("channel").annotate(n=Count("pk")).order_by("-n", "channel")
    return {
        "received": qs.count(),
        "answer": clock("answered_at", "answer_due_at"),
        "feedback": clock("feedback_at", "feedback_due_at"),
        "extended": qs.exclude(feedback_extended_at=None).count(),
        "major": qs.filter(major_quality_issue=True).count(),
        "by_channel": {r["channel"]: r["n"] for r in by_channel},
    }
