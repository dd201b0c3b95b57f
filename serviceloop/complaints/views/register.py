"""Pages of the Customer Complaint Register (R-5.5.1): list with filters and XLSX export,
register, correct, detail, convert into an 8D."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    run_service,
)

from .. import selectors, services
from ..documents.xlsx import register_response
from ..forms.register import ComplaintFilterForm, ComplaintForm, OpenEightDForm
from ..models import Kind

FIELDS = (
    "customer_reference",
    "received_at",
    "part_number",
    "part_name",
    "lot",
    "quantity",
    "description",
    "in_production",
    "severity",
)


def complaint_list(request: AuthedRequest) -> HttpResponse:
    form = ComplaintFilterForm(request.GET or None)
    return list_page(
        request,
        selectors.complaint_list(request.user, **form.filters()),
        form=form,
        full="complaints/list.html",
        partial="complaints/_table.html",
        export=lambda qs: register_response(
            qs,
            exported_by=str(request.user),
            filters=form.describe(),
            # counted by list_page
            total=request.export_rows,  # type: ignore[attr-defined]
        ),
        export_permission="complaint.export",
        can_create=can(request.user, "complaint.create"),
        can_export=can(request.user, "complaint.export"),
    )


def complaint_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "complaint.create")
    initial = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "kind": request.GET.get("kind") or Kind.COMPLAINT,
        "customer": request.GET.get("customer") or None,
    }
    form = ComplaintForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.complaint_register(
            actor=request.user,
            customer=d["customer"],
            kind=d["kind"],
            **{k: d[k] for k in FIELDS},
        ),
        template="complaints/form.html",
        context={"title": _("Register a complaint")},
        done=lambda complaint: _("Registered as %s.") % complaint.number,
    )


def complaint_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    complaint = selectors.complaint_get(request.user, pk)
    require(request.user, "complaint.change")
    form = ComplaintForm(request.POST or None, instance=complaint, user=request.user, editing=True)
    return form_page(
        request,
        form,
        lambda d: services.complaint_update(
            actor=request.user,
            complaint=selectors.complaint_get(request.user, pk),
            reason=request.POST.get("reason", ""),
            **{k: d[k] for k in FIELDS if k in form.fields and not form.fields[k].disabled},
        ),
        template="complaints/form.html",
        context=lambda: {"title": _("Edit %s") % complaint.number, "complaint": complaint},
        done=_("Saved."),
        success_url=reverse("complaints:detail", args=[pk]),
    )


def complaint_detail(request: AuthedRequest, pk: int, open_form=None) -> HttpResponse:
    complaint = selectors.complaint_get(request.user, pk)
    user = request.user
    report = getattr(complaint, "eight_d", None)
    ctx = {
        "complaint": complaint,
        "report": report,
        "reply": getattr(report, "reply", None) if report else None,
        "circulation": list(report.circulation.select_related("acknowledged_by")) if report else [],
        "history": record_history("complaints.complaint", complaint.pk),
        "open_form": open_form or OpenEightDForm(),
        "can_open": can(user, "eightd.open") and report is None,
        "can_change": can(user, "complaint.change") and not complaint.is_closed,
        "can_view_8d": can(user, "eightd.view"),
    }
    return render(request, "complaints/detail.html", ctx, status=400 if open_form else 200)


@require_POST
def open_eight_d(request: AuthedRequest, pk: int) -> HttpResponse:
    """Convert the complaint into its 8D report (R-5.5.1); a second time just shows it."""
    complaint = selectors.complaint_get(request.user, pk)
    require(request.user, "eightd.open")
    form = OpenEightDForm(request.POST)
    if not form.is_valid():
        return complaint_detail(request, pk, open_form=form)
    result = run_service(
        form,
        lambda: services.eightd_open(
            actor=request.user, complaint=complaint, leader=form.cleaned_data["leader"]
        ),
    )
    if result is None:
        return complaint_detail(request, pk, open_form=form)
    report, created = result
    if created:
        messages.success(request, _("8D report %s opened and handed to Quality.") % report.number)
    return redirect("complaints:eightd", report.pk)
