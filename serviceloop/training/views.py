from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.models import User
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    run_service,
)

from . import selectors, services
from .forms import AttachmentForm, AttendeeForm, CancelForm, TrainingForm, YearForm
from .models import Status


def training_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    form = YearForm(request.GET or {"year": today.year})
    year = form.year_or(today.year) or today.year
    return render(
        request,
        "training/list.html",
        {
            "form": form,
            "year": year,
            "trainings": selectors.training_list(request.user, year=year),
            "warning": year == today.year and services.training_warning_due(today),
            "can_manage": can(request.user, "training.manage"),
        },
    )


def training_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "training.manage")
    form = TrainingForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: services.training_create(
            actor=request.user,
            **{**d, "attendees": list(d["attendees"]), "external": form.external_rows()},
        ),
        template="training/form.html",
        context={"title": _("Plan a training")},
        done=_("Training saved."),
        success_url=lambda t: reverse("training:detail", args=[t.pk]),
        invalid_status=200,
    )


def training_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    t = selectors.training_get(request.user, pk)
    manage = can(request.user, "training.manage")
    ctx = {
        "t": t,
        "attendees": t.attendees.select_related("user"),
        "attachments": t.attachments.all(),
        "history": record_history("training.training", t.pk),
        "attendee_form": AttendeeForm(prefix="attendee"),
        "attachment_form": AttachmentForm(prefix="attachment"),
        "cancel_form": CancelForm(prefix="cancel"),
        "can_manage": manage,
        "can_record": manage and t.status != Status.CANCELLED and t.held_on <= timezone.localdate(),
        "can_cancel": manage and t.status == Status.PLANNED,
    }
    ctx.update(forms_ or {})
    return render(request, "training/detail.html", ctx, status=400 if forms_ else 200)


@require_POST
def attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    t = selectors.training_get(request.user, pk)
    require(request.user, "training.manage")
    results = []
    for att in t.attendees.all():
        score = request.POST.get(f"score_{att.pk}", "").strip()
        passed = request.POST.get(f"passed_{att.pk}", "")
        results.append(
            {
                "id": att.pk,
                "attended": request.POST.get(f"attended_{att.pk}") == "on",
                "score": int(score) if score.isdigit() else None,
                "passed": {"1": True, "0": False}.get(passed),
                "assessment_note": request.POST.get(f"note_{att.pk}", "")[:300],
            }
        )
    form = forms.Form(request.POST)
    if run_service(
        form,
        lambda: services.training_record_attendance(
            actor=request.user, training=t, results=results
        ),
    ):
        messages.success(request, _("Attendance and assessments recorded."))
        return redirect("training:detail", pk)
    return training_detail(request, pk, {"attendance_errors": form.non_field_errors()})


@require_POST
def attendee_add(request: AuthedRequest, pk: int) -> HttpResponse:
    t = selectors.training_get(request.user, pk)
    require(request.user, "training.manage")
    form = AttendeeForm(request.POST, prefix="attendee")
    if form.is_valid() and None is not run_service(
        form,
        lambda: services.training_add_attendee(actor=request.user, training=t, **form.cleaned_data),
    ):
        messages.success(request, _("Attendee added."))
        return redirect("training:detail", pk)
    return training_detail(request, pk, {"attendee_form": form, "open_action": "attendee"})


@require_POST
def attach(request: AuthedRequest, pk: int) -> HttpResponse:
    t = selectors.training_get(request.user, pk)
    require(request.user, "training.manage")
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
    if form.is_valid() and None is not run_service(
        form,
        lambda: services.training_attach(
            actor=request.user, training=t, file=form.cleaned_data["file"]
        ),
    ):
        messages.success(request, _("Material attached."))
        return redirect("training:detail", pk)
    return training_detail(request, pk, {"attachment_form": form, "open_action": "attachment"})


def attachment(request: AuthedRequest, pk: int, att_pk: int) -> FileResponse:
    t = selectors.training_get(request.user, pk)
    att = get_object_or_404(t.attachments, pk=att_pk)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name)


@require_POST
def cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    t = selectors.training_get(request.user, pk)
    require(request.user, "training.manage")
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid() and None is not run_service(
        form,
        lambda: services.training_cancel(
            actor=request.user, training=t, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, _("Training cancelled."))
        return redirect("training:detail", pk)
    return training_detail(request, pk, {"cancel_form": form, "open_action": "cancel"})


def person(request: AuthedRequest, user_pk: int) -> HttpResponse:
    """A person's training history (R-5.8), with the 8D training actions naming them."""
    who = get_object_or_404(User, pk=user_pk)
    data = selectors.person_history(request.user, who)
    return render(request, "training/person.html", {"who": who, **data})


def mine(request: AuthedRequest) -> HttpResponse:
    return person(request, request.user.pk)
