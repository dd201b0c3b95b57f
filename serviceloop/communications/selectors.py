"""Reads of communications for UI, API and exports; always scoped to what the user may see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from serviceloop.core.filters import filter_given, search
from serviceloop.core.permissions import require, scope_by_customer

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
    require(user, "communication.view")
    qs = scope_by_customer(user, Communication.objects.all()).select_related(
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
    require(user, "communication.view")
    qs = scope_by_customer(
        user,
        Routing.objects.select_related("communication", "department"),
        field="communication__customer",
    )
    return get_object_or_404(qs, pk=pk)
