"""Pages: return-for-repair forms (退修单, R-5.9.2) and nonconforming tags (R-5.3.4.3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    paginate,
    post_action,
    querystring_without_page,
)

from .. import selectors, services
from ..forms import (
    ReasonForm,
    ResolveForm,
    ReturnFilterForm,
    ReturnForm,
    ReturnLineFormSet,
    TagForm,
    line_values,
    quantity_form,
)
from ..models import ReturnStatus, TagStatus
from .common import ctx, part_numbers


def return_list(request: AuthedRequest) -> HttpResponse:
    form = ReturnFilterForm(request.GET or None)
    qs = selectors.return_list(request.user, **form.filters()).prefetch_related("lines__part")
    return list_page(
        request,
        qs,
        form=form,
        full="fieldservice/return_list.html",
        partial="fieldservice/_return_table.html",
        export=_returns_xlsx,
        export_permission="fieldservice.export",
        **ctx(
            request,
            can_create=can(request.user, "return.fill"),
        ),
    )


def _returns_xlsx(qs: Any) -> HttpResponse:
    return xlsx_response(
        "return-forms.xlsx",
        _("Return-for-repair forms"),
        [
            _("Number"),
            _("Customer"),
            _("Engineer"),
            _("Returned on"),
            _("Items"),
            _("Status"),
            _("Countersigned at"),
            _("Checked at"),
            _("Discrepancy"),
        ],
        (
            [
                f.number,
                f.customer.name,
                f.engineer,
                f.return_date,
                "; ".join(f"{ln.part.part_number}×{ln.quantity}" for ln in f.lines.all()),
                f.get_status_display(),
                f.signed_at,
                f.checked_at,
                f.discrepancy,
            ]
            for f in qs
        ),
    )


def _lines_from(formset) -> list[dict[str, Any]]:
    return [
        {
            "part": f.get("part"),
            "lot": f.get("lot", ""),
            "quantity": f.get("quantity"),
            "fault": f.get("fault", ""),
        }
        for f in formset.cleaned_data
        if f.get("part") or f.get("quantity")
    ]


def return_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "return.fill")
    user = request.user
    initial: dict[str, Any] = {
        "return_date": timezone.localdate(),
        "customer": selectors.usual_defaults(user).get("customer"),
    }
    line_initial = None
    rec_pk = request.GET.get("record", "")
    if rec_pk.isdigit():
        rec = selectors.record_list(user).filter(pk=int(rec_pk)).first()
        if rec is not None:
            initial.update(customer=rec.customer_id, service_record=rec.pk, reason=rec.defect)
            line_initial = [
                {
                    "part": rec.part.part_number,
                    "quantity": rec.quantity,
                    "fault": rec.get_failure_mode_display(),
                }
            ]
    form = ReturnForm(request.POST or None, user=user, initial=initial)
    formset = ReturnLineFormSet(request.POST or None, prefix="lines", initial=line_initial)
    return form_page(
        request,
        form,
        lambda d: services.return_create(actor=user, lines=_lines_from(formset), **d),
        formsets=[formset],
        template="fieldservice/return_form.html",
        context=lambda: ctx(
            request,
            formset=formset,
            title=_("Return-for-repair form"),
            parts=part_numbers(),
            cancel=reverse("fieldservice:return_list"),
        ),
        done=lambda f: (
            _("Return form %s saved as a draft; countersign it when the goods leave.") % f.number
        ),
    )


def return_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    f = selectors.return_get(request.user, pk)
    require(request.user, "return.fill")
    initial = {
        "return_date": f.return_date,
        "reason": f.reason,
        "customer_signatory": f.customer_signatory,
        "service_record": f.service_record_id,
    }
    line_initial = [
        {"part": ln.part.part_number, "lot": ln.lot, "quantity": ln.quantity, "fault": ln.fault}
        for ln in f.lines.select_related("part")
    ]
    form = ReturnForm(request.POST or None, user=f.engineer, initial=initial, editing=True)
    formset = ReturnLineFormSet(request.POST or None, prefix="lines", initial=line_initial)
    return form_page(
        request,
        form,
        lambda d: services.return_update(
            actor=request.user,
            form=selectors.return_get(request.user, pk),
            lines=_lines_from(formset),
            **{k: d[k] for k in initial},
        ),
        formsets=[formset],
        template="fieldservice/return_form.html",
        context=lambda: ctx(
            request,
            formset=formset,
            title=_("Edit %s") % f.number,
            parts=part_numbers(),
            cancel=reverse("fieldservice:return_detail", args=[pk]),
        ),
        done=_("Saved."),
        success_url=reverse("fieldservice:return_detail", args=[pk]),
    )


def return_detail(request: AuthedRequest, pk: int, forms_: dict | None = None):
    f = selectors.return_get(request.user, pk)
    user = request.user
    lines = list(f.lines.select_related("part"))
    mine = f.engineer_id == user.pk or user.is_superuser
    c = ctx(
        request,
        f=f,
        lines=lines,
        history=record_history("fieldservice.returnforrepairform", f.pk),
        can_fill=can(user, "return.fill") and mine,
        can_check=can(user, "warehouse.handle") and f.status == ReturnStatus.SIGNED,
        check_form=quantity_form(lines, label=_("counted"), initial="", prefix="check"),
        correct_form=quantity_form(
            lines, label=_("quantity on the form"), initial="quantity", prefix="correct"
        ),
        cancel_form=ReasonForm(prefix="cancel"),
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/return_detail.html", c, status=400 if forms_ else 200)


def return_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The return-for-repair form (退修单) as PDF, to travel with the goods."""
    from serviceloop.core.documents import pdf_response

    from ..documents import return_form_pdf

    f = selectors.return_get(request.user, pk)
    return pdf_response(return_form_pdf(f), f"{f.number}.pdf")


def _act(request: AuthedRequest, pk: int, prefix: str, form, permission: str, call, done):
    f = selectors.return_get(request.user, pk)
    return post_action(
        request,
        permission=permission,
        form=form,
        prefix=prefix,
        call=lambda d: call(f, d),
        done=done,
        success_url=reverse("fieldservice:return_detail", args=[pk]),
        rerender=lambda extra: return_detail(request, pk, extra),
    )


@require_POST
def return_countersign(request: AuthedRequest, pk: int) -> HttpResponse:
    from django import forms

    return _act(
        request,
        pk,
        "countersign",
        forms.Form(request.POST),
        "return.fill",
        lambda f, d: services.return_countersign(actor=request.user, form=f),
        _("Countersigned: the warehouse will check the goods against the form."),
    )


@require_POST
def return_check(request: AuthedRequest, pk: int) -> HttpResponse:
    f = selectors.return_get(request.user, pk)
    lines = list(f.lines.select_related("part"))
    form = quantity_form(lines, label=_("counted"), initial="", data=request.POST, prefix="check")
    signatures_ok = request.POST.get("check-signatures_ok") == "on"
    note = request.POST.get("check-note", "")

    def call(form_, d):
        result = services.return_check(
            actor=request.user,
            form=form_,
            counted=line_values(form),
            signatures_ok=signatures_ok,
            note=note,
        )
        if result.status == ReturnStatus.HELD:
            messages.warning(request, _("Held, not received: %s") % result.discrepancy)
        return result

    return _act(request, pk, "check", form, "warehouse.handle", call, _("Check recorded."))


@require_POST
def return_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    f = selectors.return_get(request.user, pk)
    lines = list(f.lines.select_related("part"))
    form = quantity_form(
        lines,
        label=_("quantity on the form"),
        initial="quantity",
        data=request.POST,
        prefix="correct",
    )
    note = request.POST.get("correct-note", "")
    signatory = request.POST.get("correct-customer_signatory")

    def call(form_, d):
        values = {k: v for k, v in line_values(form).items() if v is not None}
        return services.return_correct(
            actor=request.user,
            form=form_,
            note=note,
            quantities=values,
            customer_signatory=signatory,
        )

    return _act(
        request,
        pk,
        "correct",
        form,
        "return.fill",
        call,
        _("Corrected and countersigned again; the warehouse checks it again."),
    )


@require_POST
def return_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "cancel",
        ReasonForm(request.POST, prefix="cancel"),
        "return.fill",
        lambda f, d: services.return_cancel(actor=request.user, form=f, reason=d["reason"]),
        _("Withdrawn."),
    )


# ---------------------------------------------------------------- nonconforming tags


def tag_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = selectors.tag_list(
        request.user,
        status=status if status in TagStatus.values else "",
        q=request.GET.get("q", ""),
    )
    return render(
        request,
        "fieldservice/tag_list.html",
        ctx(
            request,
            page=paginate(request, qs),
            qs=querystring_without_page(request),
            status=status,
            q=request.GET.get("q", ""),
            statuses=TagStatus.choices,
            can_manage=can(request.user, "tag.manage"),
        ),
    )


def tag_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "tag.manage")
    initial = {
        "found_on": timezone.localdate(),
        "customer": selectors.usual_defaults(request.user).get("customer"),
    }
    form = TagForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.tag_create(actor=request.user, **d),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Tag nonconforming product"),
            parts=part_numbers(),
            intro=_(
                "Nonconforming product found in the customer's stock is tagged; it is repaired "
                "with parts sent from the company or the assembly is reworked (R-5.3.4.3)."
            ),
            cancel=reverse("fieldservice:tag_list"),
        ),
        done=lambda tag: _("Tagged as %s.") % tag.number,
    )


def tag_detail(request: AuthedRequest, pk: int, forms_: dict | None = None):
    tag = selectors.tag_get(request.user, pk)
    c = ctx(
        request,
        tag=tag,
        history=record_history("fieldservice.nonconformingtag", tag.pk),
        can_manage=can(request.user, "tag.manage"),
        resolve_form=ResolveForm(prefix="resolve"),
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/tag_detail.html", c, status=400 if forms_ else 200)


def tag_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    tag = selectors.tag_get(request.user, pk)
    require(request.user, "tag.manage")
    form = TagForm(request.POST or None, instance=tag, user=request.user, editing=True)
    return form_page(
        request,
        form,
        lambda d: services.tag_update(
            actor=request.user,
            tag=selectors.tag_get(request.user, pk),
            **{k: d[k] for k in services.tags.EDITABLE},
        ),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Edit tag %s") % tag.number,
            parts=part_numbers(),
            cancel=reverse("fieldservice:tag_detail", args=[pk]),
        ),
        done=_("Saved."),
        success_url=reverse("fieldservice:tag_detail", args=[pk]),
    )


@require_POST
def tag_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    tag = selectors.tag_get(request.user, pk)
    return post_action(
        request,
        permission="tag.manage",
        form=ResolveForm(request.POST, prefix="resolve"),
        prefix="resolve",
        call=lambda d: services.tag_resolve(
            actor=request.user, tag=tag, resolution=d["resolution"]
        ),
        done=_("Resolved; the tag comes off."),
        success_url=reverse("fieldservice:tag_detail", args=[pk]),
        rerender=lambda f: tag_detail(request, pk, f),
    )
