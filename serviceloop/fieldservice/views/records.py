"""Pages: service records (R-5.9.4) — the list, the full form, the phone form, the record with
its repair-or-replace decision (R-5.3.4.2) and parts used, and the bulk import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
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
    post_action,
    run_service,
)
from serviceloop.customers.models import Customer, Tier

from .. import selectors, services
from ..forms import (
    FlagForm,
    HandlingForm,
    QuickRecordForm,
    RecordFilterForm,
    RecordForm,
    UsePartsForm,
)
from ..models import ServiceRecord, Source
from ..services.records import record_locked
from .common import ctx, part_numbers

FIELDS = (
    "customer",
    "service_date",
    "oem",
    "part",
    "vehicle",
    "mileage_km",
    "quantity",
    "defect",
    "failure_mode",
    "outcome",
    "outcome_note",
)


def _oems(user) -> list[str]:
    mine = set(
        ServiceRecord.objects.filter(engineer=user)
        .exclude(oem="")
        .values_list("oem", flat=True)
        .distinct()[:100]
    )
    oems = set(
        Customer.objects.filter(tier__in=[Tier.OEM_TIER1, Tier.OEM_TIER2]).values_list(
            "name", flat=True
        )
    )
    return sorted(mine | oems)


def record_list(request: AuthedRequest) -> HttpResponse:
    form = RecordFilterForm(request.GET or None)
    qs = selectors.record_list(request.user, **form.filters(request.user))
    return list_page(
        request,
        qs,
        form=form,
        full="fieldservice/record_list.html",
        partial="fieldservice/_record_table.html",
        export=_records_xlsx,
        export_permission="fieldservice.export",
        **ctx(
            request,
            can_create=can(request.user, "record.create"),
            can_import=can(request.user, "record.import"),
        ),
    )


def _records_xlsx(qs: Any) -> HttpResponse:
    return xlsx_response(
        "service-records.xlsx",
        _("Service records"),
        [
            _("Number"),
            _("Date"),
            _("Service person"),
            _("Customer code"),
            _("Customer"),
            _("OEM (vehicle maker)"),
            _("Part number"),
            _("Vehicle"),
            _("Mileage (km)"),
            _("Quantity"),
            _("Defect"),
            _("Failure mode"),
            _("Outcome"),
            _("Major quality problem"),
        ],
        (
            [
                r.number,
                r.service_date,
                r.engineer,
                r.customer.code,
                r.customer.name,
                r.oem,
                r.part.part_number,
                r.vehicle,
                r.mileage_km,
                r.quantity,
                r.defect,
                r.get_failure_mode_display(),
                r.get_outcome_display(),
                _("yes") if r.major_problem else "",
            ]
            for r in qs
        ),
    )


def _create(request: AuthedRequest, d: dict, source: str, used: int = 0) -> ServiceRecord:
    fields: dict[str, Any] = {k: d.get(k) for k in FIELDS if k in d}
    with transaction.atomic():
        rec = services.service_record_create(
            actor=request.user,
            source=source,
            major_problem=d.get("major_problem", False),
            **fields,
        )
        if used:
            services.parts_use(actor=request.user, record=rec, part=rec.part, quantity=used)
        return rec


def record_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "record.create")
    initial = {
        "service_date": timezone.localdate(),
        "quantity": 1,
        **selectors.usual_defaults(request.user),
    }
    if "part" in initial:
        initial["part"] = _part_number(initial["part"])
    form = RecordForm(request.POST or None, user=request.user, initial=initial)
    return form_page(
        request,
        form,
        lambda d: _create(request, d, Source.FORM),
        template="fieldservice/record_form.html",
        context=lambda: ctx(
            request,
            title=_("New service record"),
            parts=part_numbers(),
            oems=_oems(request.user),
            cancel=reverse("fieldservice:record_list"),
        ),
        done=lambda rec: _("Recorded as %s.") % rec.number,
    )


def _part_number(pk: int) -> str:
    from ..models import Part

    part = Part.objects.filter(pk=pk).first()
    return part.part_number if part else ""


def record_quick(request: AuthedRequest) -> HttpResponse:
    """The phone form: one screen, big targets, the engineer's usual customer and OEM filled in."""
    require(request.user, "record.create")
    usual = selectors.usual_defaults(request.user)
    last = ServiceRecord.objects.filter(engineer=request.user).order_by("-created_at").first()
    initial = {
        "service_date": timezone.localdate(),
        "quantity": 1,
        "used_from_stock": 0,
        "outcome": last.outcome if last else "replaced",
        **usual,
    }
    if "part" in initial:
        initial["part"] = _part_number(initial["part"])
    can_use = can(request.user, "parts.use")
    form = QuickRecordForm(
        request.POST or None, user=request.user, initial=initial, can_use_parts=can_use
    )
    if request.method == "POST" and form.is_valid():
        used = form.cleaned_data.get("used_from_stock") or 0
        rec = run_service(form, lambda: _create(request, form.cleaned_data, Source.QUICK, used))
        if rec:
            messages.success(
                request,
                _("Saved %(number)s: %(part)s at %(customer)s.")
                % {
                    "number": rec.number,
                    "part": rec.part.part_number,
                    "customer": rec.customer.name,
                },
            )
            return redirect(reverse("fieldservice:record_quick") + f"?saved={rec.pk}")
    saved = None
    if request.GET.get("saved", "").isdigit():
        saved = selectors.record_list(request.user).filter(pk=int(request.GET["saved"])).first()
    return render(
        request,
        "fieldservice/record_quick.html",
        ctx(
            request,
            form=form,
            parts=part_numbers(),
            oems=_oems(request.user),
            saved=saved,
            today_count=ServiceRecord.objects.filter(
                engineer=request.user, service_date=timezone.localdate()
            ).count(),
        ),
        status=400 if request.method == "POST" else 200,
    )


def record_detail(request: AuthedRequest, pk: int, forms_: dict | None = None):
    rec = selectors.record_get(request.user, pk)
    user = request.user
    decision = getattr(rec, "handling", None)
    initial: dict[str, Any] = {"quantity": rec.quantity, "confirmed_our_problem": True}
    if decision is not None:
        initial.update(
            repairable="yes" if decision.repairable else "no",
            handling=decision.handling,
            quantity=decision.quantity,
            notes=decision.notes,
        )
    c = ctx(
        request,
        r=rec,
        decision=decision,
        movements=rec.part_movements.select_related("part", "recorded_by"),
        escalations=rec.escalations.all(),
        returns=rec.return_forms.all(),
        infoforms=rec.information_forms.all() if can(user, "infoform.view") else [],
        locked=record_locked(rec),
        history=record_history("fieldservice.servicerecord", rec.pk),
        parts=part_numbers(),
        can_change=can(user, "record.change"),
        can_flag=can(user, "record.flag_major"),
        can_decide=can(user, "handling.decide"),
        can_use=can(user, "parts.use"),
        can_escalate=can(user, "escalation.create"),
        can_return=can(user, "return.fill"),
        handling_form=HandlingForm(prefix="handling", initial=initial),
        use_form=UsePartsForm(prefix="use", initial={"part": rec.part.part_number, "quantity": 1}),
        flag_form=FlagForm(prefix="flag"),
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/record_detail.html", c, status=400 if forms_ else 200)


def record_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rec = selectors.record_get(request.user, pk)
    require(request.user, "record.change")
    initial = {k: getattr(rec, k) for k in FIELDS}
    initial["customer"] = rec.customer_id
    initial["part"] = rec.part.part_number
    form = RecordForm(request.POST or None, user=request.user, initial=initial, editing=True)
    reason = request.POST.get("reason", "")
    return form_page(
        request,
        form,
        lambda d: services.service_record_update(
            actor=request.user,
            record=selectors.record_get(request.user, pk),
            reason=reason,
            **{k: d[k] for k in FIELDS},
        ),
        template="fieldservice/record_form.html",
        context=lambda: ctx(
            request,
            title=_("Correct %s") % rec.number,
            parts=part_numbers(),
            oems=_oems(request.user),
            ask_reason=True,
            reason=reason,
            cancel=reverse("fieldservice:record_detail", args=[pk]),
        ),
        done=_("Saved."),
        success_url=reverse("fieldservice:record_detail", args=[pk]),
    )


def _act(request: AuthedRequest, pk: int, prefix: str, form, permission: str, call, done):
    rec = selectors.record_get(request.user, pk)
    return post_action(
        request,
        permission=permission,
        form=form,
        prefix=prefix,
        call=lambda d: call(rec, d),
        done=done,
        success_url=reverse("fieldservice:record_detail", args=[pk]),
        rerender=lambda f: record_detail(request, pk, f),
    )


@require_POST
def record_flag_major(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "flag",
        FlagForm(request.POST, prefix="flag"),
        "record.flag_major",
        lambda r, d: services.service_record_flag_major(
            actor=request.user, record=r, reason=d["reason"]
        ),
        _("Flagged as a major quality problem; Sales leadership was notified."),
    )


@require_POST
def record_handling(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "handling",
        HandlingForm(request.POST, prefix="handling"),
        "handling.decide",
        lambda r, d: services.handling_decide(
            actor=request.user,
            record=r,
            confirmed_our_problem=d["confirmed_our_problem"],
            repairable=d["repairable"],
            handling=d["handling"],
            quantity=d["quantity"],
            notes=d["notes"],
            major=d["major"],
        ),
        _("Handling decision recorded."),
    )


@require_POST
def record_use_parts(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "use",
        UsePartsForm(request.POST, prefix="use"),
        "parts.use",
        lambda r, d: services.parts_use(
            actor=request.user, record=r, part=d["part"], quantity=d["quantity"], note=d["note"]
        ),
        _("Parts use recorded."),
    )


# ---------------------------------------------------------------- import


def record_import(request: AuthedRequest) -> HttpResponse:
    """The import moved to the one import page (core.importing); the old URL leads there."""
    require(request.user, "record.import")
    return redirect(reverse("imports:index") + "?kind=service-records")
