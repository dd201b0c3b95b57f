"""Every write to visit plans, visit records and improvement actions (R-5.1.4, R-5.7)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.communications.models import Channel, Communication
from serviceloop.communications.services import communication_register
from serviceloop.core import deadlines
from serviceloop.core.audit import AuditAction, audit_create, audit_record, audit_update, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import has_role, require, visible_customers
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import delete_audited, save_audited
from serviceloop.core.statemachine import locked, move, transition
from serviceloop.core.validation import required_text
from serviceloop.customers.models import Customer, Tier

from .models import (
    ACTION_TRANSITIONS,
    PLAN_TRANSITIONS,
    RECORD_TRANSITIONS,
    ActionStatus,
    ImprovementAction,
    PlanStatus,
    RecordStatus,
    VisitCopy,
    VisitPlan,
    VisitPlanItem,
    VisitRecord,
)

CLOCK_SKEW = timedelta(minutes=5)
# the plan proposes every tier-1 OEM and key retail customer by default.
PROPOSED_TIERS = (Tier.OEM_TIER1, Tier.RETAIL_KEY)
PLAN_PEOPLE = (RoleCode.SALES, RoleCode.SALES_LEADER, RoleCode.COMPANY_LEADER)


def _customer(actor: User, customer: Customer | int) -> Customer:
    return customer_for(actor, customer)


# --- visit records ---------------------------------------------------------------------


@transaction.atomic
def visit_record_create(
    *,
    actor: User,
    customer: Customer | int,
    visited_at: datetime,
    summary: str,
    satisfaction: int,
    visitors: str = "",
    customer_people: str = "",
    opinions: str = "",
    product_quality: str = "",
    service_quality: str = "",
    problems: str = "",
    plan_item: VisitPlanItem | int | None = None,
) -> VisitRecord:
    """Sales fills the visit record (R-5.1.4, R-5.7.3); the department head reviews it next."""
    require(actor, "visit_record.create")
    cust = _customer(actor, customer)
    if visited_at is None:
        raise ValidationError({"visited_at": _("This field is required.")})
    if visited_at.tzinfo is None:
        raise ValidationError({"visited_at": _("Give the time with its time zone offset.")})
    if visited_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"visited_at": _("This time lies in the future.")})
    item = None
    if plan_item is not None:
        pk = plan_item.pk if isinstance(plan_item, VisitPlanItem) else plan_item
        item = VisitPlanItem.objects.select_related("plan").filter(pk=pk).first()
        if item is None:
            raise ValidationError({"plan_item": _("Unknown plan item.")})
        if item.customer_id != cust.pk:
            raise ValidationError({"plan_item": _("This plan item is for another customer.")})
        if item.plan.year != timezone.localtime(visited_at).year:
            raise ValidationError({"plan_item": _("This plan item belongs to another year.")})
    record = VisitRecord(
        customer=cust,
        plan_item=item,
        visited_at=visited_at,
        visitors=(visitors or "").strip() or str(actor),
        customer_people=customer_people,
        summary=summary,
        opinions=opinions,
        product_quality=product_quality,
        service_quality=service_quality,
        satisfaction=satisfaction,
        problems=problems,
        created_by=actor,
        number="pending",
    )
    return save_numbered(record, "VIS", visited_at, actor=actor)


@transaction.atomic
def visit_record_review(*, actor: User, record: VisitRecord, note: str = "") -> VisitRecord:
    """The department head reviews the record (R-5.1.4)."""
    require(actor, "visit_record.review")
    rec = locked(record)
    before = snapshot(rec)
    transition(rec, RecordStatus.REVIEWED, actor=actor, table=RECORD_TRANSITIONS, save=False)
    rec.reviewed_at, rec.reviewed_by, rec.review_note = timezone.now(), actor, (note or "").strip()
    return save_audited(rec, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def visit_record_distribute(
    *, actor: User, record: VisitRecord, departments: Iterable[Department]
) -> list[VisitCopy]:
    """Copies go to the chosen departments; the original stays with Sales (R-5.1.4).
    Each member of a receiving department sees it on "my work" until it is read."""
    require(actor, "visit_record.distribute")
    rec = locked(record)
    depts = list(departments)
    if not depts:
        raise ValidationError({"departments": _("Choose at least one department.")})
    before = snapshot(rec)
    transition(rec, RecordStatus.DISTRIBUTED, actor=actor, table=RECORD_TRANSITIONS, save=False)
    rec.save()
    have = set(rec.copies.values_list("department_id", flat=True))
    created = []
    for dept in depts:
        if dept.pk in have:
            continue
        copy = VisitCopy.objects.create(record=rec, department=dept, distributed_by=actor)
        created.append(copy)
        audit_create(actor=actor, obj=copy)
        notify(
            User.objects.filter(is_active=True, department=dept),
            kind="visit_copy",
            title=Message(
                gettext_noop("Visit record for your department: %(n)s %(c)s"),
                n=rec.number,
                c=rec.customer.name,
            ),
            url=rec.get_absolute_url(),
            dedupe_key=f"visit_copy:{copy.pk}",
        )
    audit_update(actor=actor, obj=rec, before=before, action=AuditAction.TRANSITION)
    return created


@transaction.atomic
def visit_copy_read(*, actor: User, record: VisitRecord) -> VisitCopy:
    """A member of a receiving department records that the department has read its copy."""
    require(actor, "visit_record.read")
    if actor.department_id is None:
        raise ValidationError({"department": _("No copy was sent to your department.")})
    copy = (
        VisitCopy.objects.select_for_update()
        .filter(record_id=record.pk, department_id=actor.department_id)
        .first()
    )
    if copy is None:
        raise ValidationError({"department": _("No copy was sent to your department.")})
    if copy.read_at is None:
        before = snapshot(copy)
        copy.read_at, copy.read_by = timezone.now(), actor
        save_audited(copy, actor=actor, before=before)
    return copy


@transaction.atomic
def visit_record_raise_communication(
    *, actor: User, record: VisitRecord, subject: str, body: str = ""
) -> Communication:
    """A problem found on the visit becomes a communication in one step (R-5.1.4): the usual
    24 h / 1 week clocks start now, when Sales has the problem in writing (R-5.7.4)."""
    require(actor, "visit_record.raise")
    rec = locked(record)
    required_text("subject", subject, _("This field is required."))
    comm = communication_register(
        actor=actor,
        customer=rec.customer,
        channel=Channel.VISIT,
        received_at=timezone.now(),
        subject=subject.strip(),
        body=(body or "").strip() or rec.problems or rec.summary,
        contact_name=rec.customer_people,
    )
    rec.communications.add(comm)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=rec,
        after={"communication": comm.number},
        reason=_("Problem raised as a communication."),
    )
    return comm


# --- improvement actions (R-5.7.4) ------------------------------------------------------


@transaction.atomic
def improvement_action_create(
    *,
    actor: User,
    record: VisitRecord,
    description: str,
    owner: User,
    department: Department,
    due_date: date,
) -> ImprovementAction:
    require(actor, "visit_action.create")
    if due_date is None:
        raise ValidationError({"due_date": _("This field is required.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date lies in the past.")})
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("Choose an active user.")})
    action = ImprovementAction(
        record=record,
        description=(description or "").strip(),
        owner=owner,
        department=department,
        due_date=due_date,
        due_at=deadlines.end_of_day(due_date),
        created_by=actor,
    )
    save_audited(action, actor=actor, before=None, clean=True)
    notify(
        [owner],
        kind="visit_action",
        title=Message(gettext_noop("Improvement action for you: %(n)s"), n=record.number),
        body=Message.verbatim(action.description),
        url=record.get_absolute_url(),
        dedupe_key=f"visit_action:{action.pk}",
    )
    return action


def _may_close(actor: User, action: ImprovementAction) -> bool:
    return (
        actor.pk == action.owner_id
        or (actor.department_id is not None and actor.department_id == action.department_id)
        or has_role(actor, RoleCode.ADMIN, RoleCode.SALES_LEADER)
    )


@transaction.atomic
def improvement_action_close(
    *, actor: User, action: ImprovementAction, note: str
) -> ImprovementAction:
    """The owner (or the owning department) reports the action done."""
    require(actor, "visit_action.close")
    act = locked(action)
    if not _may_close(actor, act):
        raise ValidationError(
            {"owner": _("Only the owner or the owning department closes this action.")}
        )
    required_text("note", note, _("Say what was done."))
    before = snapshot(act)
    transition(act, ActionStatus.CLOSED, actor=actor, table=ACTION_TRANSITIONS, save=False)
    act.closed_at, act.closed_by, act.closure_note = timezone.now(), actor, note.strip()
    return save_audited(act, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def improvement_action_verify(
    *, actor: User, action: ImprovementAction, effective: bool, note: str = ""
) -> ImprovementAction:
    """Sales verifies a closed action: effective → verified; not effective → open again."""
    require(actor, "visit_action.verify")
    act = locked(action)
    if not effective and not (note or "").strip():
        raise ValidationError({"note": _("Say why the action is not effective.")})
    before = snapshot(act)
    transition(
        act,
        ActionStatus.VERIFIED if effective else ActionStatus.OPEN,
        actor=actor,
        table=ACTION_TRANSITIONS,
        save=False,
    )
    act.verification_note = (note or "").strip()
    if effective:
        act.verified_at, act.verified_by = timezone.now(), actor
    else:
        act.closed_at, act.closed_by = None, None
    return save_audited(act, actor=actor, before=before, action=AuditAction.TRANSITION)


# --- the annual visit plan (R-5.7.1) ----------------------------------------------------


@dataclass(frozen=True)
class ItemIn:
    customer: int
    planned_month: int
    purpose: str = ""
    visitors: str = ""


def proposed_items(year: int) -> list[ItemIn]:
    """R-5.7.1: every tier-1 OEM and key retail customer, spread over the year."""
    customers = Customer.objects.filter(tier__in=PROPOSED_TIERS).order_by("tier", "name")
    purpose = _("Annual visit: opinions, product and service quality, satisfaction")
    return [
        ItemIn(customer=c.pk, planned_month=2 + (i % 10), purpose=purpose)
        for i, c in enumerate(customers)
    ]


def _set_items(actor: User, plan: VisitPlan, items: Iterable[ItemIn | dict[str, Any]]) -> None:
    rows = [ItemIn(**i) if isinstance(i, dict) else i for i in items]
    visible = set(visible_customers(actor).values_list("pk", flat=True))
    errors = []
    for n, row in enumerate(rows, 1):
        if row.customer not in visible:
            errors.append(_("Item %(n)s: unknown customer.") % {"n": n})
        if not 1 <= int(row.planned_month) <= 12:
            errors.append(_("Item %(n)s: the month must be 1 to 12.") % {"n": n})
    if errors:
        raise ValidationError({"items": errors})
    if plan.items.filter(visits__isnull=False).exists():
        raise ValidationError({"items": _("Visits were recorded against this plan's items.")})
    plan.items.all().delete()
    VisitPlanItem.objects.bulk_create(
        VisitPlanItem(
            plan=plan,
            customer_id=row.customer,
            planned_month=int(row.planned_month),
            purpose=row.purpose[:300],
            visitors=row.visitors[:200],
        )
        for row in rows
    )


def _item_digest(plan: VisitPlan) -> list[str]:
    return [
        f"{i.customer_id}:{i.planned_month}:{i.purpose}:{i.visitors}"
        for i in plan.items.order_by("pk")
    ]


@transaction.atomic
def visit_plan_create(
    *,
    actor: User,
    year: int,
    items: Iterable[ItemIn | dict[str, Any]] | None = None,
    note: str = "",
) -> VisitPlan:
    """Sales drafts the year's plan; without items it is proposed from the customer archive."""
    require(actor, "visit_plan.draft")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Give a year such as 2027.")})
    if VisitPlan.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a plan for %(y)s.") % {"y": year}})
    plan = VisitPlan.objects.create(
        year=year,
        approval_due=deadlines.visit_plan_approval_due(int(year)),
        note=note,
        created_by=actor,
    )
    _set_items(actor, plan, proposed_items(int(year)) if items is None else items)
    audit_create(actor=actor, obj=plan)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=plan, after={"items": _item_digest(plan)}
    )
    return plan


@transaction.atomic
def visit_plan_set_items(
    *, actor: User, plan: VisitPlan, items: Iterable[ItemIn | dict[str, Any]]
) -> VisitPlan:
    """Replace the items of a draft plan (a plan under review or approved is fixed)."""
    require(actor, "visit_plan.draft")
    p = locked(plan)
    if p.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft plan can be changed.")})
    old = _item_digest(p)
    _set_items(actor, p, items)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=p,
        before={"items": old},
        after={"items": _item_digest(p)},
    )
    return p


@transaction.atomic
def visit_plan_item_add(*, actor: User, plan: VisitPlan, item: ItemIn) -> VisitPlanItem:
    require(actor, "visit_plan.draft")
    p = locked(plan)
    if p.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft plan can be changed.")})
    cust = _customer(actor, item.customer)
    row = VisitPlanItem(
        plan=p,
        customer=cust,
        planned_month=item.planned_month,
        purpose=item.purpose,
        visitors=item.visitors,
    )
    return save_audited(row, actor=actor, before=None, clean=True)


@transaction.atomic
def visit_plan_item_remove(*, actor: User, item: VisitPlanItem) -> None:
    require(actor, "visit_plan.draft")
    p = VisitPlan.objects.select_for_update().get(pk=item.plan_id)
    if p.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft plan can be changed.")})
    if item.visits.exists():
        raise ValidationError({"items": _("Visits were recorded against this item.")})
    delete_audited(item, actor=actor)


def _plan_move(actor: User, plan: VisitPlan, to: str, **fields: Any) -> VisitPlan:
    return move(plan, to, actor=actor, table=PLAN_TRANSITIONS, lock=True, **fields)


@transaction.atomic
def visit_plan_submit(*, actor: User, plan: VisitPlan) -> VisitPlan:
    require(actor, "visit_plan.draft")
    if not plan.items.exists():
        raise ValidationError({"items": _("The plan has no visits.")})
    p = _plan_move(
        actor, plan, PlanStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=actor
    )
    notify(
        users_with_roles(RoleCode.SALES_LEADER),
        kind="visit_plan",
        title=Message(gettext_noop("Visit plan %(y)s submitted for review"), y=p.year),
        url=p.get_absolute_url(),
    )
    return p


@transaction.atomic
def visit_plan_review(
    *, actor: User, plan: VisitPlan, comment: str = "", send_back: bool = False
) -> VisitPlan:
    """Sales leadership reviews: passes it on to company leadership, or sends it back."""
    require(actor, "visit_plan.review")
    if send_back and not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must change.")})
    if VisitPlan.objects.select_for_update().get(pk=plan.pk).status != PlanStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted plan can be reviewed.")})
    to = PlanStatus.DRAFT if send_back else PlanStatus.REVIEWED
    p = _plan_move(
        actor,
        plan,
        to,
        reviewed_at=timezone.now(),
        reviewed_by=actor,
        review_comment=(comment or "").strip(),
    )
    if not send_back:
        notify(
            users_with_roles(RoleCode.COMPANY_LEADER, RoleCode.GENERAL_MANAGER),
            kind="visit_plan",
            title=Message(gettext_noop("Visit plan %(y)s awaits your approval"), y=p.year),
            url=p.get_absolute_url(),
        )
    return p


@transaction.atomic
def visit_plan_approve(
    *, actor: User, plan: VisitPlan, comment: str = "", send_back: bool = False
) -> VisitPlan:
    """Company leadership approves the reviewed plan (or sends it back to Sales)."""
    require(actor, "visit_plan.approve")
    if send_back and not (comment or "").strip():
        raise ValidationError({"comment": _("Say what must change.")})
    if VisitPlan.objects.select_for_update().get(pk=plan.pk).status != PlanStatus.REVIEWED:
        raise ValidationError({"status": _("Only a reviewed plan can be approved.")})
    if send_back:
        return _plan_move(actor, plan, PlanStatus.DRAFT, approval_comment=comment.strip())
    return _plan_move(
        actor,
        plan,
        PlanStatus.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
        approval_comment=(comment or "").strip(),
    )


# --- the sweep --------------------------------------------------------------------------


def sweep_overdue(now: datetime | None = None) -> dict[str, int]:
    """Flag (once) plans not approved by their due date and improvement actions past due;
    notify the people named. Idempotent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    plans = actions = 0
    for plan in VisitPlan.objects.filter(
        overdue_flagged_at__isnull=True, approval_due__lt=today
    ).exclude(status=PlanStatus.APPROVED):
        with transaction.atomic():
            p = locked(plan)
            if p.overdue_flagged_at is not None:
                continue
            p.overdue_flagged_at = now
            p.save(update_fields=["overdue_flagged_at"])
            notify(
                users_with_roles(*PLAN_PEOPLE),
                kind="visit_plan_overdue",
                title=Message(
                    gettext_noop("Visit plan %(y)s not approved by %(d)s"),
                    y=p.year,
                    d=p.approval_due.isoformat(),
                ),
                url=p.get_absolute_url(),
                dedupe_key=f"visit_plan_overdue:{p.pk}",
            )
            plans += 1
    for action in ImprovementAction.objects.filter(
        Q(status=ActionStatus.OPEN), overdue_flagged_at__isnull=True, due_at__lt=now
    ).select_related("record"):
        with transaction.atomic():
            updated = ImprovementAction.objects.filter(
                pk=action.pk, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=now)
            if not updated:
                continue
            notify(
                [action.owner],
                kind="visit_action_overdue",
                title=Message(
                    gettext_noop("Improvement action overdue: %(n)s"), n=action.record.number
                ),
                body=Message.verbatim(action.description),
                url=action.record.get_absolute_url(),
                dedupe_key=f"visit_action_overdue:{action.pk}",
            )
            actions += 1
    return {"plans": plans, "actions": actions}
