"""R-5.3.3: a resident engineer escalates a quality problem he cannot solve to Sales; Sales
coordinates with Production Quality and other departments on a solution and carries it
through to done. Every step leaves a note on the escalation's timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import (
    AuditAction,
    audit_create,
    audit_flag,
    audit_update,
    snapshot,
)
from serviceloop.core.deadlines import days_after
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition
from serviceloop.customers.models import Customer

from ..domain import rules
from ..models import (
    ESCALATION_TRANSITIONS,
    Escalation,
    EscalationNote,
    EscalationStatus,
    ServiceRecord,
)
from ._common import required_text


def _note(e: Escalation, actor: User, text: str, event: str = "") -> EscalationNote:
    note = EscalationNote.objects.create(escalation=e, author=actor, text=text, event=event)
    return note


def _set_due(e: Escalation, due: date) -> None:
    e.due_date = due
    e.due_at = rules.end_of_day(due)
    e.overdue_flagged_at = None


def _members(e: Escalation) -> list[User]:
    return list(User.objects.filter(is_active=True, department__in=e.departments.all()))


def _load(e: Escalation) -> Escalation:
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("customer", "raised_by")
        .get(pk=e.pk)
    )


@transaction.atomic
def escalation_raise(
    *,
    actor: User,
    customer: Customer | int,
    title: str,
    description: str,
    service_record: ServiceRecord | None = None,
    raised_at: datetime | None = None,
) -> Escalation:
    """The engineer hands Sales a problem he cannot solve on site."""
    require(actor, "escalation.create")
    cust = customer_for(actor, customer)
    title = required_text("title", title)
    description = required_text("description", description)
    if service_record is not None and service_record.customer_id != cust.pk:
        raise ValidationError(
            {"service_record": _("This service record belongs to another customer.")}
        )
    now = timezone.now()
    raised_at = raised_at or now
    if raised_at > now + timedelta(minutes=5):
        raise ValidationError({"raised_at": _("This time lies in the future.")})
    e = Escalation(
        customer=cust,
        title=title,
        description=description,
        service_record=service_record,
        raised_by=actor,
        raised_at=raised_at,
        created_by=actor,
    )
    _set_due(e, days_after(timezone.localtime(raised_at).date(), rules.ESCALATION_DEFAULT_DAYS))
    e.number = "pending"
    save_numbered(e, "ESC", raised_at, actor=actor, exclude=["due_at"])
    _note(e, actor, description, event="raised")
    notify(
        users_with_roles(RoleCode.SALES, RoleCode.SALES_LEADER),
        kind="fieldservice.escalation",
        title=Message(
            gettext_noop("Escalated by %(who)s: %(number)s %(customer)s — %(title)s"),
            who=actor,
            number=e.number,
            customer=cust.name,
            title=title,
        ),
        body=Message.verbatim(description),
        url=e.get_absolute_url(),
        dedupe_key=f"fs_escalation:{e.pk}",
    )
    return e


@transaction.atomic
def escalation_coordinate(
    *,
    actor: User,
    escalation: Escalation,
    departments: Iterable[Department],
    due_date: date | None = None,
    note: str = "",
) -> Escalation:
    """Sales takes the escalation up and brings in Production Quality and others."""
    require(actor, "escalation.coordinate")
    e = _load(escalation)
    depts = list(departments)
    if not depts:
        raise ValidationError({"departments": _("Choose at least one department to involve.")})
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date must not be in the past.")})
    before = snapshot(e)
    transition(
        e,
        EscalationStatus.COORDINATING,
        actor=actor,
        table=ESCALATION_TRANSITIONS,
        verb="coordinate",
        save=False,
    )
    e.coordinator = actor
    e.coordinating_at = timezone.now()
    if due_date is not None:
        _set_due(e, due_date)
    e.save()
    e.departments.set(depts)
    audit_update(actor=actor, obj=e, before=before, action=AuditAction.TRANSITION, reason=note)
    names = ", ".join(str(d) for d in depts)
    _note(
        e,
        actor,
        _("Coordinating with %(depts)s; due %(due)s.") % {"depts": names, "due": e.due_date}
        + (f"\n{note.strip()}" if note.strip() else ""),
        event="coordinate",
    )
    notify(
        [*_members(e), e.raised_by],
        kind="fieldservice.escalation",
        title=Message(
            gettext_noop("Your help is needed: %(number)s %(customer)s — %(title)s"),
            number=e.number,
            customer=e.customer.name,
            title=e.title,
        ),
        body=Message.verbatim(note),
        url=e.get_absolute_url(),
        dedupe_key=f"fs_escalation_coord:{e.pk}:{e.coordinating_at.isoformat()}",
    )
    return e


@transaction.atomic
def escalation_set_due(
    *, actor: User, escalation: Escalation, due_date: date, reason: str
) -> Escalation:
    """Move the due date, with a recorded reason (the overdue flag starts afresh)."""
    require(actor, "escalation.coordinate")
    e = _load(escalation)
    text = required_text("reason", reason, _("Say why the due date moves."))
    if e.status == EscalationStatus.DONE:
        raise ValidationError({"due_date": _("This escalation is done.")})
    if due_date is None:
        raise ValidationError({"due_date": _("This field is required.")})
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date must not be in the past.")})
    before = snapshot(e)
    old = e.due_date
    _set_due(e, due_date)
    save_audited(e, actor=actor, before=before, reason=text)
    _note(
        e,
        actor,
        _("Due date moved from %(a)s to %(b)s: %(why)s") % {"a": old, "b": due_date, "why": text},
        event="due",
    )
    return e


@transaction.atomic
def escalation_agree(*, actor: User, escalation: Escalation, solution: str) -> Escalation:
    """The departments and Sales agree on a solution; it is now carried out."""
    require(actor, "escalation.coordinate")
    e = _load(escalation)
    text = required_text("solution", solution, _("Describe the agreed solution."))
    before = snapshot(e)
    transition(
        e, EscalationStatus.SOLUTION_AGREED, actor=actor, table=ESCALATION_TRANSITIONS, save=False
    )
    e.solution, e.solution_agreed_at, e.solution_agreed_by = text, timezone.now(), actor
    save_audited(e, actor=actor, before=before, action=AuditAction.TRANSITION)
    _note(e, actor, _("Solution agreed: %s") % text, event="agree")
    notify(
        [e.raised_by, *_members(e)],
        kind="fieldservice.escalation",
        title=Message(
            gettext_noop("Solution agreed: %(number)s %(title)s"), number=e.number, title=e.title
        ),
        body=Message.verbatim(text),
        url=e.get_absolute_url(),
        dedupe_key=f"fs_escalation_agree:{e.pk}:{e.solution_agreed_at.isoformat()}",
    )
    return e


@transaction.atomic
def escalation_complete(*, actor: User, escalation: Escalation, result: str) -> Escalation:
    """The solution was carried out and confirmed at the customer: done."""
    require(actor, "escalation.coordinate")
    e = _load(escalation)
    text = required_text("result", result, _("Say what was done and how it was confirmed."))
    before = snapshot(e)
    transition(e, EscalationStatus.DONE, actor=actor, table=ESCALATION_TRANSITIONS, save=False)
    e.result, e.done_at, e.done_by = text, timezone.now(), actor
    save_audited(e, actor=actor, before=before, action=AuditAction.TRANSITION)
    _note(e, actor, _("Done: %s") % text, event="done")
    notify(
        [e.raised_by],
        kind="fieldservice.escalation",
        title=Message(gettext_noop("Done: %(number)s %(title)s"), number=e.number, title=e.title),
        body=Message.verbatim(text),
        url=e.get_absolute_url(),
        dedupe_key=f"fs_escalation_done:{e.pk}",
    )
    return e


@transaction.atomic
def escalation_reopen(*, actor: User, escalation: Escalation, reason: str) -> Escalation:
    """The agreed solution did not work in the field: coordinate again."""
    require(actor, "escalation.coordinate")
    e = _load(escalation)
    text = required_text("reason", reason, _("Say why the solution did not work."))
    before = snapshot(e)
    transition(
        e,
        EscalationStatus.COORDINATING,
        actor=actor,
        table=ESCALATION_TRANSITIONS,
        verb="reopen",
        save=False,
    )
    e.solution_agreed_at = None
    save_audited(e, actor=actor, before=before, action=AuditAction.TRANSITION, reason=text)
    _note(e, actor, _("Back to coordination: %s") % text, event="reopen")
    return e


@transaction.atomic
def escalation_add_note(*, actor: User, escalation: Escalation, text: str) -> EscalationNote:
    """Anyone involved adds to the timeline (findings, calls, trials)."""
    require(actor, "escalation.note")
    e = _load(escalation)
    body = required_text("text", text)
    note = _note(e, actor, body)
    audit_create(actor=actor, obj=note)
    return note


def sweep_overdue_escalations(now: datetime | None = None) -> int:
    """Flag escalations past their due date and tell the coordinator (or Sales) and Sales
    leadership. Idempotent: once per due date."""
    now = now or timezone.now()
    ids = list(
        Escalation.objects.filter(
            done_at__isnull=True, due_at__lt=now, overdue_flagged_at__isnull=True
        ).values_list("pk", flat=True)
    )
    leaders = list(users_with_roles(RoleCode.SALES_LEADER))
    flagged = 0
    for pk in ids:
        with transaction.atomic():
            e = (
                Escalation.objects.select_for_update(of=("self",))
                .select_related("coordinator")
                .get(pk=pk)
            )
            if e.overdue_flagged_at is not None or e.done_at is not None or e.due_at >= now:
                continue
            audit_flag(
                e,
                "overdue_flagged_at",
                now,
                system="fieldservice_sweep",
                reason="escalation due date passed",
            )
            owners = [e.coordinator] if e.coordinator else list(users_with_roles(RoleCode.SALES))
            notify(
                [*owners, *leaders],
                kind="fieldservice.escalation_overdue",
                title=Message(
                    gettext_noop("Escalation overdue: %(number)s %(title)s"),
                    number=e.number,
                    title=e.title,
                ),
                url=e.get_absolute_url(),
                dedupe_key=f"fs_escalation_overdue:{e.pk}:{e.due_at.isoformat()}",
            )
            flagged += 1
    return flagged
