"""Writes to orders and contracts (R-5.2.1)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core import routing as core_routing
from serviceloop.core.audit import AuditAction, audit_create, snapshot
from serviceloop.core.models import Department, User
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked
from serviceloop.customers.models import Customer

from ..models import (
    Milestone,
    MilestoneCode,
    Order,
    OrderLine,
    OrderRouting,
    OrderStatus,
    ProgressUpdate,
)
from ..models.orders import ORDER_TRANSITIONS
from .common import check_time, customer_for, transition


def _clean_lines(
    lines: list[dict[str, Any]] | None,
    *,
    part_number: str | None,
    part_name: str,
    quantity: int | None,
    promised_date: date | None,
) -> list[dict[str, Any]]:
    """The order's lines: ``lines``, or the one part given by ``part_number``/``quantity``
    (the single-part form); each needs a part number and a quantity of at least 1, and is
    due on its own date or the order's promised date."""
    if not lines:
        if not (part_number or "").strip() and quantity is None:
            raise ValidationError({"lines": _("An order needs at least one part line.")})
        lines = [{"part_number": part_number, "description": part_name, "quantity": quantity}]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        where = "lines" if len(lines) > 1 else ""
        part = (line.get("part_number") or "").strip()
        qty = line.get("quantity")
        due = line.get("due_date") or promised_date
        name = (line.get("description") or line.get("part_name") or "").strip()

        def field(f: str, i: int = i, where: str = where) -> str:
            return f"{where}[{i}].{f}" if where else f

        if not part:
            raise ValidationError({field("part_number"): _("This field is required.")})
        if len(part) > 60 or len(name) > 100:
            raise ValidationError({field("part_number"): _("The text is too long.")})
        if part in seen:
            raise ValidationError({field("part_number"): _("This part is already on the order.")})
        seen.add(part)
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            raise ValidationError({field("quantity"): _("The quantity must be at least 1.")})
        if due is None:
            raise ValidationError({field("due_date"): _("This field is required.")})
        out.append({"part_number": part, "description": name, "quantity": qty, "due_date": due})
    return out


@transaction.atomic
def order_create(
    *,
    actor: User,
    customer: Customer | int,
    order_number: str,
    promised_date: date | None = None,
    lines: list[dict[str, Any]] | None = None,
    part_number: str | None = None,
    quantity: int | None = None,
    part_name: str = "",
    ordered_on: date | None = None,
    owner: User | None = None,
    milestones: dict[str, date | None] | None = None,
) -> Order:
    """Enter an order/contract to follow: its part lines (part number, description,
    quantity, due date) and its milestones' planned dates. The promised date defaults to the
    earliest line's due date."""
    require(actor, "order.change")
    cust = customer_for(actor, customer)
    cleaned = _clean_lines(
        lines,
        part_number=part_number,
        part_name=part_name,
        quantity=quantity,
        promised_date=promised_date,
    )
    promised = promised_date or min(line["due_date"] for line in cleaned)
    order = Order(
        customer=cust,
        order_number=(order_number or "").strip(),
        promised_date=promised,
        ordered_on=ordered_on,
        owner=owner or actor,
        created_by=actor,
    )
    order.full_clean(exclude=["import_batch"])
    if Order.objects.filter(customer=cust, order_number=order.order_number).exists():
        raise ValidationError({"order_number": _("This order is already on record.")})
    order.save()
    audit_create(actor=actor, obj=order)
    for position, line in enumerate(cleaned, start=1):
        created = OrderLine.objects.create(order=order, position=position, **line)
        audit_create(actor=actor, obj=created)
    plan = milestones or {}
    unknown = [code for code in plan if code not in MilestoneCode.values]
    if unknown:
        raise ValidationError({"milestones": _("Unknown milestone(s): %s") % ", ".join(unknown)})
    for code in MilestoneCode.values:
        Milestone.objects.create(order=order, code=code, planned_date=plan.get(code))
    return order


@transaction.atomic
def order_add_line(
    *,
    actor: User,
    order: Order,
    part_number: str,
    quantity: int,
    due_date: date | None = None,
    description: str = "",
) -> OrderLine:
    """Add a part line to an open order (a change of the order)."""
    require(actor, "order.change")
    order = locked(order)
    if order.status != OrderStatus.OPEN:
        raise ValidationError({"part_number": _("This order is already delivered.")})
    (line,) = _clean_lines(
        [
            {
                "part_number": part_number,
                "description": description,
                "quantity": quantity,
                "due_date": due_date,
            }
        ],
        part_number=None,
        part_name="",
        quantity=None,
        promised_date=order.promised_date,
    )
    if order.lines.filter(part_number=line["part_number"]).exists():
        raise ValidationError({"part_number": _("This part is already on the order.")})
    position = (
        order.lines.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    created = OrderLine.objects.create(order=order, position=position, **line)
    audit_create(actor=actor, obj=created)
    return created


def _line_of(order: Order, line: OrderLine | int | None) -> OrderLine | None:
    """The line (instance or id) the caller named, refused on `line` unless it is this
    order's; None when none was named."""
    if line is None:
        return None
    line_pk = line.pk if isinstance(line, OrderLine) else line
    the_line = order.lines.filter(pk=line_pk).first()
    if the_line is None:
        raise ValidationError({"line": _("No such line on this order.")})
    return the_line


@transaction.atomic
def order_plan(
    *, actor: User, order: Order, milestone: str, planned_date: date | None
) -> Milestone:
    """Set or move a milestone's planned date."""
    require(actor, "order.progress")
    order = locked(order)
    if milestone not in MilestoneCode.values:
        raise ValidationError({"milestone": _("Unknown milestone.")})
    ms, _created = Milestone.objects.get_or_create(order=order, code=milestone)
    before = snapshot(ms)
    ms.planned_date = planned_date
    return save_audited(ms, actor=actor, before=before)


@transaction.atomic
def order_progress(
    *,
    actor: User,
    order: Order,
    at: datetime | None,
    milestone: str = "",
    note: str = "",
    customer_told: bool = False,
    line: OrderLine | int | None = None,
) -> ProgressUpdate:
    """Record an update on the order's progress (a milestone reached, or a note), and
    whether the customer was told. For one line (``line``), the "delivered" milestone
    delivers that line; the order is delivered when every line is (the "delivered"
    milestone without a line delivers them all)."""
    require(actor, "order.progress")
    order = locked(order)
    check_time("at", at)
    assert at is not None
    if milestone and milestone not in MilestoneCode.values:
        raise ValidationError({"milestone": _("Unknown milestone.")})
    if not milestone and not (note or "").strip():
        raise ValidationError({"note": _("Give a milestone or a note.")})
    if order.status != OrderStatus.OPEN:
        raise ValidationError({"milestone": _("This order is already delivered.")})
    the_line = _line_of(order, line)
    if milestone == MilestoneCode.DELIVERED:
        _deliver(actor, order, the_line, at)
    elif milestone:
        _reach(actor, order, milestone, at)
    update = ProgressUpdate.objects.create(
        order=order,
        line=the_line,
        milestone=milestone,
        at=at,
        note=(note or "").strip(),
        customer_told=bool(customer_told),
        recorded_by=actor,
    )
    audit_create(actor=actor, obj=update)
    return update


def _reach(actor: User, order: Order, milestone: str, at: datetime) -> None:
    ms, _created = Milestone.objects.get_or_create(order=order, code=milestone)
    if ms.actual_at is not None:
        raise ValidationError({"milestone": _("This milestone was already reached.")})
    before = snapshot(ms)
    ms.actual_at = at
    save_audited(ms, actor=actor, before=before, action=AuditAction.TRANSITION)


def _deliver(actor: User, order: Order, line: OrderLine | None, at: datetime) -> None:
    """Deliver one line, or (no line) every line still open; the last one delivers the
    order and reaches its "delivered" milestone."""
    open_lines = list(order.lines.filter(delivered_at__isnull=True))
    if line is not None:
        if line.delivered_at is not None:
            raise ValidationError({"line": _("This line was already delivered.")})
        open_lines = [line]
    for each in open_lines:
        before = snapshot(each)
        each.delivered_at = at
        save_audited(each, actor=actor, before=before, action=AuditAction.TRANSITION)
    if order.lines.filter(delivered_at__isnull=True).exists():
        return
    _reach(actor, order, MilestoneCode.DELIVERED, at)
    before_o = snapshot(order)
    transition(order, ORDER_TRANSITIONS, OrderStatus.DELIVERED)
    save_audited(order, actor=actor, before=before_o, action=AuditAction.TRANSITION)


ROUTING_DAYS = 3  # working days a routed department has by default to acknowledge


@transaction.atomic
def order_route(
    *,
    actor: User,
    order: Order,
    departments: Iterable[Department],
    instruction: str,
    due_date: date | None = None,
    line: OrderLine | int | None = None,
) -> list[OrderRouting]:
    """Sales passes the order (or a change of it: ``line`` for a new line, the instruction
    for a new date) on to the departments that must act, each to acknowledge by the end of
    ``due_date`` (default: three working days). Every member of each department is told and
    sees it on "my work" (core.routing)."""
    require(actor, "order.route")
    order = locked(order)
    if order.status != OrderStatus.OPEN:
        raise ValidationError(
            {"order": _("This order is already delivered; there is nothing to pass on.")}
        )
    the_line = _line_of(order, line)
    default = deadlines.working_days_after(timezone.now(), ROUTING_DAYS)
    return core_routing.route(
        OrderRouting,
        actor=actor,
        parent=order,
        departments=departments,
        instruction=instruction,
        due_at=deadlines.end_of_day(due_date) if due_date else None,
        default_due=deadlines.end_of_day(deadlines.local_date(default)),
        due_field="due_date",
        instruction_required=True,
        line=the_line,
    )


def order_routing_acknowledge(
    *, actor: User, routing: OrderRouting, note: str = ""
) -> OrderRouting:
    """A member of the routed department acknowledges the routing, with an optional note
    (core.routing)."""
    return core_routing.respond(routing, actor=actor, text=note, field="note")
