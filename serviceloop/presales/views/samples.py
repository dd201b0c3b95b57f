"""Pages of sample requests (R-5.1.2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from serviceloop.core.models import Department
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
)

from .. import selectors, services
from ..forms import (
    ConfirmForm,
    DeliverForm,
    DepartmentForm,
    ListFilterForm,
    MadeForm,
    RejectForm,
    SampleForm,
    ScheduleForm,
)
from ..models import SampleRequest, SampleStatus
from ..services.common import acts_for
from .common import post_action
from .requirements import attachment_response

# step -> (permission, form, the service call, message, status it acts on)
Step = tuple[str, type[forms.Form], Callable[[Any, SampleRequest, dict], object], Any, tuple]
STEPS: dict[str, Step] = {
    "approve": (
        "sample.approve",
        DepartmentForm,
        lambda u, s, d: services.sample_approve(actor=u, sample=s, department=d["department"]),
        gettext_lazy("Approved."),
        (SampleStatus.REQUESTED,),
    ),
    "reject": (
        "sample.approve",
        RejectForm,
        lambda u, s, d: services.sample_reject(
            actor=u, sample=s, department=d["department"], reason=d["reason"]
        ),
        gettext_lazy("Rejected."),
        (SampleStatus.REQUESTED,),
    ),
    "schedule": (
        "sample.make",
        ScheduleForm,
        lambda u, s, d: services.sample_schedule(actor=u, sample=s, planned_date=d["planned_date"]),
        gettext_lazy("Scheduled."),
        (SampleStatus.APPROVED,),
    ),
    "made": (
        "sample.make",
        MadeForm,
        lambda u, s, d: services.sample_record_made(
            actor=u,
            sample=s,
            lot=d["lot"],
            inspection_result=d["inspection_result"],
            report=d.get("report"),
        ),
        gettext_lazy("Recorded as made."),
        (SampleStatus.SCHEDULED,),
    ),
    "deliver": (
        "sample.deliver",
        DeliverForm,
        lambda u, s, d: services.sample_deliver(
            actor=u, sample=s, delivered_at=d["delivered_at"], shipping_note=d["shipping_note"]
        ),
        gettext_lazy("Delivery recorded."),
        (SampleStatus.SCHEDULED, SampleStatus.MADE),
    ),
    "confirm": (
        "sample.deliver",
        ConfirmForm,
        lambda u, s, d: services.sample_confirm(
            actor=u,
            sample=s,
            accepted=d["accepted"],
            note=d["note"],
            open_requirement=d["open_requirement"],
            open_complaint=d["open_complaint"],
        ),
        gettext_lazy("The customer's answer is recorded."),
        (SampleStatus.DELIVERED,),
    ),
}


def sample_list(request: AuthedRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None, statuses=SampleStatus.choices)
    filters = form.filters()
    filters["overdue"] = filters.pop("late", None)
    return list_page(
        request,
        selectors.sample_list(request.user, **filters),
        form=form,
        full="presales/sample_list.html",
        can_create=can(request.user, "sample.create"),
    )


def sample_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "sample.create")
    form = SampleForm(
        request.POST or None, user=request.user, initial={"customer": request.GET.get("customer")}
    )
    return form_page(
        request,
        form,
        lambda d: services.sample_request(
            actor=request.user, **{**d, "approvers": list(d["approvers"])}
        ),
        template="presales/form.html",
        context={"title": _("Apply for a sample"), "back": "presales:samples"},
        done=lambda obj: _("Applied as %s.") % obj.number,
        success_url=lambda obj: reverse("presales:sample", args=[obj.pk]),
        invalid_status=200,
    )


def sample_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    sample = selectors.sample_get(request.user, pk)
    user = request.user
    approvals = list(sample.approvals.select_related("department", "decided_by"))
    mine = [
        a.department_id for a in approvals if a.decided_at is None and acts_for(user, a.department)
    ]
    actions = []
    for step, (permission, form_cls, _call, _msg, statuses) in STEPS.items():
        if sample.status not in statuses or not can(user, permission):
            continue
        if step in ("approve", "reject") and not mine:
            continue
        form = (forms_ or {}).get(f"{step}_form") or form_cls(prefix=step)
        if "department" in form.fields:
            field: Any = form.fields["department"]
            field.queryset = Department.objects.filter(pk__in=mine)
            form.initial.setdefault("department", mine[0])
        if step == "deliver":
            form.initial.setdefault("delivered_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        actions.append((step, form, STEPS_LABELS[step]))
    ctx = {
        "sample": sample,
        "approvals": approvals,
        "attachments": sample.attachments.select_related("uploaded_by"),
        "actions": actions,
        "now": timezone.now(),
        "open_action": (forms_ or {}).get("open_action"),
        "history": record_history("presales.samplerequest", sample.pk),
    }
    return render(request, "presales/sample_detail.html", ctx, status=400 if forms_ else 200)


STEPS_LABELS = {
    "approve": gettext_lazy("Approve for my department"),
    "reject": gettext_lazy("Reject, with the reason"),
    "schedule": gettext_lazy("Schedule the sample"),
    "made": gettext_lazy("Record the sample made and inspected"),
    "deliver": gettext_lazy("Record the delivery"),
    "confirm": gettext_lazy("Record the customer's answer"),
}


@require_POST
def sample_step(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    sample = selectors.sample_get(request.user, pk)
    permission, form_cls, call, done, _statuses = STEPS[step]
    return post_action(
        request,
        permission=permission,
        form=form_cls(request.POST, request.FILES, prefix=step),
        call=lambda d: call(request.user, sample, d),
        done=str(done),
        success_url=("presales:sample", pk),
        detail=lambda f: sample_detail(request, pk, {**f, "open_action": step}),
        key=f"{step}_form",
    )


def sample_attachment(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """Download a file of a sample request (the inspection report)."""
    return attachment_response(selectors.sample_attachment_get(request.user, pk, attachment_pk))
