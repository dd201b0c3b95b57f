from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    detail_action,
    detail_actions,
    form_page,
    list_page,
    paginate,
    post_action,
    run_service,
)

from . import selectors, services
from .exports import records_xlsx
from .forms import (
    ActionForm,
    CloseForm,
    DistributeForm,
    NoteForm,
    PlanForm,
    PlanItemForm,
    RaiseForm,
    RecordFilterForm,
    ReviewForm,
    VerifyForm,
    VisitRecordForm,
)
from .models import ActionStatus, PlanStatus, RecordStatus, VisitPlanItem

# --- visit records ------------------------------------------------------------------------


def record_list(request: AuthedRequest) -> HttpResponse:
    form = RecordFilterForm(request.GET or None)
    return list_page(
        request,
        selectors.visit_record_list(request.user, **form.filters()),
        form=form,
        full="visits/list.html",
        partial="visits/list.html",  # no htmx table of its own
        export=records_xlsx,
        export_permission="visit_record.export",
        can_create=can(request.user, "visit_record.create"),
        can_export=can(request.user, "visit_record.export"),
    )


def record_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "visit_record.create")
    initial = {"visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "satisfaction": 4}
    for key in ("customer", "plan_item"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    if request.GET.get("plan_item"):
        item = VisitPlanItem.objects.filter(pk=request.GET["plan_item"]).first()
        if item:
            initial["customer"] = item.customer_id
    form = VisitRecordForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.visit_record_create(actor=request.user, **d),
        template="visits/form.html",
        context={"title": _("Record a customer visit")},
        done=lambda rec: _("Recorded as %s.") % rec.number,
        invalid_status=200,
    )


def record_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    rec = selectors.visit_record_get(request.user, pk)
    user = request.user
    copies = list(rec.copies.select_related("department", "read_by", "distributed_by"))
    my_copy = next((c for c in copies if c.department_id == user.department_id), None)
    ctx = {
        "rec": rec,
        "copies": copies,
        "my_copy": my_copy,
        "actions": rec.actions.select_related("owner", "department", "closed_by", "verified_by"),
        "communications": rec.communications.all(),
        "history": record_history("visits.visitrecord", rec.pk),
        "review_form": NoteForm(prefix="review"),
        "distribute_form": DistributeForm(prefix="distribute"),
        "raise_form": RaiseForm(
            prefix="raise", initial={"subject": (rec.problems or rec.summary)[:100]}
        ),
        "action_form": ActionForm(prefix="action"),
        "close_form": CloseForm(prefix="close"),
        "verify_form": VerifyForm(prefix="verify"),
        "can_review": can(user, "visit_record.review") and rec.status == RecordStatus.FILED,
        "can_distribute": can(user, "visit_record.distribute") and rec.status != RecordStatus.FILED,
        "can_read": can(user, "visit_record.read") and my_copy and not my_copy.read_at,
        "can_raise": can(user, "visit_record.raise") and can(user, "communication.create"),
        "can_add_action": can(user, "visit_action.create"),
        "can_close": can(user, "visit_action.close"),
        "can_verify": can(user, "visit_action.verify"),
        "Open": ActionStatus.OPEN,
        "Closed": ActionStatus.CLOSED,
    }
    ctx.update(forms_ or {})
    return render(request, "visits/detail.html", ctx, status=400 if forms_ else 200)


# Record actions: the record through its selector, back to its page (core.views_support).
_record_action = detail_actions(selectors.visit_record_get, record_detail)


@require_POST
def record_review(request: AuthedRequest, pk: int) -> HttpResponse:
    return _record_action(
        request,
        pk,
        "visit_record.review",
        NoteForm,
        "review",
        lambda r, d: services.visit_record_review(actor=request.user, record=r, note=d["note"]),
        _("Reviewed."),
    )


@require_POST
def record_distribute(request: AuthedRequest, pk: int) -> HttpResponse:
    return _record_action(
        request,
        pk,
        "visit_record.distribute",
        DistributeForm,
        "distribute",
        lambda r, d: services.visit_record_distribute(
            actor=request.user, record=r, departments=d["departments"]
        ),
        _("Copies sent."),
    )


@require_POST
def record_read(request: AuthedRequest, pk: int) -> HttpResponse:
    rec = selectors.visit_record_get(request.user, pk)
    require(request.user, "visit_record.read")
    form = forms.Form(request.POST)
    if run_service(form, lambda: services.visit_copy_read(actor=request.user, record=rec)):
        messages.success(request, _("Reading recorded."))
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return redirect("visits:detail", pk)


@require_POST
def record_raise(request: AuthedRequest, pk: int) -> HttpResponse:
    rec = selectors.visit_record_get(request.user, pk)
    require(request.user, "visit_record.raise")
    form = RaiseForm(request.POST, prefix="raise")
    if form.is_valid():
        comm = run_service(
            form,
            lambda: services.visit_record_raise_communication(
                actor=request.user,
                record=rec,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            ),
        )
        if comm:
            messages.success(request, _("Communication %s registered.") % comm.number)
            return redirect("communications:detail", comm.pk)
    return record_detail(request, pk, {"raise_form": form, "open_action": "raise"})


@require_POST
def action_create(request: AuthedRequest, pk: int) -> HttpResponse:
    return _record_action(
        request,
        pk,
        "visit_action.create",
        ActionForm,
        "action",
        lambda r, d: services.improvement_action_create(actor=request.user, record=r, **d),
        _("Improvement action set."),
    )


def _on_action(
    request: AuthedRequest,
    pk: int,
    permission: str,
    form_cls: type[forms.Form],
    prefix: str,
    call: Callable[..., object],
    done: str,
) -> HttpResponse:
    """An improvement action's form, posted from (and shown again on) its record's page."""
    act = selectors.action_get(request.user, pk)
    return detail_action(
        request,
        obj=act,
        permission=permission,
        form_cls=form_cls,
        prefix=prefix,
        call=call,
        done=done,
        rerender=lambda forms_: record_detail(request, act.record_id, forms_),
        success_url=reverse("visits:detail", args=[act.record_id]),
    )


@require_POST
def action_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _on_action(
        request,
        pk,
        "visit_action.close",
        CloseForm,
        "close",
        lambda a, d: services.improvement_action_close(
            actor=request.user, action=a, note=d["note"]
        ),
        _("Action closed."),
    )


@require_POST
def action_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    return _on_action(
        request,
        pk,
        "visit_action.verify",
        VerifyForm,
        "verify",
        lambda a, d: services.improvement_action_verify(
            actor=request.user, action=a, effective=d["effective"], note=d["note"]
        ),
        _("Verification recorded."),
    )


def action_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.action_list(request.user, status=status if status in ActionStatus else "")
    return render(
        request,
        "visits/actions.html",
        {"page": paginate(request, qs), "status": status, "statuses": ActionStatus.choices},
    )


# --- the annual visit plan ----------------------------------------------------------------


def plan_list(request: AuthedRequest, form: PlanForm | None = None) -> HttpResponse:
    plans = selectors.plan_list(request.user)
    year = timezone.localdate().year
    form = form or PlanForm(
        initial={"year": year if not plans.filter(year=year).exists() else year + 1}
    )
    return render(
        request,
        "visits/plans.html",
        {"plans": plans, "form": form, "can_draft": can(request.user, "visit_plan.draft")},
        status=400 if form.is_bound else 200,
    )


@require_POST
def plan_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "visit_plan.draft")
    form = PlanForm(request.POST)
    if form.is_valid():
        plan = run_service(
            form,
            lambda: services.visit_plan_create(actor=request.user, year=form.cleaned_data["year"]),
        )
        if plan:
            messages.success(request, _("Plan drafted from the customer archive."))
            return redirect("visits:plan", plan.pk)
    return plan_list(request, form)


def plan_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    user = request.user
    ctx = {
        "plan": plan,
        "items": selectors.plan_items(user, plan),
        "history": record_history("visits.visitplan", plan.pk),
        "item_form": PlanItemForm(prefix="item", user=user),
        "review_form": ReviewForm(prefix="review"),
        "approve_form": ReviewForm(prefix="approve"),
        "draft": plan.status == PlanStatus.DRAFT and can(user, "visit_plan.draft"),
        "can_review": plan.status == PlanStatus.SUBMITTED and can(user, "visit_plan.review"),
        "can_approve": plan.status == PlanStatus.REVIEWED and can(user, "visit_plan.approve"),
        "can_record": can(user, "visit_record.create"),
    }
    ctx.update(forms_ or {})
    return render(request, "visits/plan.html", ctx, status=400 if forms_ else 200)


def _plan_action(
    request: AuthedRequest,
    pk: int,
    permission: str,
    form_cls: type[forms.Form],
    prefix: str,
    call: Callable[..., object],
    done: str,
) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    kwargs: dict[str, Any] = {"user": request.user} if form_cls is PlanItemForm else {}
    return post_action(
        request,
        permission=permission,
        form=form_cls(request.POST, prefix=prefix, **kwargs),
        call=lambda data: call(plan, data),
        done=done,
        success_url=plan.get_absolute_url(),
        rerender=lambda forms_: plan_detail(request, pk, forms_),
        prefix=prefix,
    )


@require_POST
def plan_item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        "visit_plan.draft",
        PlanItemForm,
        "item",
        lambda p, d: services.visit_plan_item_add(
            actor=request.user,
            plan=p,
            item=services.ItemIn(
                customer=d["customer"].pk,
                planned_month=d["planned_month"],
                purpose=d["purpose"],
                visitors=d["visitors"],
            ),
        ),
        _("Visit added to the plan."),
    )


@require_POST
def plan_item_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    require(request.user, "visit_plan.draft")
    item = get_object_or_404(VisitPlanItem, pk=pk)
    selectors.plan_get(request.user, item.plan_id)
    form = forms.Form(request.POST)
    if run_service(
        form, lambda: services.visit_plan_item_remove(actor=request.user, item=item) or True
    ):
        messages.success(request, _("Visit removed from the plan."))
    else:
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return redirect("visits:plan", item.plan_id)


@require_POST
def plan_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        "visit_plan.draft",
        forms.Form,
        "submit",
        lambda p, d: services.visit_plan_submit(actor=request.user, plan=p),
        _("Submitted for review."),
    )


@require_POST
def plan_review(request: AuthedRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        "visit_plan.review",
        ReviewForm,
        "review",
        lambda p, d: services.visit_plan_review(
            actor=request.user, plan=p, comment=d["comment"], send_back=d["send_back"]
        ),
        _("Review recorded."),
    )


@require_POST
def plan_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _plan_action(
        request,
        pk,
        "visit_plan.approve",
        ReviewForm,
        "approve",
        lambda p, d: services.visit_plan_approve(
            actor=request.user, plan=p, comment=d["comment"], send_back=d["send_back"]
        ),
        _("Decision recorded."),
    )


def board(request: AuthedRequest) -> HttpResponse:
    """Plan vs actual per customer and month (R-5.7.2), printable."""
    require(request.user, "visit_plan.view")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    data = selectors.plan_vs_actual(request.user, year)
    return render(
        request,
        "visits/board.html",
        {**data, "months": range(1, 13), "prev": year - 1, "next": year + 1},
    )
