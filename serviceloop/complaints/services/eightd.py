"""Opening an 8D report from a complaint (R-5.5.1), its leader, team (D1) and disciplines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_create, audit_update, snapshot
from serviceloop.core.late_entry import record_stated_time
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, choice_label
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require
from serviceloop.core.services import delete_audited, save_audited
from serviceloop.core.statemachine import locked, transition

from ..domain import clocks
from ..models import (
    CODES,
    DISCIPLINE_TRANSITIONS,
    TRANSITIONS,
    VERIFIED_KINDS,
    ActionItem,
    Complaint,
    Discipline,
    DisciplineCode,
    DisciplineStatus,
    EightDReport,
    Kind,
    Status,
    TeamMember,
    TeamRole,
)
from ..permissions import require_contribute
from .common import (
    active_user,
    check_due,
    check_time,
    notify_people,
    quality_people,
    refuse_if_closed,
    report_url,
)
from .gaps import discipline_gaps

D2_FIELDS = (
    "problem_statement",
    "d2_what",
    "d2_why",
    "d2_where",
    "d2_when",
    "d2_who",
    "d2_how",
    "d2_how_many",
)


def open_report(
    *, actor: User | None, complaint: Complaint, leader: User | None = None, system: bool = False
) -> EightDReport:
    """Create the 8D of a complaint with its nine disciplines and their default deadlines.
    The caller holds the transaction and has checked permission (or is the system)."""
    now = timezone.now()
    before = snapshot(complaint)
    transition(complaint, Status.IN_PROGRESS, actor=actor, table=TRANSITIONS, save=False)
    complaint.save(update_fields=["status", "updated_at"])
    sys_label = "major_quality_problem" if system else ""
    audit_update(
        actor=actor, obj=complaint, before=before, action=AuditAction.TRANSITION, system=sys_label
    )
    report = EightDReport(
        complaint=complaint,
        number=next_number("8D", now),
        leader=leader,
        created_by=actor,
        problem_statement=complaint.description,
        d2_how_many=str(complaint.quantity or ""),
    )
    report.save()
    audit_create(actor=actor, obj=report, system=sys_label)
    dues = clocks.discipline_due_dates(complaint.received_at)
    Discipline.objects.bulk_create(
        Discipline(report=report, code=code, owner=leader, due_at=dues[code]) for code in CODES
    )
    if leader is not None:
        TeamMember.objects.create(
            report=report, user=leader, role=TeamRole.LEADER, department=leader.department
        )
    if complaint.kind == Kind.RETURN:
        _return_actions(actor, report, complaint)
    _announce_opened(report, complaint)
    return report


def _return_actions(actor: User | None, report: EightDReport, complaint: Complaint) -> None:
    """R-5.5.7: deadlines for Production, Technical and the others, tracked by Quality."""
    departments = {d.code: d for d in Department.objects.all()}
    for dept_code, code, kind, text, days in clocks.RETURN_ACTIONS:
        item = ActionItem.objects.create(
            report=report,
            discipline=code,
            kind=kind,
            description=str(text),
            department=departments.get(dept_code),
            due_at=clocks.days_after(complaint.received_at, days),
            needs_verification=kind in VERIFIED_KINDS,
            created_by=actor,
        )
        audit_create(actor=actor, obj=item, reason="R-5.5.7")
        if item.department is not None:
            notify_people(
                item.department.members.filter(is_active=True),
                kind="eightd_action",
                title=Message(
                    gettext_noop("8D %(r)s: action for your department due %(d)s"),
                    r=report.number,
                    d=timezone.localtime(item.due_at).strftime("%Y-%m-%d"),
                ),
                body=Message.verbatim(item.description),
                url=report_url(report, code),
                key=f"eightd_action:{item.pk}",
            )


def _announce_opened(report: EightDReport, complaint: Complaint) -> None:
    people = [report.leader] if report.leader else quality_people()
    notify_people(
        people,
        kind="eightd_opened",
        title=Message(
            gettext_noop("8D %(r)s opened: %(c)s — %(p)s"),
            r=report.number,
            c=complaint.customer.name,
            p=complaint.part_number or "—",
        ),
        body=Message.verbatim(complaint.description),
        url=report.get_absolute_url(),
        key=f"eightd_opened:{report.pk}",
    )
    if complaint.in_production:
        notify_people(
            people,
            kind="containment_required",
            title=Message(
                gettext_noop("Immediate containment required: %(n)s is still in production"),
                n=complaint.number,
            ),
            url=report_url(report, "d3"),
            key=f"complaint:in_production:{complaint.pk}",
        )


@transaction.atomic
def eightd_open(
    *, actor: User, complaint: Complaint, leader: User | int | None = None
) -> tuple[EightDReport, bool]:
    """Convert a registered complaint into its 8D report, handed to Quality (R-5.5.1).
    One 8D per complaint: asking again answers the report made the first time."""
    require(actor, "eightd.open")
    complaint = locked(complaint)
    existing = EightDReport.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing, False
    lead = active_user("leader", leader)
    return open_report(actor=actor, complaint=complaint, leader=lead), True


def _lock(report: EightDReport) -> EightDReport:
    return EightDReport.objects.select_for_update().select_related("complaint").get(pk=report.pk)


@transaction.atomic
def eightd_set_leader(*, actor: User, report: EightDReport, leader: User | int) -> EightDReport:
    """Quality names the 8D leader; the leader joins the team (D1) as its leader and takes over
    the open disciplines nobody (or the previous leader) owned."""
    require(actor, "eightd.edit")
    report = _lock(report)
    refuse_if_closed(report)
    lead = active_user("leader", leader, required=True)
    assert lead is not None
    before = snapshot(report)
    previous = report.leader_id
    report.leader = lead
    save_audited(report, actor=actor, before=before)
    handed = report.disciplines.filter(status=DisciplineStatus.OPEN).filter(
        Q(owner__isnull=True) | Q(owner_id=previous)
    )
    for disc in handed.exclude(owner=lead):
        disc_before = snapshot(disc)
        disc.owner = lead
        save_audited(disc, actor=actor, before=disc_before, reason="new 8D leader")
    _set_team_role(actor, report, lead, TeamRole.LEADER)
    notify_people(
        [lead],
        kind="eightd_leader",
        title=Message(gettext_noop("You lead 8D %(r)s"), r=report.number),
        url=report.get_absolute_url(),
        key=f"eightd_leader:{report.pk}:{lead.pk}",
    )
    return report


def _set_team_role(actor: User, report: EightDReport, user: User, role: str) -> TeamMember:
    if role == TeamRole.LEADER:
        for other in report.team.filter(role=TeamRole.LEADER).exclude(user=user):
            before = snapshot(other)
            other.role = TeamRole.MEMBER
            save_audited(other, actor=actor, before=before)
    member = report.team.filter(user=user).first()
    if member is None:
        member = TeamMember.objects.create(
            report=report, user=user, role=role, department=user.department
        )
        audit_create(actor=actor, obj=member)
    elif member.role != role:
        before = snapshot(member)
        member.role = role
        save_audited(member, actor=actor, before=before)
    return member


@transaction.atomic
def team_add(
    *,
    actor: User,
    report: EightDReport,
    user: User | int,
    role: str = TeamRole.MEMBER,
    responsibility: str = "",
) -> TeamMember:
    """D1: name a person on the team with their role."""
    require(actor, "eightd.edit")
    report = _lock(report)
    refuse_if_closed(report)
    person = active_user("user", user, required=True)
    assert person is not None
    if role not in TeamRole.values:
        raise ValidationError({"role": _("“%(v)s” is not a valid choice.") % {"v": role}})
    if role == TeamRole.LEADER:
        return eightd_set_leader(actor=actor, report=report, leader=person).team.get(user=person)
    member = _set_team_role(actor, report, person, role)
    if responsibility and member.responsibility != responsibility.strip():
        before = snapshot(member)
        member.responsibility = responsibility.strip()[:200]
        save_audited(member, actor=actor, before=before)
    notify_people(
        [person],
        kind="eightd_team",
        title=Message(gettext_noop("You are on the team of 8D %(r)s"), r=report.number),
        url=report.get_absolute_url(),
        key=f"eightd_team:{report.pk}:{person.pk}",
    )
    return member


@transaction.atomic
def team_remove(*, actor: User, member: TeamMember, reason: str = "") -> None:
    """Take a person off the team (the leader stays until another is named)."""
    require(actor, "eightd.edit")
    member = TeamMember.objects.select_related("report").get(pk=member.pk)
    refuse_if_closed(member.report)
    if member.role == TeamRole.LEADER:
        raise ValidationError({"user": _("Name another leader before removing this one.")})
    delete_audited(member, actor=actor, reason=reason)


def _discipline(report: EightDReport, code: str) -> Discipline:
    if code not in CODES:
        raise ValidationError({"code": _("Unknown discipline %(c)s.") % {"c": code}})
    return Discipline.objects.select_for_update().get(report=report, code=code)


@transaction.atomic
def discipline_update(
    *, actor: User, report: EightDReport, code: str, reason: str = "", **data: Any
) -> Discipline:
    """Edit one discipline: its narrative (team members and the discipline's owner), its owner
    and due date (Quality), and for D2 the problem in 5W2H."""
    report = _lock(report)
    refuse_if_closed(report)
    disc = _discipline(report, code)
    allowed = {"summary", "owner", "due_at"} | (set(D2_FIELDS) if code == "d2" else set())
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    if "owner" in data or "due_at" in data:
        require(actor, "eightd.edit")
    else:
        require_contribute(actor, report, code)
    before = snapshot(disc)
    if "summary" in data:
        disc.summary = (data["summary"] or "").strip()
    if "owner" in data:
        disc.owner = active_user("owner", data["owner"])
    if "due_at" in data:
        check_due("due_at", data["due_at"], report.complaint)
        if data["due_at"] != disc.due_at:
            disc.overdue_flagged_at = None
        disc.due_at = data["due_at"]
    save_audited(disc, actor=actor, before=before, reason=reason, clean=True)
    d2 = {k: (v or "").strip() for k, v in data.items() if k in D2_FIELDS}
    if d2:
        report_before = snapshot(report)
        for key, value in d2.items():
            setattr(report, key, value)
        save_audited(report, actor=actor, before=report_before, reason=reason)
    if "owner" in data and disc.owner is not None and disc.owner_id != before["owner_id"]:
        notify_people(
            [disc.owner],
            kind="eightd_discipline",
            title=Message(
                gettext_noop("8D %(r)s: you own %(d)s"),
                r=report.number,
                d=choice_label(disc, "code"),
            ),
            url=report_url(report, code),
            key=f"eightd_discipline:{disc.pk}:{disc.owner_id}",
        )
    return disc


@transaction.atomic
def discipline_complete(
    *,
    actor: User,
    report: EightDReport,
    code: str,
    at: datetime | None = None,
    reason: str = "",
) -> Discipline:
    """Mark a discipline done once its content is complete (D8 is done by closing)."""
    report = _lock(report)
    refuse_if_closed(report)
    if code == DisciplineCode.D8:
        raise ValidationError({"code": _("D8 is completed by closing the 8D report.")})
    disc = _discipline(report, code)
    require_contribute(actor, report, code)
    gaps = discipline_gaps(report, code)
    if gaps:
        raise ValidationError(gaps)
    at = at or timezone.now()
    check_time("at", at, not_before=report.complaint.received_at)
    before = snapshot(disc)
    transition(disc, DisciplineStatus.DONE, actor=actor, table=DISCIPLINE_TRANSITIONS, save=False)
    record_stated_time(disc, "completed", stated_at=at, reason=reason)
    disc.completed_by = actor
    return save_audited(disc, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def discipline_reopen(
    *, actor: User, report: EightDReport, code: str, reason: str = ""
) -> Discipline:
    """Quality reopens a done (or not applicable) discipline for more work."""
    require(actor, "eightd.edit")
    report = _lock(report)
    refuse_if_closed(report)
    disc = _discipline(report, code)
    before = snapshot(disc)
    transition(disc, DisciplineStatus.OPEN, actor=actor, table=DISCIPLINE_TRANSITIONS, save=False)
    disc.completed_at, disc.completed_by = None, None
    return save_audited(
        disc, actor=actor, before=before, action=AuditAction.TRANSITION, reason=reason
    )


__all__ = [
    "D2_FIELDS",
    "discipline_complete",
    "discipline_reopen",
    "discipline_update",
    "eightd_open",
    "eightd_set_leader",
    "open_report",
    "team_add",
    "team_remove",
]
