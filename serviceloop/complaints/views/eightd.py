"""Pages of the 8D report: overview, discipline editor, team, referral to Sales, negotiation,
closure, circulation and the PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.actions import page_actions
from serviceloop.core.permissions import require
from serviceloop.core.views_support import AuthedRequest, run_service

from .. import actions, selectors, services
from ..documents.files import eightd_pdf_response
from ..forms.eightd import (
    LeaderForm,
    TeamForm,
)
from ..models import CODES, EightDReport
from ..permissions import require_contribute
from .pages import discipline_form, render_report


def _code(code: str) -> str:
    if code not in CODES:
        raise Http404
    return code


def eightd_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return render_report(request, selectors.report_get(request.user, pk))


def discipline(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    """One discipline: GET shows it; POST saves its narrative (htmx swaps just the form)."""
    report = selectors.report_get(request.user, pk)
    code = _code(code)
    if request.method != "POST":
        return render_report(request, report, code)
    require_contribute(request.user, report, code)
    manage = "disc-owner" in request.POST or "disc-due_at" in request.POST
    if manage:
        require(request.user, "eightd.edit")
    form = discipline_form(report, code, manage, request.POST)
    saved = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        saved = run_service(
            form,
            lambda: services.discipline_update(
                actor=request.user, report=report, code=code, **data
            ),
        )
    if getattr(request, "htmx", False):
        return render(
            request,
            "complaints/_discipline_form.html",
            {
                "discipline_form": form,
                "report": report,
                "code": code,
                "saved": saved is not None,
                "contribute": True,
                "manage": manage,
            },
            status=200 if saved is not None else 400,
        )
    if saved is not None:
        messages.success(request, _("Saved."))
        return redirect("complaints:discipline", pk, code)
    return render_report(request, report, code, failed={"discipline_form": form})


def _act(
    request: AuthedRequest,
    report: EightDReport,
    code: str | None,
    form: forms.BaseForm,
    name: str,
    call: Callable[[dict], Any],
    done: str,
    row: int | None = None,
) -> HttpResponse:
    """Validate a posted form, run the service; back to the page, with errors if it failed."""
    if form.is_valid() and run_service(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, done)
        if code is None:
            return redirect("complaints:eightd", report.pk)
        return redirect("complaints:discipline", report.pk, code)
    fresh = selectors.report_get(request.user, report.pk)
    return render_report(request, fresh, code, failed={name: form}, row=row)


@require_POST
def discipline_complete(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    code = _code(code)
    require_contribute(request.user, report, code)
    form = forms.Form(request.POST)
    return _act(
        request,
        report,
        code,
        form,
        "complete_discipline_form",
        lambda d: services.discipline_complete(actor=request.user, report=report, code=code),
        _("Marked done."),
    )


@require_POST
def discipline_reopen(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    code = _code(code)
    require(request.user, "eightd.edit")
    form = forms.Form(request.POST)
    return _act(
        request,
        report,
        code,
        form,
        "reopen_form",
        lambda d: services.discipline_reopen(
            actor=request.user, report=report, code=code, reason=request.POST.get("reason", "")
        ),
        _("Reopened."),
    )


@require_POST
def leader(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    require(request.user, "eightd.edit")
    form = LeaderForm(request.POST, prefix="leader")
    return _act(
        request,
        report,
        "d1",
        form,
        "leader_form",
        lambda d: services.eightd_set_leader(actor=request.user, report=report, leader=d["leader"]),
        _("Leader named."),
    )


@require_POST
def team_add(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    require(request.user, "eightd.edit")
    form = TeamForm(request.POST, prefix="team")
    return _act(
        request,
        report,
        "d1",
        form,
        "team_form",
        lambda d: services.team_add(actor=request.user, report=report, **d),
        _("Added to the team."),
    )


@require_POST
def team_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    member = selectors.team_member_get(request.user, pk)
    require(request.user, "eightd.edit")
    form = forms.Form(request.POST)
    return _act(
        request,
        member.report,
        "d1",
        form,
        "team_form",
        lambda d: services.team_remove(actor=request.user, member=member) or True,
        _("Removed from the team."),
    )


def _overview(request: AuthedRequest, pk: int, failed: dict[str, Any]) -> HttpResponse:
    """The 8D overview again with the form that failed."""
    return render_report(request, selectors.report_get(request.user, pk), None, failed=failed)


refer, negotiation, close, acknowledge = page_actions(
    selectors.report_get,
    _overview,
    actions.REFER,
    actions.NEGOTIATION,
    actions.CLOSE,
    actions.ACKNOWLEDGE,
)


def eightd_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return eightd_pdf_response(selectors.report_get(request.user, pk))
