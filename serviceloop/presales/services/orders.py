"""Writes to orders and contracts (R-5.2.1)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from serviceloop.core.audit import AuditAction, audit_create, audit_update, snapshot
from serviceloop.core.models import User
from serviceloop.core.permissions import require
from serviceloop.customers.models import Customer

from ..models import Milestone, MilestoneCode, Order, OrderStatus, ProgressUpdate
from ..models.orders import ORDER_TRANSITIONS
from .common import check_time, customer_for, transition


@transaction.atomic
def order_create(
    *,
    actor: User,
    customer: Customer | int,
    order_number: str,
    part_number: str,
    quantity: int,
    promised_date: date,
    part_name: str = "",
    ordered_on: date | None = None,
    owner: User | None = None,
    milestones: dict[str, date | None] | None = None,
) -> Order:
    """Enter an order/contract to follow, with its milestones' planned dates."""
    require(actor, "order.change")
    cust = customer_for(actor, customer)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    if promised_date is None:
        raise ValidationError({"promised_date": _("This field is required.")})
    order = Order(
        customer=cust,
        order_number=(order_number or "").strip(),
        part_number=(part_number or "").strip(),
        part_name=(part_name or "").strip(),
        quantity=quantity,
        promised_date=promised_date,
        ordered_on=ordered_on,
        owner=owner or actor,
        created_by=actor,
    )
    order.full_clean(exclude=["import_batch"])
    order.save()
    audit_create(actor=actor, obj=order)
    plan = milestones or {}
    unknown = [code for code in plan if code not in MilestoneCode.values]
    if unknown:
        raise ValidationError({"milestones": _("Unknown milestone(s): %s") % ", ".join(unknown)})
    for code in MilestoneCode.values:
        Milestone.objects.create(order=order, code=code, planned_date=plan.get(code))
    return order


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def order_plan(
    *, actor: User, order: Order, milestone: str, planned_date: date | None
) -> Milestone:
    """Set or move a milestone's planned date."""
    require(actor, "order.progress")
    order = _lock(order)
    if milestone not in MilestoneCode.values:
        raise ValidationError({"milestone": _("Unknown milestone.")})
    ms, _created = Milestone.objects.get_or_create(order=order, code=milestone)
    before = snapshot(ms)
    ms.planned_date = planned_date
    ms.save()
    audit_update(actor=actor, obj=ms, before=before)
    return ms


@transaction.atomic
def order_progress(
    *,
    actor: User,
    order: Order,
    at: datetime | None,
    milestone: str = "",
    note: str = "",
    customer_told: bool = False,
) -> ProgressUpdate:
    """Record an update on the order's progress (a milestone reached, or a note), and
    whether the customer was told; the "delivered" milestone closes the order."""
    require(actor, "order.progress")
    order = _lock(order)
    check_time("at", at)
    assert at is not None
    if milestone and milestone not in MilestoneCode.values:
        raise ValidationError({"milestone": _("Unknown milestone.")})
    if not milestone and not (note or "").strip():
        raise ValidationError({"note": _("Give a milestone or a note.")})
    if order.status != OrderStatus.OPEN:
        raise ValidationError({"milestone": _("This order is already delivered.")})
    if milestone:
        ms, _created = Milestone.objects.get_or_create(order=order, code=milestone)
        if ms.actual_at is not None:
            raise ValidationError({"milestone": _("This milestone was already reached.")})
        before = snapshot(ms)
        ms.actual_at = at
        ms.save()
        audit_update(actor=actor, obj=ms, before=before, action=AuditAction.TRANSITION)
        if milestone == MilestoneCode.DELIVERED:
            before_o = snapshot(order)
            transition(order, ORDER_TRANSITIONS, OrderStatus.DELIVERED)
            order.save()
            audit_update(actor=actor, obj=order, before=before_o, action=AuditAction.TRANSITION)
    update = ProgressUpdate.objects.create(
        order=order,
        milestone=milestone,
        at=at,
        note=(note or "").strip(),
        customer_told=bool(customer_told),
        recorded_by=actor,
    )
    audit_create(actor=actor, obj=update)
    return update
