"""Pages for the team's work: containment (D3), root causes (D4), action items (D5–D7), and
the list of action items across reports (overdue ones for Quality, R-5.5.7)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_template,
    paginate,
    querystring_without_page,
    run_service,
)

from .. import selectors, services
from ..forms.eightd import (
    ActionForm,
    CauseForm,
    CompleteForm,
    ContainmentDoneForm,
    ContainmentForm,
    ReasonForm,
    ReinspectForm,
    VerifyForm,
)
from ..models import ActionStatus, DisciplineCode
from ..permissions import require_complete_action, require_contribute, require_work_on
from .eightd import _act, _code

CONTAINMENT_FIELDS = list(ContainmentForm.Meta.fields)
CAUSE_FIELDS = list(CauseForm.Meta.fields)
ACTION_FIELDS = list(ActionForm.Meta.fields)


def _edit_page(
    request: AuthedRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], object],
    title: str,
    back: str,
) -> HttpResponse:
    """An 8D item's edit page: saved, back to its discipline."""
    return form_page(
        request,
        form,
        call,
        template="complaints/edit.html",
        context={"title": title, "back": back},
        done=_("Saved."),
        success_url=back,
    )


def _back(report_id: int, code: str) -> str:
    from django.urls import reverse

    return reverse("complaints:discipline", args=[report_id, code])


# D3 ----------------------------------------------------------------------------------------


@require_POST
def containment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    require_contribute(request.user, report, "d3")
    form = ContainmentForm(request.POST, prefix="cont")

    def call(d: dict[str, Any]):
        data = {k: d[k] for k in CONTAINMENT_FIELDS if d.get(k) is not None or k == "owner"}
        return services.containment_add(actor=request.user, report=report, **data)

    return _act(request, report, "d3", form, "containment_form", call, _("Containment added."))


def containment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    c = selectors.containment_get(request.user, pk)
    require_work_on(request.user, c)
    form = ContainmentForm(request.POST or None, instance=c, prefix="cont")

    def save(d: dict[str, Any]) -> object:
        data = {k: d[k] for k in CONTAINMENT_FIELDS}
        if data["due_at"] is None:
            data.pop("due_at")
        return services.containment_update(actor=request.user, containment=c, **data)

    title = _("Containment at %s") % c.get_location_display()
    return _edit_page(request, form, save, title, _back(c.report_id, "d3"))


@require_POST
def containment_done(request: AuthedRequest, pk: int) -> HttpResponse:
    c = selectors.containment_get(request.user, pk)
    require_work_on(request.user, c)
    form = ContainmentDoneForm(request.POST, prefix="done")

    def call(d: dict[str, Any]):
        quantities = {k: v for k, v in d.items() if k.startswith("quantity_") and v is not None}
        return services.containment_done(
            actor=request.user, containment=c, result=d["result"], **quantities
        )

    return _act(request, c.report, "d3", form, "done_form", call, _("Reported done."), row=c.pk)


@require_POST
def containment_reinspect(request: AuthedRequest, pk: int) -> HttpResponse:
    c = selectors.containment_get(request.user, pk)
    require(request.user, "containment.reinspect")
    form = ReinspectForm(request.POST, prefix="reinspect")
    return _act(
        request,
        c.report,
        "d3",
        form,
        "reinspect_form",
        lambda d: services.containment_reinspect(
            actor=request.user, containment=c, passed=d["passed"], note=d["note"]
        ),
        _("Re-inspection recorded."),
        row=c.pk,
    )


# D4 ----------------------------------------------------------------------------------------


@require_POST
def cause_add(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    require_contribute(request.user, report, "d4")
    form = CauseForm(request.POST, prefix="cause")
    return _act(
        request,
        report,
        "d4",
        form,
        "cause_form",
        lambda d: services.cause_add(actor=request.user, report=report, **d),
        _("Root cause recorded."),
    )


def cause_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    cause = selectors.cause_get(request.user, pk)
    require_contribute(request.user, cause.report, "d4")
    form = CauseForm(request.POST or None, instance=cause, prefix="cause")
    return _edit_page(
        request,
        form,
        lambda d: services.cause_update(
            actor=request.user, cause=cause, **{k: d[k] for k in CAUSE_FIELDS}
        ),
        _("Root cause"),
        _back(cause.report_id, "d4"),
    )


# D5–D7 -------------------------------------------------------------------------------------


@require_POST
def action_add(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    code = _code(code)
    require_contribute(request.user, report, code)
    form = ActionForm(request.POST, prefix="action", report=report)
    return _act(
        request,
        report,
        code,
        form,
        "action_form",
        lambda d: services.action_add(actor=request.user, report=report, discipline=code, **d),
        _("Action added."),
    )


def action_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.action_get(request.user, pk)
    require_contribute(request.user, item.report, item.discipline)
    form = ActionForm(request.POST or None, instance=item, prefix="action", report=item.report)
    back = _back(item.report_id, item.discipline)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ACTION_FIELDS if k != "kind"}
        if run_service(
            form, lambda: services.action_update(actor=request.user, action=item, **data)
        ):
            messages.success(request, _("Saved."))
            return redirect(back)
    form.fields["kind"].disabled = True
    return render(
        request,
        "complaints/edit.html",
        {"form": form, "title": _("Action item"), "back": back},
        status=400 if request.method == "POST" else 200,
    )


def _action_code(item: Any, request: AuthedRequest) -> str:
    code = request.POST.get("back") or item.discipline
    return code if code in DisciplineCode.values else item.discipline


@require_POST
def action_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.action_get(request.user, pk)
    require_complete_action(request.user, item)
    form = CompleteForm(request.POST, prefix="complete")
    return _act(
        request,
        item.report,
        _action_code(item, request),
        form,
        "complete_form",
        lambda d: services.action_complete(
            actor=request.user,
            action=item,
            result=d["result"],
            at=d["at"],
            reason=d["reason"],
            document_ref=d["document_ref"] or None,
            trainees=d["trainees"] or None,
        ),
        _("Reported done."),
        row=item.pk,
    )


@require_POST
def action_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.action_get(request.user, pk)
    if not can(request.user, "eightd.edit"):
        require_work_on(request.user, item)
    form = VerifyForm(request.POST, prefix="verify")
    return _act(
        request,
        item.report,
        _action_code(item, request),
        form,
        "verify_form",
        lambda d: services.action_verify(
            actor=request.user, action=item, effective=d["effective"], note=d["note"]
        ),
        _("Verification recorded."),
        row=item.pk,
    )


@require_POST
def action_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.action_get(request.user, pk)
    require(request.user, "eightd.edit")
    form = ReasonForm(request.POST, prefix="cancel")
    return _act(
        request,
        item.report,
        _action_code(item, request),
        form,
        "cancel_form",
        lambda d: services.action_cancel(actor=request.user, action=item, reason=d["reason"]),
        _("Action cancelled."),
        row=item.pk,
    )


def action_list(request: AuthedRequest) -> HttpResponse:
    """Action items across 8D reports; overdue first. Quality's overdue list (R-5.5.7)."""
    overdue = {"1": True, "0": False}.get(request.GET.get("overdue", ""))
    status = request.GET.get("status", "")
    qs = selectors.action_list(
        request.user,
        status=status if status in ActionStatus.values else "",
        overdue=overdue,
        owner=request.user.pk if request.GET.get("mine") else None,
    )
    if request.GET.get("export") == "xlsx":
        require(request.user, "complaint.export")
        headers = [
            _("8D"),
            _("Customer"),
            _("Discipline"),
            _("Action item"),
            _("Owner"),
            _("Due"),
            _("Status"),
            _("Done at"),
            _("Overdue"),
        ]
        now = timezone.now()
        rows = (
            [
                a.report.number,
                a.report.complaint.customer.name,
                a.get_discipline_display(),
                a.description,
                a.assignee,
                a.due_at,
                a.get_status_display(),
                a.done_at,
                _("yes") if a.is_overdue(now) else "",
            ]
            for a in qs
        )
        return xlsx_response("eight-d-actions.xlsx", _("8D actions"), headers, rows)
    ctx = {
        "page": paginate(request, qs, 50),
        "qs": querystring_without_page(request),
        "statuses": ActionStatus.choices,
        "now": timezone.now(),
        "can_export": can(request.user, "complaint.export"),
    }
    return render(
        request, list_template(request, "complaints/actions.html", "complaints/_actions.html"), ctx
    )
