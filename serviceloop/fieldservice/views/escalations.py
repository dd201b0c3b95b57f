"""Pages: escalations from resident engineers to Sales (R-5.3.3)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.actions import page_actions
from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
)

from .. import actions, selectors, services
from ..forms import (
    CoordinateForm,
    DueForm,
    EscalationFilterForm,
    EscalationForm,
    NoteForm,
    ReasonForm,
    ResultForm,
    SolutionForm,
)
from .common import ctx


def escalation_list(request: AuthedRequest) -> HttpResponse:
    form = EscalationFilterForm(request.GET or None)
    qs = selectors.escalation_list(request.user, **form.filters())
    return list_page(
        request,
        qs,
        form=form,
        full="fieldservice/escalation_list.html",
        partial="fieldservice/_escalation_table.html",
        export=_escalations_xlsx,
        export_permission="fieldservice.export",
        **ctx(
            request,
            can_create=can(request.user, "escalation.create"),
            now=timezone.now(),
        ),
    )


def _escalations_xlsx(qs: Any) -> HttpResponse:
    return xlsx_response(
        "escalations.xlsx",
        _("Escalations"),
        [
            _("Number"),
            _("Customer"),
            _("Problem"),
            _("Raised by"),
            _("Raised at"),
            _("Status"),
            _("Coordinator"),
            _("Due date"),
            _("Solution"),
            _("Done at"),
            _("Overdue"),
        ],
        (
            [
                e.number,
                e.customer.name,
                e.title,
                e.raised_by,
                e.raised_at,
                e.get_status_display(),
                e.coordinator or "",
                e.due_date,
                e.solution,
                e.done_at,
                _("yes") if e.overdue else "",
            ]
            for e in qs
        ),
    )


def escalation_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "escalation.create")
    initial = {}
    record_pk = request.GET.get("record")
    if record_pk and record_pk.isdigit():
        rec = selectors.record_list(request.user).filter(pk=int(record_pk)).first()
        if rec is not None:
            initial = {
                "customer": rec.customer_id,
                "service_record": rec.pk,
                "title": f"{rec.part.part_number} {rec.get_failure_mode_display()}",
                "description": rec.defect,
            }
    form = EscalationForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.escalation_raise(actor=request.user, **d),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Escalate a problem to Sales"),
            intro=_(
                "For a quality problem you cannot solve on site (R-5.3.3). Sales coordinates "
                "Production Quality and the other departments on a solution."
            ),
            cancel=reverse("fieldservice:escalation_list"),
        ),
        done=lambda e: _("Escalated to Sales as %s.") % e.number,
    )


def escalation_detail(request: AuthedRequest, pk: int, forms_: dict | None = None):
    e = selectors.escalation_get(request.user, pk)
    user = request.user
    c = ctx(
        request,
        e=e,
        now=timezone.now(),
        notes=e.notes.select_related("author"),
        departments=e.departments.all(),
        history=record_history("fieldservice.escalation", e.pk),
        can_coordinate=can(user, "escalation.coordinate"),
        can_note=can(user, "escalation.note"),
        coordinate_form=CoordinateForm(prefix="coordinate", initial={"due_date": e.due_date}),
        due_form=DueForm(prefix="due"),
        agree_form=SolutionForm(prefix="agree"),
        complete_form=ResultForm(prefix="complete"),
        reopen_form=ReasonForm(prefix="reopen"),
        note_form=NoteForm(prefix="note"),
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/escalation_detail.html", c, status=400 if forms_ else 200)


(
    escalation_coordinate,
    escalation_due,
    escalation_agree,
    escalation_complete,
    escalation_reopen,
    escalation_note,
) = page_actions(
    selectors.escalation_get,
    escalation_detail,
    actions.ESCALATION_COORDINATE,
    actions.ESCALATION_DUE,
    actions.ESCALATION_AGREE,
    actions.ESCALATION_COMPLETE,
    actions.ESCALATION_REOPEN,
    actions.ESCALATION_NOTE,
)
