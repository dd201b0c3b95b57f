"""The team's work on an 8D: containment by location (D3), root causes (D4) and action items
with owners and deadlines (D5–D7)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_create, snapshot
from serviceloop.core.late_entry import clear_stated_time, record_stated_time
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, choice_label
from serviceloop.core.permissions import can, require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition

from ..models import (
    ACTION_TRANSITIONS,
    CODES,
    REINSPECTION_TRANSITIONS,
    VERIFIED_KINDS,
    ActionItem,
    ActionKind,
    ActionStatus,
    CauseKind,
    Containment,
    EightDReport,
    Reinspection,
    Responsibility,
    RootCause,
)
from ..permissions import require_complete_action, require_contribute, require_work_on
from .common import (
    active_user,
    check_due,
    check_time,
    notify_people,
    refuse_if_closed,
    report_url,
    required_text,
)

QUANTITIES = (
    "quantity_checked",
    "quantity_found",
    "quantity_isolated",
    "quantity_tagged",
    "quantity_reworked",
)
CONTAINMENT_FIELDS = ("location", "action", "owner", "department", "due_at", *QUANTITIES)
CAUSE_FIELDS = (
    "kind",
    "category",
    "description",
    "why_analysis",
    "responsibility",
    "department",
    "work_station",
    "operator",
    "inspector",
    "process_card_ref",
    "production_report_ref",
    "inspection_record_ref",
    "verified",
)
ACTION_FIELDS = (
    "discipline",
    "kind",
    "description",
    "owner",
    "department",
    "due_at",
    "root_cause",
    "document_ref",
    "trainees",
    "needs_verification",
)


def _report(report: EightDReport) -> EightDReport:
    report = EightDReport.objects.select_related("complaint").get(pk=report.pk)
    refuse_if_closed(report)
    return report


def _apply(obj: Any, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    for key, value in data.items():
        if key == "owner":
            value = active_user("owner", value)
        elif key == "department" and value is not None and not isinstance(value, Department):
            value = Department.objects.filter(pk=value).first() or _unknown("department")
        setattr(obj, key, value.strip() if isinstance(value, str) else value)


def _unknown(field: str):
    raise ValidationError({field: _("Unknown %(f)s.") % {"f": field}})


def _assignee_required(task: Any) -> None:
    if task.owner_id is None and task.department_id is None:
        raise ValidationError({"owner": _("Name the owner or the department who carries it out.")})


def _tell_assignee(task: Any, report: EightDReport, what: Any, code: str, again: str = "") -> None:
    people = [task.owner] if task.owner else []
    if not people and task.department is not None:
        people = list(task.department.members.filter(is_active=True))
    notify_people(
        people,
        kind="eightd_action",
        title=Message(
            gettext_noop("8D %(r)s: %(w)s due %(d)s"),
            r=report.number,
            w=what,
            d=timezone.localtime(task.due_at).date(),
        ),
        body=Message.verbatim(getattr(task, "description", "") or getattr(task, "action", "")),
        url=report_url(report, code),
        key=f"eightd_task:{task._meta.model_name}:{task.pk}:"
        f"{task.owner_id or task.department_id}:{again}",
    )


# D3 — containment ---------------------------------------------------------------------------


def _check_quantities(c: Containment) -> None:
    for name in QUANTITIES:
        value = getattr(c, name)
        if value is None or isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError({name: _("Give a whole number, zero or more.")})
    if c.quantity_checked and c.quantity_found > c.quantity_checked:
        raise ValidationError({"quantity_found": _("More found than checked.")})


def _sync_reinspection(c: Containment) -> None:
    """Reworked goods wait for Quality's re-inspection before they go back to stock."""
    if c.quantity_reworked and c.reinspection == Reinspection.NOT_REQUIRED:
        transition(
            c,
            Reinspection.PENDING,
            actor=None,
            table=REINSPECTION_TRANSITIONS,
            field="reinspection",
            save=False,
        )
    elif not c.quantity_reworked and c.reinspection == Reinspection.PENDING:
        transition(
            c,
            Reinspection.NOT_REQUIRED,
            actor=None,
            table=REINSPECTION_TRANSITIONS,
            field="reinspection",
            save=False,
        )


@transaction.atomic
def containment_add(*, actor: User, report: EightDReport, **data: Any) -> Containment:
    """D3: containment at one location (R-5.5.2): what to do there, who does it, by when."""
    report = _report(report)
    require_contribute(actor, report, "d3")
    c = Containment(report=report)
    data.setdefault("due_at", report.disciplines.get(code="d3").due_at)
    _apply(c, data, CONTAINMENT_FIELDS)
    required_text("action", c.action, _("Say what is done at this location."))
    _assignee_required(c)
    check_due("due_at", c.due_at, report.complaint)
    _check_quantities(c)
    _sync_reinspection(c)
    save_audited(c, actor=actor, before=None, clean=True)
    _tell_assignee(
        c,
        report,
        Message(gettext_noop("containment at %(where)s"), where=choice_label(c, "location")),
        "d3",
    )
    return c


@transaction.atomic
def containment_update(
    *, actor: User, containment: Containment, reason: str = "", **data: Any
) -> Containment:
    c = Containment.objects.select_for_update().select_related("report").get(pk=containment.pk)
    report = _report(c.report)
    require_work_on(actor, c)
    if {"owner", "department", "due_at"} & set(data):
        require_contribute(actor, report, "d3")
    before = snapshot(c)
    _apply(c, data, (*CONTAINMENT_FIELDS, "result"))
    required_text("action", c.action, _("Say what is done at this location."))
    _assignee_required(c)
    if "due_at" in data:
        check_due("due_at", c.due_at, report.complaint)
        if c.due_at != before["due_at"]:
            c.overdue_flagged_at = None
    _check_quantities(c)
    if c.quantity_reworked > (before["quantity_reworked"] or 0) and c.reinspection in (
        Reinspection.PASSED,
        Reinspection.FAILED,
    ):
        transition(
            c,
            Reinspection.PENDING,
            actor=actor,
            table=REINSPECTION_TRANSITIONS,
            field="reinspection",
            save=False,
        )
    _sync_reinspection(c)
    return save_audited(c, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def containment_done(
    *,
    actor: User,
    containment: Containment,
    result: str,
    at: datetime | None = None,
    reason: str = "",
    **data: Any,
) -> Containment:
    """The department reports the containment carried out, with the quantities (R-5.5.3)."""
    c = Containment.objects.select_for_update().select_related("report").get(pk=containment.pk)
    report = _report(c.report)
    require_work_on(actor, c)
    if c.done_at is not None:
        raise ValidationError({"result": _("This containment is already reported done.")})
    before = snapshot(c)
    _apply(c, data, QUANTITIES)
    _check_quantities(c)
    c.result = required_text("result", result, _("Say what was done and found."))
    at = at or timezone.now()
    check_time("at", at, not_before=report.complaint.received_at)
    record_stated_time(c, "done", stated_at=at, reason=reason)
    c.done_by = actor
    _sync_reinspection(c)
    return save_audited(c, actor=actor, before=before, action=AuditAction.TRANSITION, clean=True)


@transaction.atomic
def containment_reinspect(
    *, actor: User, containment: Containment, passed: bool, note: str = ""
) -> Containment:
    """R-5.5.3: Quality re-inspects reworked goods; only passed goods go back to stock."""
    require(actor, "containment.reinspect")
    c = Containment.objects.select_for_update().select_related("report").get(pk=containment.pk)
    _report(c.report)
    if not c.quantity_reworked:
        raise ValidationError({"reinspection": _("Nothing was reworked at this location.")})
    before = snapshot(c)
    to = Reinspection.PASSED if passed else Reinspection.FAILED
    transition(c, to, actor=actor, table=REINSPECTION_TRANSITIONS, field="reinspection", save=False)
    if not passed:
        required_text("note", note, _("Say what failed."))
    c.reinspected_at, c.reinspected_by, c.reinspection_note = timezone.now(), actor, note.strip()
    return save_audited(c, actor=actor, before=before, action=AuditAction.TRANSITION)


# D4 — root causes ---------------------------------------------------------------------------


def _check_cause(cause: RootCause) -> None:
    required_text("description", cause.description, _("Describe the root cause."))
    if (
        cause.kind == CauseKind.OCCURRENCE
        and cause.responsibility == Responsibility.COMPANY
        and not cause.work_station
    ):
        raise ValidationError(
            {"work_station": _("Name the work station where the defect arose (R-5.5.1).")}
        )
    cause.full_clean()


@transaction.atomic
def cause_add(*, actor: User, report: EightDReport, **data: Any) -> RootCause:
    """D4: a root cause of occurrence or escape, traced to the work station and, through the
    process card, production report and inspection record, to operator and inspector."""
    report = _report(report)
    require_contribute(actor, report, "d4")
    cause = RootCause(report=report, created_by=actor)
    _apply(cause, data, CAUSE_FIELDS)
    _check_cause(cause)
    cause.save()
    audit_create(actor=actor, obj=cause)
    return cause


@transaction.atomic
def cause_update(*, actor: User, cause: RootCause, reason: str = "", **data: Any) -> RootCause:
    cause = RootCause.objects.select_for_update().select_related("report").get(pk=cause.pk)
    report = _report(cause.report)
    require_contribute(actor, report, "d4")
    before = snapshot(cause)
    _apply(cause, data, CAUSE_FIELDS)
    _check_cause(cause)
    return save_audited(cause, actor=actor, before=before, reason=reason)


# D5–D7 — action items -----------------------------------------------------------------------


def _check_action(item: ActionItem, report: EightDReport) -> None:
    if item.discipline not in CODES or item.discipline == "d8":
        raise ValidationError({"discipline": _("Choose a discipline from D0 to D7.")})
    if item.kind not in ActionKind.values:
        raise ValidationError({"kind": _("Choose the kind of action.")})
    required_text("description", item.description, _("Say what is to be done."))
    _assignee_required(item)
    check_due("due_at", item.due_at, report.complaint)
    cause = item.root_cause if item.root_cause_id is not None else None
    if cause is not None and cause.report_id != report.pk:
        raise ValidationError({"root_cause": _("This cause belongs to another 8D report.")})
    item.full_clean()


@transaction.atomic
def action_add(*, actor: User, report: EightDReport, **data: Any) -> ActionItem:
    """An action with an owner (or a department) and a deadline (R-5.5.7)."""
    report = _report(report)
    require_contribute(actor, report, data.get("discipline"))
    item = ActionItem(report=report, created_by=actor)
    if isinstance(data.get("root_cause"), int):
        data["root_cause"] = RootCause.objects.filter(pk=data["root_cause"]).first() or _unknown(
            "root_cause"
        )
    if data.get("needs_verification") is None:
        data["needs_verification"] = data.get("kind") in VERIFIED_KINDS
    _apply(item, data, ACTION_FIELDS)
    _check_action(item, report)
    item.save()
    audit_create(actor=actor, obj=item)
    _tell_assignee(item, report, choice_label(item, "kind"), item.discipline)
    return item


@transaction.atomic
def action_update(*, actor: User, action: ActionItem, reason: str = "", **data: Any) -> ActionItem:
    """Quality re-plans an action: its owner, due date, wording."""
    item = ActionItem.objects.select_for_update().select_related("report").get(pk=action.pk)
    report = _report(item.report)
    require_contribute(actor, report, item.discipline)
    if item.status != ActionStatus.OPEN:
        raise ValidationError({"status": _("Only an open action can be re-planned.")})
    if isinstance(data.get("root_cause"), int):
        data["root_cause"] = RootCause.objects.filter(pk=data["root_cause"]).first() or _unknown(
            "root_cause"
        )
    before = snapshot(item)
    _apply(item, data, ACTION_FIELDS)
    _check_action(item, report)
    if item.due_at != before["due_at"] and "due_at" in data:
        item.overdue_flagged_at = None
    save_audited(item, actor=actor, before=before, reason=reason)
    if item.owner_id != before["owner_id"] or item.department_id != before["department_id"]:
        _tell_assignee(item, report, choice_label(item, "kind"), item.discipline)
    return item


@transaction.atomic
def action_complete(
    *,
    actor: User,
    action: ActionItem,
    result: str,
    at: datetime | None = None,
    document_ref: str | None = None,
    trainees: str | None = None,
    reason: str = "",
) -> ActionItem:
    """The owner reports the action carried out. A revised work instruction names the
    document and its new revision (R-5.5.4); training names the people trained (R-5.5.5)."""
    item = ActionItem.objects.select_for_update().select_related("report").get(pk=action.pk)
    report = _report(item.report)
    require_complete_action(actor, item)
    before = snapshot(item)
    transition(item, ActionStatus.DONE, actor=actor, table=ACTION_TRANSITIONS, save=False)
    item.result = required_text("result", result, _("Say what was done."))
    if document_ref is not None:
        item.document_ref = document_ref.strip()
    if trainees is not None:
        item.trainees = trainees.strip()
    if item.kind == ActionKind.WORK_INSTRUCTION and not item.document_ref:
        raise ValidationError(
            {"document_ref": _("Name the revised work instruction and its new revision.")}
        )
    if item.kind == ActionKind.TRAINING and not item.trainees:
        raise ValidationError({"trainees": _("Name the people who were trained.")})
    at = at or timezone.now()
    check_time("at", at, not_before=report.complaint.received_at)
    record_stated_time(item, "done", stated_at=at, reason=reason)
    item.done_by = actor
    save_audited(item, actor=actor, before=before, action=AuditAction.TRANSITION, clean=True)
    if item.needs_verification and report.leader is not None:
        notify_people(
            [report.leader],
            kind="eightd_verify",
            title=Message(
                gettext_noop("8D %(r)s: verify the effect of “%(a)s”"),
                r=report.number,
                a=item.description[:60],
            ),
            url=report_url(report, "d6"),
            key=f"eightd_verify:{item.pk}:{at.isoformat()}",
        )
    return item


@transaction.atomic
def action_verify(*, actor: User, action: ActionItem, effective: bool, note: str) -> ActionItem:
    """D6: verify the effect of a done action. Quality verifies; Technical tracks the effect
    of its own work-instruction revision (R-5.5.4). Not effective sends it back to work."""
    item = ActionItem.objects.select_for_update().select_related("report").get(pk=action.pk)
    report = _report(item.report)
    if not can(actor, "eightd.edit"):
        if item.kind != ActionKind.WORK_INSTRUCTION:
            require(actor, "eightd.edit")
        require_work_on(actor, item)
    text = required_text("note", note, _("Say how the effect was checked."))
    before = snapshot(item)
    if effective:
        transition(item, ActionStatus.VERIFIED, actor=actor, table=ACTION_TRANSITIONS, save=False)
        item.verified_at, item.verified_by = timezone.now(), actor
    else:
        transition(item, ActionStatus.OPEN, actor=actor, table=ACTION_TRANSITIONS, save=False)
        clear_stated_time(item, "done")
        item.done_by = None
    item.verification_note = text
    save_audited(item, actor=actor, before=before, action=AuditAction.TRANSITION, reason=text)
    if not effective:
        _tell_assignee(
            item,
            report,
            Message(gettext_noop("not effective — rework")),
            item.discipline,
            again=item.verification_note[:20] + str(timezone.now().timestamp()),
        )
    return item


@transaction.atomic
def action_cancel(*, actor: User, action: ActionItem, reason: str) -> ActionItem:
    require(actor, "eightd.edit")
    item = ActionItem.objects.select_for_update().select_related("report").get(pk=action.pk)
    _report(item.report)
    text = required_text("reason", reason, _("Say why the action is dropped."))
    before = snapshot(item)
    transition(item, ActionStatus.CANCELLED, actor=actor, table=ACTION_TRANSITIONS, save=False)
    item.cancel_reason = text
    return save_audited(
        item, actor=actor, before=before, action=AuditAction.TRANSITION, reason=text
    )
