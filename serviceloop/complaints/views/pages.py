"""Rendering the 8D pages: the overview and the editor of one discipline, with every form
they offer. A failed action re-renders the page with that form's errors (status 400)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from serviceloop.core.permissions import can
from serviceloop.core.views_support import AuthedRequest

from ..forms.eightd import (
    AcknowledgeForm,
    ActionForm,
    CauseForm,
    CloseForm,
    CompleteForm,
    ContainmentDoneForm,
    ContainmentForm,
    DisciplineForm,
    LeaderForm,
    NegotiationForm,
    ReasonForm,
    ReinspectForm,
    TeamForm,
    VerifyForm,
)
from ..models import CIRCULATION_ROLES, CODES, EightDReport, EightDStatus
from ..permissions import may_complete_action, may_contribute, may_work_on
from ..selectors import report_full, report_history
from ..services import close_blockers, discipline_gaps


def discipline_form(
    report: EightDReport, code: str, manage: bool, data: Any = None
) -> DisciplineForm:
    disc = report.disciplines.get(code=code)
    initial: dict[str, Any] = {"summary": disc.summary, "owner": disc.owner_id}
    if disc.due_at:
        initial["due_at"] = timezone.localtime(disc.due_at).strftime("%Y-%m-%dT%H:%M")
    if code == "d2":
        for name in (
            "problem_statement",
            *(f"d2_{k}" for k in ("what", "why", "where", "when", "who", "how", "how_many")),
        ):
            initial[name] = getattr(report, name)
    return DisciplineForm(data, code=code, manage=manage, initial=initial, prefix="disc")


def _tabs(data: dict[str, Any], now: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "disc": data["disciplines"][code],
            "overdue": data["disciplines"][code].is_open
            and data["disciplines"][code].due_at is not None
            and now > data["disciplines"][code].due_at,
        }
        for code in CODES
    ]


def report_context(
    request: AuthedRequest, report: EightDReport, code: str | None = None
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    data = report_full(report)
    closed = report.status == EightDStatus.CLOSED
    manage = can(user, "eightd.edit") and not closed
    actions = data["actions"]
    contributes = {c: may_contribute(user, report, c) for c in CODES}
    for task in [*actions, *data["containments"]]:
        code_of = getattr(task, "discipline", "d3")
        task.workable = not closed and (contributes[code_of] or may_work_on(user, task))
    for item in actions:
        item.completable = not closed and may_complete_action(user, item)
    ctx: dict[str, Any] = {
        **data,
        "report": report,
        "complaint": report.complaint,
        "tabs": _tabs(data, now),
        "now": now,
        "closed": closed,
        "manage": manage,
        "contribute": (contributes[code] if code else may_contribute(user, report)) and not closed,
        "can_close": can(user, "eightd.close") and not closed,
        "can_reinspect": can(user, "containment.reinspect") and not closed,
        "can_negotiate": can(user, "complaint.negotiate")
        and report.status == EightDStatus.NEGOTIATION,
        "can_ack": closed
        and can(user, "circulation.acknowledge")
        and any(
            r.role in CIRCULATION_ROLES and r.acknowledged_at is None for r in data["circulation"]
        ),
        "can_reply": can(user, "reply.view"),
        "leader_form": LeaderForm(prefix="leader", initial={"leader": report.leader_id}),
        "close_form": CloseForm(prefix="close"),
        "reason_form": ReasonForm(prefix="refer"),
        "negotiation_form": NegotiationForm(prefix="neg"),
        "ack_form": AcknowledgeForm(prefix="ack"),
    }
    if code is None:
        ctx["blockers"] = {} if closed else close_blockers(report, summary="-")
        ctx["history"] = report_history(report)
        return ctx
    shown = [a for a in actions if a.discipline == code]
    if code == "d6":
        shown = [a for a in actions if a.discipline in ("d5", "d6")]
    ctx.update(
        code=code,
        disc=data["disciplines"][code],
        gaps={} if closed else discipline_gaps(report, code),
        blockers={} if closed or code != "d8" else close_blockers(report, summary="-"),
        shown_actions=shown,
        discipline_form=discipline_form(report, code, manage),
        team_form=TeamForm(prefix="team"),
        containment_form=ContainmentForm(prefix="cont"),
        done_form=ContainmentDoneForm(prefix="done"),
        reinspect_form=ReinspectForm(prefix="reinspect"),
        cause_form=CauseForm(prefix="cause"),
        action_form=ActionForm(
            prefix="action",
            report=report,
            initial={"due_at": _local(data["disciplines"][code].due_at)},
        ),
        complete_form=CompleteForm(prefix="complete"),
        verify_form=VerifyForm(prefix="verify"),
        cancel_form=ReasonForm(prefix="cancel"),
    )
    return ctx


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def render_report(
    request: AuthedRequest,
    report: EightDReport,
    code: str | None = None,
    *,
    failed: dict[str, forms.BaseForm] | None = None,
    row: int | None = None,
) -> HttpResponse:
    """The overview (code None) or one discipline; `failed` replaces a form by the one that
    just failed so its errors show, `row` names the table row it belongs to."""
    ctx = report_context(request, report, code)
    if row is None:
        ctx.update(failed or {})
    else:
        name, form = next(iter((failed or {}).items()))
        ctx.update(row_form=form, row_form_name=name, error_row=row)
    template = "complaints/eightd.html" if code is None else "complaints/discipline.html"
    return render(request, template, ctx, status=400 if failed else 200)
