"""Reads of pre-sale records and orders for pages, API and exports; always scoped to the
customers the user may see, so a record outside the scope is a 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from serviceloop.core.filters import filter_given, search
from serviceloop.core.permissions import require, scope_by_customer, visible

from .models import (
    CustomerRequirement,
    Evaluation,
    FollowUpAction,
    Order,
    OrderRouting,
    RequirementAttachment,
    ResultLetter,
    SampleAttachment,
    SampleRequest,
    SpecialRequest,
)
from .models.orders import late_q
from .models.samples import CLOSED_SAMPLE
from .models.special import AGREEMENT_KINDS, CLOSED_SPECIAL, SpecialStatus


def _search(qs: QuerySet, q: str, *fields: str) -> QuerySet:
    """A search over `fields` and the customer's name and code."""
    return search(qs, q, "customer__name", "customer__code", *fields)


def late_evaluations_q(now: datetime) -> Q:
    late = Evaluation.objects.filter(
        requirement=OuterRef("pk"), evaluated_at__isnull=True, due_at__lt=now
    )
    return Q(Exists(late))


def requirement_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    status: str = "",
    late: bool | None = None,
    department: str = "",
    now: datetime | None = None,
) -> QuerySet[CustomerRequirement]:
    require(user, "requirement.view")
    now = now or timezone.now()
    qs = scope_by_customer(user, CustomerRequirement.objects.all()).select_related(
        "customer", "owner"
    )
    qs = _search(qs, q, "number", "subject", "description")
    qs = filter_given(qs, customer_id=customer, status=status)
    if late is True:
        qs = qs.filter(late_evaluations_q(now))
    elif late is False:
        qs = qs.exclude(late_evaluations_q(now))
    if department:
        qs = qs.filter(
            evaluations__department__code=department, evaluations__evaluated_at__isnull=True
        ).distinct()
    return qs.prefetch_related("evaluations__department")


def requirement_get(user: Any, pk: int) -> CustomerRequirement:
    qs = visible(user, "requirement.view", CustomerRequirement.objects.all()).select_related(
        "customer", "owner", "contact", "concluded_by", "order", "eight_d"
    )
    return get_object_or_404(qs, pk=pk)


def requirement_attachment_get(user: Any, pk: int, attachment_pk: int) -> RequirementAttachment:
    """An attachment of a requirement the user may see (404 otherwise)."""
    req = requirement_get(user, pk)
    return get_object_or_404(
        RequirementAttachment.objects.filter(requirement=req), pk=attachment_pk
    )


def followup_get(user: Any, pk: int) -> FollowUpAction:
    qs = visible(
        user,
        "requirement.view",
        FollowUpAction.objects.select_related("requirement"),
        field="requirement__customer",
    )
    return get_object_or_404(qs, pk=pk)


def sample_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    status: str = "",
    overdue: bool | None = None,
    now: datetime | None = None,
) -> QuerySet[SampleRequest]:
    require(user, "sample.view")
    now = now or timezone.now()
    qs = scope_by_customer(user, SampleRequest.objects.all()).select_related(
        "customer", "requested_by"
    )
    qs = _search(qs, q, "number", "part_number", "purpose")
    qs = filter_given(qs, customer_id=customer, status=status)
    overdue_q = Q(step_due_at__lt=now) & ~Q(status__in=CLOSED_SAMPLE)
    if overdue is True:
        qs = qs.filter(overdue_q)
    elif overdue is False:
        qs = qs.exclude(overdue_q)
    return qs


def sample_get(user: Any, pk: int) -> SampleRequest:
    qs = visible(user, "sample.view", SampleRequest.objects.all()).select_related(
        "customer", "requested_by"
    )
    return get_object_or_404(qs, pk=pk)


def sample_attachment_get(user: Any, pk: int, attachment_pk: int) -> SampleAttachment:
    """A file of a sample request the user may see (404 otherwise)."""
    return get_object_or_404(
        SampleAttachment.objects.filter(sample=sample_get(user, pk)), pk=attachment_pk
    )


def special_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    status: str = "",
    kind: str = "",
    overdue: bool | None = None,
    now: datetime | None = None,
) -> QuerySet[SpecialRequest]:
    require(user, "special.view")
    now = now or timezone.now()
    qs = scope_by_customer(user, SpecialRequest.objects.all()).select_related(
        "customer", "department", "requested_by"
    )
    qs = _search(qs, q, "number", "description")
    qs = filter_given(qs, customer_id=customer, status=status, kind=kind)
    overdue_q = Q(step_due_at__lt=now) & ~Q(status__in=CLOSED_SPECIAL)
    if overdue is True:
        qs = qs.filter(overdue_q)
    elif overdue is False:
        qs = qs.exclude(overdue_q)
    return qs


def special_get(user: Any, pk: int) -> SpecialRequest:
    qs = visible(user, "special.view", SpecialRequest.objects.all()).select_related(
        "customer", "department", "requested_by", "decided_by"
    )
    return get_object_or_404(qs, pk=pk)


def agreements_of(user: Any, customer_id: int) -> QuerySet[SpecialRequest]:
    """Technical and quality agreements provided to a customer, with their validity."""
    return special_list(user, customer=customer_id).filter(
        kind__in=AGREEMENT_KINDS, status=SpecialStatus.FULFILLED
    )


ORDER_SEARCH = ("order_number", "lines__part_number", "lines__description")


def order_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    status: str = "",
    late: bool | None = None,
    promised_from: date | None = None,
    promised_to: date | None = None,
    today: date | None = None,
) -> QuerySet[Order]:
    require(user, "order.view")
    today = today or timezone.localdate()
    qs = scope_by_customer(user, Order.objects.all()).select_related("customer", "owner")
    qs = qs.prefetch_related("lines", "routings")
    if q:  # one order per match, however many of its lines match
        qs = qs.filter(pk__in=_search(Order.objects.all(), q, *ORDER_SEARCH).values("pk"))
    qs = filter_given(qs, customer_id=customer, status=status)
    if late is not None:
        late_ids = Order.objects.filter(late_q(today)).values("pk")
        qs = qs.filter(pk__in=late_ids) if late else qs.exclude(pk__in=late_ids)
    qs = filter_given(qs, promised_date__gte=promised_from, promised_date__lte=promised_to)
    return qs.prefetch_related("milestones")


def order_get(user: Any, pk: int) -> Order:
    qs = visible(user, "order.view", Order.objects.all()).select_related("customer", "owner")
    return get_object_or_404(qs.prefetch_related("milestones", "lines", "routings"), pk=pk)


def order_routing_get(user: Any, order_id: int, pk: int) -> OrderRouting:
    """One routing of an order the user may see (404 otherwise)."""
    order = order_get(user, order_id)
    return get_object_or_404(OrderRouting.objects.filter(order=order), pk=pk)


def result_list(user: Any, *, customer: int | None = None) -> QuerySet[ResultLetter]:
    qs = visible(user, "result.view", ResultLetter.objects.all()).select_related("customer")
    return qs.filter(customer_id=customer) if customer else qs


def result_get(user: Any, pk: int) -> ResultLetter:
    qs = visible(user, "result.view", ResultLetter.objects.all()).select_related(
        "customer", "communication", "requirement", "sent_by"
    )
    return get_object_or_404(qs, pk=pk)
