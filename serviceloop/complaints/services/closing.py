"""The end of an 8D: referral to Sales when the customer's own design or manufacture is the
cause (R-5.5.7), closure (D8) and circulation to the Management Representative and the
General Manager, who acknowledge it (R-5.5.8)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_create, audit_update, snapshot
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, choice_label, users_with_roles
from serviceloop.core.permissions import require, role_codes
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked, transition

from ..models import (
    CIRCULATION_ROLES,
    CUSTOMER_CARRIES,
    DISCIPLINE_TRANSITIONS,
    EIGHTD_TRANSITIONS,
    TRANSITIONS,
    Circulation,
    Complaint,
    DisciplineStatus,
    EightDReport,
    EightDStatus,
    NegotiationOutcome,
    Responsibility,
    Status,
)
from .common import (
    check_time,
    notify_people,
    quality_people,
    refuse_if_closed,
    required_text,
)
from .gaps import close_blockers


def _lock(report: EightDReport) -> tuple[EightDReport, Complaint]:
    report = locked(report)
    complaint = Complaint.objects.select_for_update().get(pk=report.complaint_id)
    report.complaint = complaint
    return report, complaint


def _move_both(
    actor: User, report: EightDReport, complaint: Complaint, to8d: str, to: str
) -> tuple[dict, dict]:
    before_r, before_c = snapshot(report), snapshot(complaint)
    transition(report, to8d, actor=actor, table=EIGHTD_TRANSITIONS, save=False)
    transition(complaint, to, actor=actor, table=TRANSITIONS, save=False)
    return before_r, before_c


def _save_both(actor, report, complaint, before_r, before_c, reason: str = "") -> None:
    report.save()
    complaint.save()
    audit_update(
        actor=actor, obj=report, before=before_r, action=AuditAction.TRANSITION, reason=reason
    )
    audit_update(
        actor=actor, obj=complaint, before=before_c, action=AuditAction.TRANSITION, reason=reason
    )


def _sales_people(complaint: Complaint) -> list[User]:
    if complaint.received_by is not None and complaint.received_by.is_active:
        return [complaint.received_by]
    return list(users_with_roles(RoleCode.SALES))


@transaction.atomic
def eightd_refer_to_sales(*, actor: User, report: EightDReport, reason: str) -> EightDReport:
    """R-5.5.7: the cause lies in the customer's own design or manufacture, so Sales
    negotiates with the customer instead of the company taking corrective action."""
    require(actor, "eightd.edit")
    report, complaint = _lock(report)
    refuse_if_closed(report)
    text = required_text("reason", reason, _("Say why the cause lies with the customer."))
    if not report.root_causes.filter(responsibility=Responsibility.CUSTOMER).exists():
        raise ValidationError(
            {
                "root_causes": _(
                    "Record in D4 the cause in the customer's own design or manufacture first."
                )
            }
        )
    before = _move_both(actor, report, complaint, EightDStatus.NEGOTIATION, Status.NEGOTIATING)
    report.referred_at, report.referred_by, report.referral_reason = timezone.now(), actor, text
    report.negotiation_outcome, report.negotiation_text = "", ""
    report.negotiated_at, report.negotiated_by = None, None
    _save_both(actor, report, complaint, *before, reason=text)
    notify_people(
        _sales_people(complaint),
        kind="eightd_negotiate",
        title=Message(
            gettext_noop(
                "Negotiate with %(c)s: %(n)s (cause in the customer's design or manufacture)"
            ),
            c=complaint.customer.name,
            n=complaint.number,
        ),
        body=Message.verbatim(text),
        url=report.get_absolute_url(),
        key=f"eightd_negotiate:{report.pk}:{report.referred_at.isoformat()}",
    )
    return report


@transaction.atomic
def eightd_record_negotiation(
    *, actor: User, report: EightDReport, outcome: str, text: str
) -> EightDReport:
    """Sales records what was agreed with the customer (R-5.5.7). If the company accepts the
    responsibility after all, the 8D goes back to the team for corrective action."""
    require(actor, "complaint.negotiate")
    report, complaint = _lock(report)
    if report.status != EightDStatus.NEGOTIATION:
        raise ValidationError({"status": _("This 8D report is not with Sales for negotiation.")})
    if outcome not in NegotiationOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the negotiation.")})
    record = required_text("text", text, _("Record what was agreed with the customer."))
    before_r, before_c = snapshot(report), snapshot(complaint)
    report.negotiation_outcome, report.negotiation_text = outcome, record
    report.negotiated_at, report.negotiated_by = timezone.now(), actor
    if outcome == NegotiationOutcome.COMPANY_ACCEPTS:
        transition(report, EightDStatus.OPEN, actor=actor, table=EIGHTD_TRANSITIONS, save=False)
        transition(complaint, Status.IN_PROGRESS, actor=actor, table=TRANSITIONS, save=False)
    _save_both(actor, report, complaint, before_r, before_c)
    notify_people(
        [report.leader] if report.leader else quality_people(),
        kind="eightd_negotiated",
        title=Message(
            gettext_noop("8D %(r)s: Sales recorded the negotiation (%(o)s)"),
            r=report.number,
            o=choice_label(report, "negotiation_outcome"),
        ),
        body=Message.verbatim(record),
        url=report.get_absolute_url(),
        key=f"eightd_negotiated:{report.pk}:{report.negotiated_at.isoformat()}",
    )
    return report


def _not_applicable_after_negotiation(actor: User, report: EightDReport) -> None:
    """D5–D7 do not apply when the customer carries the cause (R-5.5.7)."""
    if report.negotiation_outcome not in CUSTOMER_CARRIES:
        return
    for disc in report.disciplines.filter(code__in=["d5", "d6", "d7"]):
        if disc.status == DisciplineStatus.OPEN:
            before = snapshot(disc)
            transition(
                disc,
                DisciplineStatus.NOT_APPLICABLE,
                actor=actor,
                table=DISCIPLINE_TRANSITIONS,
                save=False,
            )
            save_audited(
                disc, actor=actor, before=before, action=AuditAction.TRANSITION, reason="R-5.5.7"
            )


@transaction.atomic
def eightd_close(
    *, actor: User, report: EightDReport, summary: str, at: datetime | None = None
) -> EightDReport:
    """D8: Quality closes the 8D and with it the complaint, then circulates the result to the
    Management Representative and the General Manager (R-5.5.8). Refused while containment
    for a product still in production is missing, while an action item is open, or while
    a discipline is incomplete."""
    require(actor, "eightd.close")
    report, complaint = _lock(report)
    refuse_if_closed(report)
    if report.status == EightDStatus.NEGOTIATION:
        _not_applicable_after_negotiation(actor, report)
    blockers = close_blockers(report, summary)
    if blockers:
        raise ValidationError(blockers)
    now = at or timezone.now()
    check_time("at", now, not_before=complaint.received_at)
    before = _move_both(actor, report, complaint, EightDStatus.CLOSED, Status.CLOSED)
    report.closed_at, report.closed_by = now, actor
    complaint.closed_at = now
    d8 = report.disciplines.select_for_update().get(code="d8")
    d8_before = snapshot(d8)
    d8.summary = summary.strip()
    transition(d8, DisciplineStatus.DONE, actor=actor, table=DISCIPLINE_TRANSITIONS, save=False)
    d8.completed_at, d8.completed_by = now, actor
    save_audited(d8, actor=actor, before=d8_before, action=AuditAction.TRANSITION)
    _save_both(actor, report, complaint, *before)
    _circulate(actor, report, complaint, now)
    notify_people(
        _sales_people(complaint),
        kind="eightd_closed",
        title=Message(
            gettext_noop("8D %(r)s closed: %(c)s"), r=report.number, c=complaint.customer.name
        ),
        url=complaint.get_absolute_url(),
        key=f"eightd_closed:{report.pk}",
    )
    return report


def _circulate(actor: User, report: EightDReport, complaint: Complaint, at: datetime) -> None:
    """R-5.5.8: every closed complaint and its result goes to the MR and the GM."""
    for role in CIRCULATION_ROLES:
        row, created = Circulation.objects.get_or_create(
            report=report, role=role, defaults={"circulated_at": at}
        )
        if created:
            audit_create(actor=actor, obj=row, reason="R-5.5.8")
        notify_people(
            users_with_roles(role),
            kind="circulation",
            title=Message(
                gettext_noop("For your acknowledgement: complaint %(n)s (%(c)s) closed"),
                n=complaint.number,
                c=complaint.customer.name,
            ),
            body=Message.verbatim(report.disciplines.get(code="d8").summary),
            url=report.get_absolute_url(),
            key=f"circulation:{row.pk}",
        )


@transaction.atomic
def circulation_acknowledge(
    *, actor: User, report: EightDReport, note: str = ""
) -> list[Circulation]:
    """The Management Representative or the General Manager acknowledges the circulated
    complaint (R-5.5.8). Whoever holds the role acknowledges for it."""
    require(actor, "circulation.acknowledge")
    held = [r for r in CIRCULATION_ROLES if r in role_codes(actor)]
    if not held:
        raise ValidationError(
            {"role": _("Only the Management Representative or the General Manager acknowledges.")}
        )
    rows = list(Circulation.objects.select_for_update().filter(report=report, role__in=held))
    if not rows:
        raise ValidationError(
            {"status": _("The complaint is not closed; nothing has been circulated yet.")}
        )
    pending = [r for r in rows if r.acknowledged_at is None]
    if not pending:
        raise ValidationError({"role": _("You have already acknowledged this circulation.")})
    now = timezone.now()
    for row in pending:
        before = snapshot(row)
        row.acknowledged_at, row.acknowledged_by, row.note = now, actor, (note or "").strip()
        save_audited(row, actor=actor, before=before, action=AuditAction.TRANSITION)
    return list(report.circulation.all())
