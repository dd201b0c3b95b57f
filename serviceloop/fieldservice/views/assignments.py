"""Pages: the field-service overview, who is where, and engineer assignments."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core import deadlines
from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    post_action,
)

from .. import selectors, services
from ..domain import rules
from ..forms import AssignmentFilterForm, AssignmentForm, EndAssignmentForm
from ..models import EscalationStatus, ReturnStatus
from .common import ctx


def home(request: AuthedRequest) -> HttpResponse:
    """Overview: where things stand, and the user's quick actions."""
    user = request.user
    require(user, "fieldservice.view")
    now = timezone.now()
    today = timezone.localdate()
    where = selectors.who_is_where(user, today)
    mondays = [deadlines.week_start(today) - timedelta(weeks=i) for i in range(11, -1, -1)]
    per_week = dict(
        selectors.record_list(user, date_from=mondays[0])
        .values_list("week_start")
        .annotate(n=Count("pk"))
        .order_by()
    )
    escalations = selectors.escalation_list(user).exclude(status=EscalationStatus.DONE)
    queue = selectors.warehouse_queue(user)
    _weeks, compliance = (
        selectors.feedback_compliance(user, weeks=4, now=now)
        if can(user, "feedback.view")
        else ([], [])
    )
    return render(
        request,
        "fieldservice/home.html",
        ctx(
            request,
            where=where,
            week_values=[per_week.get(m, 0) for m in mondays],
            week_labels=[rules.week_label(m)[-3:] for m in mondays],
            open_escalations=escalations.count(),
            overdue_escalations=escalations.filter(due_at__lt=now).count(),
            queue_total=queue.count(),
            queue_urgent=queue.filter(kind="urgent").count(),
            held_returns=selectors.return_list(user, status=ReturnStatus.HELD).count(),
            returns_to_check=selectors.return_list(user, status=ReturnStatus.SIGNED).count(),
            missing_weeks=sum(e.missing for e in compliance),
            open_tags=selectors.tag_list(user, status="tagged").count(),
            can_record=can(user, "record.create"),
            can_escalate=can(user, "escalation.create"),
            can_request=can(user, "parts.request"),
            can_return=can(user, "return.fill"),
            can_import=can(user, "record.import"),
            can_assign=can(user, "assignment.manage"),
            can_feedback=can(user, "feedback.view"),
        ),
    )


def where(request: AuthedRequest) -> HttpResponse:
    """Who is where (R-5.3.1/5.3.2, R-5.3.5), and the gaps."""
    data = selectors.who_is_where(request.user)
    if request.GET.get("export") == "xlsx":
        require(request.user, "fieldservice.export")
        rows = [
            [
                a.get_kind_display(),
                a.engineer,
                a.engineer.phone,
                a.customer.code,
                a.customer.name,
                a.customer.get_tier_display(),
                a.site,
                a.address,
                a.start_date,
                a.end_date or "",
            ]
            for a in [*data.resident, *data.named]
        ]
        return xlsx_response(
            "who-is-where.xlsx",
            _("Who is where"),
            [
                _("Kind"),
                _("Engineer"),
                _("Phone"),
                _("Customer code"),
                _("Customer"),
                _("Tier"),
                _("Site"),
                _("Address"),
                _("Since"),
                _("Until"),
            ],
            rows,
        )
    return render(
        request,
        "fieldservice/where.html",
        ctx(request, data=data, can_assign=can(request.user, "assignment.manage")),
    )


def assignment_list(request: AuthedRequest) -> HttpResponse:
    form = AssignmentFilterForm(request.GET or None)
    qs = selectors.assignment_list(request.user, **form.filters())
    return list_page(
        request,
        qs,
        form=form,
        full="fieldservice/assignment_list.html",
        partial="fieldservice/_assignment_table.html",
        **ctx(
            request,
            can_assign=can(request.user, "assignment.manage"),
        ),
    )


def assignment_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "assignment.manage")
    initial = {"start_date": timezone.localdate(), "kind": request.GET.get("kind", "resident")}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = AssignmentForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.assignment_create(actor=request.user, **d),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Assign an engineer"),
            intro=_(
                "Resident engineers serve tier-1 OEMs (R-5.3.1/5.3.2); a tier-2 OEM normally "
                "gets none (R-5.3.4.1). Named engineers give key retail users fixed-point "
                "service (R-5.3.5). Any other placement needs a reason."
            ),
            cancel=reverse("fieldservice:where"),
        ),
        done=_("Assignment saved."),
    )


def assignment_detail(request: AuthedRequest, pk: int, forms_: dict | None = None):
    a = selectors.assignment_get(request.user, pk)
    records = selectors.record_list(request.user, engineer=a.engineer_id, customer=a.customer_id)
    c = ctx(
        request,
        a=a,
        others=selectors.assignment_list(request.user, customer=a.customer_id).exclude(pk=a.pk),
        records=records[:10],
        record_count=records.count(),
        history=record_history("fieldservice.engineerassignment", a.pk),
        can_assign=can(request.user, "assignment.manage"),
        end_form=EndAssignmentForm(prefix="end", initial={"end_date": timezone.localdate()}),
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/assignment_detail.html", c, status=400 if forms_ else 200)


def assignment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    a = selectors.assignment_get(request.user, pk)
    require(request.user, "assignment.manage")
    form = AssignmentForm(request.POST or None, instance=a, user=request.user, editing=True)
    kept = ("site", "address", "start_date", "end_date", "exception_reason", "notes")
    return form_page(
        request,
        form,
        lambda d: services.assignment_update(
            actor=request.user,
            assignment=selectors.assignment_get(request.user, pk),
            **{k: d[k] for k in kept},
        ),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Edit assignment: %s") % a,
            cancel=reverse("fieldservice:assignment_detail", args=[pk]),
        ),
        done=_("Saved."),
        success_url=reverse("fieldservice:assignment_detail", args=[pk]),
    )


@require_POST
def assignment_end(request: AuthedRequest, pk: int) -> HttpResponse:
    a = selectors.assignment_get(request.user, pk)
    form = EndAssignmentForm(request.POST, prefix="end")
    return post_action(
        request,
        permission="assignment.manage",
        form=form,
        prefix="end",
        call=lambda d: services.assignment_end(
            actor=request.user, assignment=a, end_date=d["end_date"], reason=d["reason"]
        ),
        done=_("The assignment ends on the date given."),
        success_url=reverse("fieldservice:assignment_detail", args=[pk]),
        rerender=lambda f: assignment_detail(request, pk, f),
    )
