"""Reads of communications for UI, API and exports; always scoped to what the user may see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(subject__icontains=q)
            | Q(body__icontains=q)
            | Q(customer__name__icontains=q)
            | Q(customer__code__icontains=q)
        )
    if customer:
        qs = qs.filter(customer_id=customer)
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    if overdue is True:
        qs = qs.filter(overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(overdue_q(now))
    if major is not None:
        qs = qs.filter(major_quality_issue=major)
    if owner:
        qs = qs.filter(owner_id=owner)
    if department:
        qs = qs.filter(routings__department_id=department).distinct()
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
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
