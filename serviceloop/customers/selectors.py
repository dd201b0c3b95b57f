"""Reads of the customer archive, shared by UI, API and exports; always scoped to the user."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from serviceloop.core.filters import filter_given
from serviceloop.core.permissions import require, scope_by_customer, visible, visible_customers

from .filters import CUSTOMER_FILTERS
from .models import Contact, Customer, ServiceAgreement


def customer_list(
    user: Any,
    *,
    q: str = "",
    tier: str = "",
    agent: int | str | None = None,
    province: str = "",
    active: bool | None = None,
) -> QuerySet[Customer]:
    require(user, "customer.view")
    qs = visible_customers(user).select_related("agent")
    qs = CUSTOMER_FILTERS.apply(qs, q=q, tier=tier, agent=agent, province=province, active=active)
    if q:
        qs = qs.distinct()  # the search reaches the contacts
    # Counted per shown row (a correlated subquery on the customer's index), not by grouping
    # the join of every customer with every communication (issue 15: 0.85 s at 100,000).
    comms = Customer._meta.get_field("communications").related_model._default_manager
    open_ = (
        comms.filter(customer=OuterRef("pk"), feedback_at__isnull=True)
        .order_by()
        .values("customer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(open_communications=Coalesce(Subquery(open_), 0)).order_by("code")


def customer_get(user: Any, pk: int) -> Customer:
    require(user, "customer.view")
    return get_object_or_404(visible_customers(user).select_related("agent"), pk=pk)


def contact_get(user: Any, pk: int) -> Contact:
    return get_object_or_404(visible(user, "customer.view", Contact.objects.all()), pk=pk)


def agreement_list(
    user: Any, *, customer: int | None = None, in_force_on: date | None = None
) -> QuerySet[ServiceAgreement]:
    qs = visible(user, "agreement.view", ServiceAgreement.objects.select_related("customer"))
    qs = filter_given(qs, customer_id=customer)
    if in_force_on:
        qs = qs.filter(valid_from__lte=in_force_on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=in_force_on)
        )
    return qs


def agreement_get(user: Any, pk: int) -> ServiceAgreement:
    require(user, "agreement.view")
    return get_object_or_404(
        scope_by_customer(user, ServiceAgreement.objects.select_related("customer")), pk=pk
    )


def contact_options(user: Any, customer: int | str | None) -> QuerySet[Contact]:
    """The contacts on record for a customer the user may see (none for no customer); the
    contact pickers of other apps' forms offer these."""
    require(user, "customer.view")
    if customer in (None, "") or not str(customer).isdigit():
        return Contact.objects.none()
    return scope_by_customer(user, Contact.objects.filter(customer_id=int(customer)))


def choice_rows(qs: Any) -> Iterable[tuple[int, str]]:
    """(pk, label) of each customer as `str(customer)` labels it, without building customers:
    the options of a select of thousands (core.widgets.LargeSelect's `rows`)."""
    return ((pk, f"{code} {name}") for pk, code, name in qs.values_list("pk", "code", "name"))
