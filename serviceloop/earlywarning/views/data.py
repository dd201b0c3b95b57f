"""Pages of the input data: production volumes, purchase volumes, survey responses and the
claim baselines given per part (ADR 0004)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_template,
    paginate,
    querystring_without_page,
)

from .. import selectors, services
from ..forms import (
    BaselineForm,
    DataFilterForm,
    DeleteForm,
    ProductionForm,
    PurchaseForm,
    SurveyForm,
)


def _list(
    request: AuthedRequest,
    which: str,
    qs: Any,
    form: DataFilterForm,
    export: Callable,
    action: str = "ew.data",
) -> HttpResponse:
    if request.GET.get("export") == "xlsx":
        require(request.user, "ew.export")
        return export(qs)
    ctx = {
        "which": which,
        "form": form,
        "page": paginate(request, qs, 50),
        "qs": querystring_without_page(request),
        "can_edit": can(request.user, action),
    }
    return render(
        request,
        list_template(request, "earlywarning/data_list.html", f"earlywarning/_{which}.html"),
        ctx,
    )


def production_list(request: AuthedRequest) -> HttpResponse:
    form = DataFilterForm(request.GET or None, user=request.user)
    qs = selectors.production_list(request.user, q=form.value("q") or "")

    def export(rows: Any) -> HttpResponse:
        return xlsx_response(
            "production-volumes.xlsx",
            _("Production volumes"),
            [
                _("Part number"),
                _("Part name"),
                _("Build month"),
                _("Units built / shipped"),
                _("Notes"),
            ],
            ([v.part_number, v.part_name, v.build_month, v.quantity, v.notes] for v in rows),
        )

    return _list(request, "production", qs, form, export)


def purchase_list(request: AuthedRequest) -> HttpResponse:
    form = DataFilterForm(request.GET or None, user=request.user)
    customer = form.value("customer")
    qs = selectors.purchase_list(request.user, customer=customer.pk if customer else None)

    def export(rows: Any) -> HttpResponse:
        return xlsx_response(
            "purchase-volumes.xlsx",
            _("Purchase volumes"),
            [_("Customer code"), _("Customer"), _("Month"), _("Quantity"), _("Amount (CNY)")],
            ([v.customer.code, v.customer.name, v.month, v.quantity, v.amount] for v in rows),
        )

    return _list(request, "purchases", qs, form, export)


def survey_list(request: AuthedRequest) -> HttpResponse:
    form = DataFilterForm(request.GET or None, user=request.user)
    customer = form.value("customer")
    qs = selectors.survey_list(
        request.user, kind=form.value("kind") or "", customer=customer.pk if customer else None
    )

    def export(rows: Any) -> HttpResponse:
        return xlsx_response(
            "survey-responses.xlsx",
            _("Survey responses"),
            [
                _("Survey"),
                _("Customer code"),
                _("Survey date"),
                _("Score (0-100)"),
                _("Score as answered"),
                _("Scale"),
                _("Respondent"),
                _("Comments"),
            ],
            (
                [
                    r.get_kind_display(),
                    r.customer.code if r.customer_id else "",
                    r.date.isoformat(),
                    float(r.score),
                    float(r.raw_score),
                    r.scale,
                    r.respondent,
                    r.comments,
                ]
                for r in rows
            ),
        )

    return _list(request, "surveys", qs, form, export)


def _form_page(
    request: AuthedRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    *,
    title: str,
    back: str,
    obj: Any = None,
    delete_url: str = "",
    action: str = "ew.data",
) -> HttpResponse:
    require(request.user, action)
    return form_page(
        request,
        form,
        call,
        template="earlywarning/data_form.html",
        context=lambda: {
            "title": title,
            "back": back,
            "obj": obj,
            "delete_url": delete_url,
            "delete_form": DeleteForm(),
            "history": record_history(obj._meta.label_lower, obj.pk) if obj is not None else None,
        },
        done=_("Saved."),
        success_url=back,
    )


def _delete(
    request: AuthedRequest, obj: Any, call: Callable[..., None], back: str, action: str = "ew.data"
) -> HttpResponse:
    require(request.user, action)
    form = DeleteForm(request.POST)
    form.is_valid()
    call(actor=request.user, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Deleted (the audit log keeps it)."))
    return redirect(back)


def production_create(request: AuthedRequest) -> HttpResponse:
    form = ProductionForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: services.production_volume_create(actor=request.user, **d),
        title=_("New production volume"),
        back="earlywarning:production_list",
    )


def production_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    volume = selectors.production_get(request.user, pk)
    initial = {
        f: getattr(volume, f)
        for f in ("part_number", "part_name", "build_month", "quantity", "notes")
    }
    form = ProductionForm(request.POST or None, initial=initial, editing=True)
    return _form_page(
        request,
        form,
        lambda d: services.production_volume_update(
            actor=request.user,
            volume=volume,
            part_name=d["part_name"],
            quantity=d["quantity"],
            notes=d["notes"],
        ),
        title=_("Production volume %(part)s %(month)s")
        % {"part": volume.part_number, "month": volume.build_month},
        back="earlywarning:production_list",
        obj=volume,
        delete_url="earlywarning:production_delete",
    )


@require_POST
def production_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    volume = selectors.production_get(request.user, pk)
    return _delete(
        request,
        volume,
        lambda **kw: services.production_volume_delete(volume=volume, **kw),
        "earlywarning:production_list",
    )


def purchase_create(request: AuthedRequest) -> HttpResponse:
    form = PurchaseForm(request.POST or None, user=request.user)
    return _form_page(
        request,
        form,
        lambda d: services.purchase_volume_create(actor=request.user, **d),
        title=_("New purchase volume"),
        back="earlywarning:purchase_list",
    )


def purchase_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    volume = selectors.purchase_get(request.user, pk)
    initial = {
        "customer": volume.customer_id,
        "month": volume.month,
        "quantity": volume.quantity,
        "amount": volume.amount,
    }
    form = PurchaseForm(request.POST or None, user=request.user, initial=initial, editing=True)
    return _form_page(
        request,
        form,
        lambda d: services.purchase_volume_update(
            actor=request.user, volume=volume, quantity=d["quantity"], amount=d["amount"]
        ),
        title=_("Purchase volume %(customer)s %(month)s")
        % {"customer": volume.customer.name, "month": volume.month},
        back="earlywarning:purchase_list",
        obj=volume,
        delete_url="earlywarning:purchase_delete",
    )


@require_POST
def purchase_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    volume = selectors.purchase_get(request.user, pk)
    return _delete(
        request,
        volume,
        lambda **kw: services.purchase_volume_delete(volume=volume, **kw),
        "earlywarning:purchase_list",
    )


def survey_create(request: AuthedRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, user=request.user, initial={"scale": 100})
    return _form_page(
        request,
        form,
        lambda d: services.survey_response_create(actor=request.user, **d),
        title=_("New survey response"),
        back="earlywarning:survey_list",
    )


def survey_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    response = selectors.survey_get(request.user, pk)
    initial = {
        f: getattr(response, f)
        for f in ("kind", "date", "scale", "raw_score", "respondent", "comments")
    }
    initial["customer"] = response.customer_id
    form = SurveyForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.survey_response_update(actor=request.user, response=response, **d),
        title=_("Survey response of %(date)s") % {"date": response.date},
        back="earlywarning:survey_list",
        obj=response,
        delete_url="earlywarning:survey_delete",
    )


@require_POST
def survey_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    response = selectors.survey_get(request.user, pk)
    return _delete(
        request,
        response,
        lambda **kw: services.survey_response_delete(response=response, **kw),
        "earlywarning:survey_list",
    )


def baseline_list(request: AuthedRequest) -> HttpResponse:
    form = DataFilterForm(request.GET or None, user=request.user)
    qs = selectors.baseline_list(request.user, q=form.value("q") or "").order_by(
        "part_number", "mis"
    )

    def export(rows: Any) -> HttpResponse:
        return xlsx_response(
            "claim-baselines.xlsx",
            _("Claim baselines"),
            [_("Part number"), _("Month in service"), _("Claims per unit at risk"), _("Source")],
            ([b.part_number, b.mis, b.rate_per_unit, b.source] for b in rows),
        )

    return _list(request, "baselines", qs, form, export, action="ew.baseline")


def baseline_create(request: AuthedRequest) -> HttpResponse:
    form = BaselineForm(request.POST or None, initial=request.GET.dict() or None)
    return _form_page(
        request,
        form,
        lambda d: services.claim_baseline_set(actor=request.user, **form.service_kwargs()),
        title=_("New claim baseline"),
        back="earlywarning:baseline_list",
        action="ew.baseline",
    )


def baseline_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    baseline = selectors.baseline_get(request.user, pk)
    initial = {
        "part_number": baseline.part_number,
        "mis": baseline.mis,
        "per_thousand": round(baseline.rate_per_unit * 1000, 6),
        "source": baseline.source,
    }
    form = BaselineForm(request.POST or None, initial=initial, editing=True)
    return _form_page(
        request,
        form,
        lambda d: services.claim_baseline_set(actor=request.user, **form.service_kwargs()),
        title=_("Claim baseline %(part)s, month in service %(mis)s")
        % {"part": baseline.part_number, "mis": baseline.mis},
        back="earlywarning:baseline_list",
        obj=baseline,
        delete_url="earlywarning:baseline_delete",
        action="ew.baseline",
    )


@require_POST
def baseline_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    baseline = selectors.baseline_get(request.user, pk)
    return _delete(
        request,
        baseline,
        lambda **kw: services.claim_baseline_delete(baseline=baseline, **kw),
        "earlywarning:baseline_list",
        action="ew.baseline",
    )
