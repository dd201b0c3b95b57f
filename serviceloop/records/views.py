"""Pages of retention: /records/retention/ (the policy, the disposal-review queue, legal holds)
and the small forms posted from it and from each record's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.permissions import can, require
from serviceloop.core.views_support import AuthedRequest, detail_action, post_action

from . import policy, selectors, services
from .forms import HoldForm, KeepForm, PeriodForm, ReasonForm


def retention(request: AuthedRequest, forms_: dict[str, Any] | None = None) -> HttpResponse:
    user = request.user
    require(user, "records.view")
    ctx: dict[str, Any] = {
        "policy_rows": selectors.policy_rows(),
        "audit_row": policy.AUDIT_LOG,
        "due": selectors.due_list(user),
        "decided": selectors.decided_list(user),
        "holds": selectors.hold_list(user, active=True),
        "lifted": selectors.hold_list(user, active=False)[:20],
        "can_dispose": can(user, "records.dispose"),
        "can_hold": can(user, "records.hold"),
        "can_settings": can(user, "records.settings"),
        "hold_form": HoldForm(prefix="hold"),
        "period_form": PeriodForm(prefix="period"),
        "reason_form": ReasonForm(prefix="dispose"),
        "keep_form": KeepForm(prefix="keep"),
        "lift_form": ReasonForm(prefix="lift"),
    }
    ctx.update(forms_ or {})
    return render(request, "records/retention.html", ctx, status=400 if forms_ else 200)


def _rerender(request: AuthedRequest):
    return lambda forms_: retention(request, forms_)


@require_POST
def dispose(request: AuthedRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(request.user, pk)
    return detail_action(
        request,
        obj=review,
        permission="records.dispose",
        form_cls=ReasonForm,
        prefix="dispose",
        call=lambda r, d: services.review_dispose(actor=request.user, review=r, reason=d["reason"]),
        done=_("The record was disposed of."),
        rerender=_rerender(request),
    )


@require_POST
def keep(request: AuthedRequest, pk: int) -> HttpResponse:
    review = selectors.review_get(request.user, pk)
    return detail_action(
        request,
        obj=review,
        permission="records.dispose",
        form_cls=KeepForm,
        prefix="keep",
        call=lambda r, d: services.review_keep(
            actor=request.user, review=r, reason=d["reason"], until=d["until"]
        ),
        done=_("The record is kept longer."),
        rerender=_rerender(request),
    )


@require_POST
def period(request: AuthedRequest) -> HttpResponse:
    return post_action(
        request,
        permission="records.settings",
        form=PeriodForm(request.POST, prefix="period"),
        call=lambda d: services.period_set(
            actor=request.user, record_type=d["record_type"], years=d["years"]
        ),
        done=_("Retention period saved."),
        success_url=policy_url(),
        rerender=_rerender(request),
        prefix="period",
    )


def policy_url() -> str:
    from django.urls import reverse

    return reverse("records:retention")


def _next(request: AuthedRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return policy_url() + "#holds"


@require_POST
def hold_place(request: AuthedRequest) -> HttpResponse:
    require(request.user, "records.hold")
    form = HoldForm(request.POST, prefix="hold")
    if form.is_valid():
        try:
            services.hold_place(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if "next" not in request.POST:
                return retention(request, {"hold_form": form, "open_action": "hold"})
        else:
            messages.success(request, _("Legal hold set."))
        return redirect(_next(request))
    if "next" in request.POST:
        messages.error(request, _("Give a reason for the hold."))
        return redirect(_next(request))
    return retention(request, {"hold_form": form, "open_action": "hold"})


@require_POST
def hold_lift(request: AuthedRequest, pk: int) -> HttpResponse:
    hold = selectors.hold_get(request.user, pk)
    return detail_action(
        request,
        obj=hold,
        permission="records.hold",
        form_cls=ReasonForm,
        prefix="lift",
        call=lambda h, d: services.hold_lift(actor=request.user, hold=h, reason=d["reason"]),
        done=_("Legal hold lifted."),
        rerender=_rerender(request),
        success_url=_next(request),
    )
