from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.complaints.selectors import complaints_from_source
from serviceloop.core.actions import page_actions
from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    run_service,
)

from . import actions, selectors, services
from .forms import (
    CommunicationFilterForm,
    CommunicationForm,
    ExtendForm,
    MajorFlagForm,
    RespondForm,
    RouteForm,
    TextForm,
)


def communication_list(request: AuthedRequest) -> HttpResponse:
    form = CommunicationFilterForm(request.GET or None)
    return list_page(
        request,
        selectors.communication_list(request.user, **form.filters(request.user)),
        form=form,
        full="communications/list.html",
        partial="communications/_table.html",
        export=_export,
        export_permission="communication.export",
        now=timezone.now(),
        can_create=can(request.user, "communication.create"),
    )


def _export(qs) -> HttpResponse:
    headers = [
        _("Number"),
        _("Customer"),
        _("Channel"),
        _("Received at"),
        _("Subject"),
        _("Taken by"),
        _("Owner"),
        _("Status"),
        _("Answer due"),
        _("Answered at"),
        _("Feedback due"),
        _("Feedback given at"),
        _("Major quality problem"),
        _("Overdue"),
    ]
    now = timezone.now()
    rows = (
        [
            c.number,
            c.customer.name,
            c.get_channel_display(),
            c.received_at,
            c.subject,
            c.taken_by,
            c.owner,
            c.get_status_display(),
            c.answer_due_at,
            c.answered_at,
            c.feedback_due_at,
            c.feedback_at,
            _("yes") if c.major_quality_issue else "",
            _("yes") if c.is_overdue(now) else "",
        ]
        for c in qs.iterator(chunk_size=2000)
    )
    return xlsx_response("communications.xlsx", _("Communications"), headers, rows)


def communication_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "communication.create")
    initial = {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": "call"}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = CommunicationForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.communication_register(actor=request.user, **d),
        template="communications/form.html",
        context={"title": _("Register a communication")},
        done=lambda comm: _("Registered as %s.") % comm.number,
        invalid_status=200,
    )


def communication_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    comm = selectors.communication_get(request.user, pk)
    require(request.user, "communication.change")
    form = CommunicationForm(request.POST or None, instance=comm, user=request.user, editing=True)

    def save(d: dict) -> object:
        kept = ("channel", "received_at", "contact", "contact_name", "subject", "body")
        data = {k: d[k] for k in kept}
        fresh = selectors.communication_get(request.user, pk)
        return services.communication_update(
            actor=request.user, communication=fresh, owner=d["owner"] or comm.owner, **data
        )

    return form_page(
        request,
        form,
        save,
        template="communications/form.html",
        context={"title": _("Edit %s") % comm.number, "comm": comm},
        done=_("Saved."),
        success_url=comm.get_absolute_url(),
        invalid_status=200,
    )


def communication_detail(
    request: AuthedRequest, pk: int, forms_: dict | None = None
) -> HttpResponse:
    comm = selectors.communication_get(request.user, pk)
    user = request.user
    ctx = {
        "comm": comm,
        "now": timezone.now(),
        "routings": comm.routings.select_related("department", "routed_by", "responded_by"),
        "history": record_history("communications.communication", comm.pk),
        "answer_form": TextForm(prefix="answer"),
        "feedback_form": TextForm(prefix="feedback"),
        "extend_form": ExtendForm(prefix="extend"),
        "route_form": RouteForm(prefix="route"),
        "respond_form": RespondForm(prefix="respond"),
        "can_respond": can(user, "communication.respond"),
        "can_extend": can(user, "communication.extend") and comm.may_extend(),
        "can_route": can(user, "communication.route"),
        "can_change": can(user, "communication.change"),
        "my_department": user.department_id,
        "raised_complaints": complaints_from_source(user, comm),
    }
    ctx.update(forms_ or {})
    return render(request, "communications/detail.html", ctx, status=400 if forms_ else 200)


answer, feedback, extend, route = page_actions(
    selectors.communication_get,
    communication_detail,
    actions.ANSWER,
    actions.FEEDBACK,
    actions.EXTEND,
    actions.ROUTE,
)


def flag_major(request: AuthedRequest, pk: int) -> HttpResponse:
    """Flag as a major quality problem (R-5.9.1, R-5.9.5): the form asks for the part, lot
    and quantity the 8D starts from, prefilled from the communication."""
    comm = selectors.communication_get(request.user, pk)
    require(request.user, "communication.change")
    if comm.major_quality_issue:
        return redirect("communications:detail", pk)
    form = MajorFlagForm.prefilled(comm, data=request.POST or None)
    return form_page(
        request,
        form,
        lambda d: services.communication_flag_major(actor=request.user, communication=comm, **d),
        template="communications/flag_major.html",
        context={"comm": comm},
        done=_("Flagged as a major quality problem; leadership was notified."),
        success_url=comm.get_absolute_url(),
        level=messages.WARNING,
    )


@require_POST
def respond(request: AuthedRequest, pk: int) -> HttpResponse:
    routing = selectors.routing_get(request.user, pk)
    require(request.user, "communication.respond")
    form = RespondForm(request.POST, prefix="respond")
    comm_pk = routing.communication_id
    if form.is_valid() and None is not run_service(
        form,
        lambda: services.routing_respond(
            actor=request.user, routing=routing, text=form.cleaned_data["text"]
        ),
    ):
        messages.success(request, _("Response recorded."))
        return redirect("communications:detail", comm_pk)
    return communication_detail(request, comm_pk, {"respond_form": form})
