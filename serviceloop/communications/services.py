"""Every write to communications goes through these services (R-5.2.3, R-5.2.4, R-5.9.1)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core import deadlines
from serviceloop.core import routing as core_routing
from serviceloop.core.audit import (
    AuditAction,
    audit_flag,
    snapshot,
)
from serviceloop.core.late_entry import record_stated_time
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import can, is_agent_only, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.signals import major_quality_problem
from serviceloop.core.statemachine import locked, refuse_unless, transition
from serviceloop.core.validation import check_time, required_text
from serviceloop.customers.models import Contact, Customer
from serviceloop.customers.services import contact_create

from .domain import part_facts
from .models import TRANSITIONS, Communication, Routing, Status

MAJOR_PROBLEM_ROLES = (
    RoleCode.PRODUCTION_QUALITY,
    RoleCode.SALES,
    RoleCode.SALES_LEADER,
    RoleCode.COMPANY_LEADER,
)
# clock -> (done-at field, due-at field, overdue-flag field)
CLOCKS = {
    "answer": ("answered_at", "answer_due_at", "answer_overdue_flagged_at"),
    "feedback": ("feedback_at", "feedback_due_at", "feedback_overdue_flagged_at"),
}
EDITABLE_FIELDS = ("subject", "body", "contact", "contact_name", "owner", "channel", "received_at")


def _check_time(field: str, at: datetime, *, not_before: datetime | None = None) -> None:
    check_time(
        field,
        at,
        not_before=not_before,
        before_message=_("This time is before the communication was received."),
    )


def _set_clocks(comm: Communication) -> None:
    comm.answer_due_at = deadlines.first_answer_due(comm.received_at)
    original = deadlines.feedback_due(comm.received_at)
    comm.feedback_due_original_at = original
    if comm.feedback_extended_at is None or comm.feedback_due_at <= original:
        comm.feedback_due_at = original


def _announce_major(
    comm: Communication, actor: User | None, facts: dict[str, Any] | None = None
) -> None:
    """R-5.9.1 / R-5.3.4.2: a major quality problem goes at once to Production Quality,
    Sales and company leadership; complaints opens the 8D with the part, lot and quantity
    (`facts`, else as far as the communication's words name them)."""
    if facts is None:
        facts = dict(part_facts(comm.subject, comm.body))
    comm.major_flagged_at = timezone.now()
    notify(
        users_with_roles(*MAJOR_PROBLEM_ROLES),
        kind="major_quality_issue",
        title=Message(
            gettext_noop("Major quality problem: %(customer)s — %(subject)s"),
            customer=comm.customer.name,
            subject=comm.subject,
        ),
        body=Message(
            gettext_noop("Registered by %(who)s as %(number)s.\n\n%(body)s"),
            who=actor or Message(gettext_noop("system")),
            number=comm.number,
            body=comm.body,
        ),
        url=comm.get_absolute_url(),
        dedupe_key=f"major:communication:{comm.pk}",
    )
    major_quality_problem.send(
        sender=Communication,
        instance=comm,
        actor=actor,
        customer=comm.customer,
        summary=facts.get("description") or f"{comm.subject}\n{comm.body}",
        part_number=facts.get("part_number") or "",
        part_name=facts.get("part_name") or "",
        lot=facts.get("lot") or "",
        quantity=facts.get("quantity"),
    )


def _check_owner(actor: User, owner: User | None) -> None:
    """An agent's login may make only a login of its own agency the owner (issue 9)."""
    if owner is None or owner == actor or not is_agent_only(actor):
        return
    if owner.agent_id is None or owner.agent_id != actor.agent_id:
        raise ValidationError({"owner": _("Choose a user of your own agency.")})


@transaction.atomic
def communication_register(
    *,
    actor: User,
    customer: Customer | int,
    channel: str,
    received_at: datetime,
    subject: str,
    body: str,
    major_quality_issue: bool = False,
    contact: Contact | None = None,
    contact_name: str = "",
    add_contact: bool = False,
    owner: User | None = None,
    route_to: Iterable[Department] = (),
    instruction: str = "",
) -> Communication:
    """Register a call, letter, visit or e-mail (R-5.2.3) and start its two clocks.
    ``add_contact``: a new contact named in ``contact_name`` is added to the customer archive
    and linked."""
    require(actor, "communication.create")
    cust = customer_for(actor, customer)
    if add_contact and contact is None and contact_name.strip():
        if not can(actor, "customer.change"):
            raise ValidationError(
                {"add_contact": _("You may not add contacts to the customer archive.")}
            )
        contact = contact_create(actor=actor, customer=cust, name=contact_name.strip())
        contact_name = ""
    if received_at is None:
        raise ValidationError({"received_at": _("This field is required.")})
    _check_time("received_at", received_at)
    if contact is not None and contact.customer_id != cust.pk:
        raise ValidationError({"contact": _("This contact belongs to another customer.")})
    _check_owner(actor, owner)
    comm = Communication(
        customer=cust,
        channel=channel,
        received_at=received_at,
        subject=subject,
        body=body,
        major_quality_issue=major_quality_issue,
        contact=contact,
        contact_name=contact_name,
        taken_by=actor,
        owner=owner or actor,
        created_by=actor,
        number="pending",
    )
    _set_clocks(comm)
    save_numbered(comm, "COM", received_at, actor=actor)
    departments = list(route_to)
    if departments:
        _route(actor, comm, departments, instruction)
    if major_quality_issue:
        _announce_major(comm, actor)
        comm.save(update_fields=["major_flagged_at"])
    return comm


@transaction.atomic
def communication_update(
    *, actor: User, communication: Communication, reason: str = "", **data: Any
) -> Communication:
    """Correct what was registered. A changed receipt time recomputes the clocks."""
    require(actor, "communication.change")
    comm = locked(communication)
    before = snapshot(comm)
    unknown = [k for k in data if k not in EDITABLE_FIELDS]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    if "owner" in data:
        _check_owner(actor, data["owner"])
    for key, value in data.items():
        setattr(comm, key, value)
    if "received_at" in data:
        if comm.received_at is None:
            raise ValidationError({"received_at": _("This field is required.")})
        _check_time("received_at", comm.received_at)
        if comm.answered_at and comm.answered_at < comm.received_at:
            raise ValidationError({"received_at": _("The answer was given before this time.")})
        _set_clocks(comm)
    if comm.contact is not None and comm.contact.customer_id != comm.customer_id:
        raise ValidationError({"contact": _("This contact belongs to another customer.")})
    return save_audited(comm, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def communication_answer(
    *,
    actor: User,
    communication: Communication,
    text: str,
    at: datetime | None = None,
    reason: str = "",
) -> Communication:
    """The first answer to the customer (R-5.9.1: within 24 hours). A time stated more than
    15 minutes back is a late entry and needs a reason (core.late_entry)."""
    require(actor, "communication.respond")
    comm = locked(communication)
    required_text("text", text, _("Say what the customer was answered."))
    at = at or timezone.now()
    _check_time("at", at, not_before=comm.received_at)
    before = snapshot(comm)
    transition(comm, Status.ANSWERED, actor=actor, table=TRANSITIONS, save=False)
    record_stated_time(comm, "answered", stated_at=at, reason=reason)
    comm.answered_by, comm.answer_text = actor, text.strip()
    return save_audited(comm, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def communication_feedback(
    *,
    actor: User,
    communication: Communication,
    text: str,
    at: datetime | None = None,
    reason: str = "",
) -> Communication:
    """The substantive feedback to the customer (R-5.2.4: within one week). Feedback given
    before any first answer counts as the first answer too."""
    require(actor, "communication.respond")
    comm = locked(communication)
    required_text("text", text, _("Say what feedback the customer was given."))
    at = at or timezone.now()
    _check_time("at", at, not_before=comm.received_at)
    if comm.answered_at is not None and at < comm.answered_at:
        raise ValidationError({"at": _("Feedback cannot come before the first answer.")})
    open_routings = [str(r.department) for r in comm.routings.filter(responded_at__isnull=True)]
    if open_routings and not (reason or "").strip():
        raise ValidationError(
            {
                "reason": _(
                    "%(departments)s have not replied yet: give the reason for closing without "
                    "their reply."
                )
                % {"departments": "、".join(open_routings)}
            }
        )
    before = snapshot(comm)
    transition(comm, Status.CLOSED, actor=actor, table=TRANSITIONS, save=False)
    if comm.answered_at is None:
        record_stated_time(comm, "answered", stated_at=at, reason=reason)
        comm.answered_by, comm.answer_text = actor, text.strip()
    record_stated_time(comm, "feedback", stated_at=at, reason=reason)
    comm.feedback_by, comm.feedback_text = actor, text.strip()
    return save_audited(
        comm,
        actor=actor,
        before=before,
        action=AuditAction.TRANSITION,
        reason=(reason or "").strip(),
    )


@transaction.atomic
def communication_extend_feedback(
    *, actor: User, communication: Communication, new_due: datetime, reason: str
) -> Communication:
    """A sales leader extends the one-week feedback deadline once, for a recorded special
    circumstance (R-5.2.4). The new deadline must be later than the original."""
    require(actor, "communication.extend")
    comm = locked(communication)
    refuse_unless(comm.may_extend(), "new_due")
    required_text("reason", reason, _("Record the special circumstance."))
    if new_due is None or new_due.tzinfo is None:
        raise ValidationError({"new_due": _("Give the new deadline with its time zone.")})
    try:
        deadlines.validate_extension(comm.feedback_due_original_at, new_due)
    except ValueError:
        raise ValidationError(
            {"new_due": _("The new deadline must be later than the original deadline.")}
        ) from None
    before = snapshot(comm)
    comm.feedback_due_at = new_due
    comm.feedback_extended_at, comm.feedback_extended_by = timezone.now(), actor
    comm.feedback_extension_reason = reason.strip()
    comm.feedback_overdue_flagged_at = None
    return save_audited(comm, actor=actor, before=before, reason=reason.strip())


@transaction.atomic
def communication_flag_major(
    *,
    actor: User,
    communication: Communication,
    reason: str = "",
    part_number: str = "",
    part_name: str = "",
    lot: str = "",
    quantity: int | None = None,
    description: str = "",
) -> Communication:
    """Flag an existing communication as a major quality problem; notifies at once and
    opens the complaint and 8D with the part, lot and quantity the flagger confirmed."""
    require(actor, "communication.change")
    comm = locked(communication)
    if comm.major_quality_issue:
        return comm
    if quantity is not None and quantity < 0:
        raise ValidationError({"quantity": _("The quantity cannot be negative.")})
    before = snapshot(comm)
    comm.major_quality_issue = True
    facts = {
        "part_number": (part_number or "").strip(),
        "part_name": (part_name or "").strip(),
        "lot": (lot or "").strip(),
        "quantity": quantity,
        "description": (description or "").strip(),
    }
    _announce_major(comm, actor, facts)
    return save_audited(comm, actor=actor, before=before, reason=reason)


def _route(
    actor: User,
    comm: Communication,
    departments: list[Department],
    instruction: str,
    due_at: datetime | None = None,
) -> list[Routing]:
    return core_routing.route(
        Routing,
        actor=actor,
        parent=comm,
        departments=departments,
        instruction=instruction,
        due_at=due_at,
        default_due=deadlines.routing_due(comm.feedback_due_at),
    )


@transaction.atomic
def communication_route(
    *,
    actor: User,
    communication: Communication,
    departments: Iterable[Department],
    instruction: str = "",
    due_at: datetime | None = None,
) -> list[Routing]:
    """Sales routes the communication to the departments that must act (R-5.2.4), each to
    reply by `due_at` (default: the communication's feedback deadline); core.routing."""
    require(actor, "communication.route")
    return _route(actor, communication, list(departments), instruction, due_at)


def routing_respond(*, actor: User, routing: Routing, text: str) -> Routing:
    """A member of the routed department records what it did (core.routing)."""
    return core_routing.respond(routing, actor=actor, text=text, field="text", text_required=True)


def sweep_overdue(now: datetime | None = None) -> dict[str, int]:
    """Flag communications whose clocks ran out and notify their owners and Sales leadership.
    Idempotent: a record is flagged and announced once per clock, whatever runs it again."""
    now = now or timezone.now()
    counts = {"answer": 0, "feedback": 0}
    leaders = list(users_with_roles(RoleCode.SALES_LEADER))
    for clock, (done, due, flag) in CLOCKS.items():
        ids = list(
            Communication.objects.filter(
                **{f"{done}__isnull": True, f"{due}__lt": now, f"{flag}__isnull": True}
            ).values_list("pk", flat=True)
        )
        for pk in ids:
            with transaction.atomic():
                comm = (
                    Communication.objects.select_for_update()
                    .select_related("customer", "owner")
                    .get(pk=pk)
                )
                if getattr(comm, flag) is not None or getattr(comm, done) is not None:
                    continue
                audit_flag(
                    comm, flag, now, system="sweep_overdue", reason=f"{clock} deadline passed"
                )
                title = Message(
                    gettext_noop("Answer overdue: %(number)s %(subject)s")
                    if clock == "answer"
                    else gettext_noop("Feedback overdue: %(number)s %(subject)s"),
                    number=comm.number,
                    subject=comm.subject,
                )
                key = f"{clock}_overdue:{comm.pk}:{getattr(comm, due).isoformat()}"
                notify(
                    [comm.owner, *leaders],
                    kind=f"{clock}_overdue",
                    title=title,
                    url=comm.get_absolute_url(),
                    dedupe_key=key,
                )
                counts[clock] += 1
    return counts
