"""Pages of warranty claims: register, list (htmx filters, XLSX export), detail with the
decision explained, its history and files, edit, and the actions of the state machine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.actions import page_actions
from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.views_support import (
    AuthedRequest,
    detail_actions,
    form_page,
    list_page,
)

from .. import actions, selectors, services
from ..api import attachment_response
from ..forms import (
    FAILURE_MODES,
    AttachmentForm,
    ClaimFilterForm,
    ClaimForm,
    NoteForm,
    OverrideForm,
    ReasonForm,
    SettleForm,
)
from ..models import INPUTS_OPEN, Status, WarrantyClaim
from ..templatetags.warranty_tags import label


def claim_list(request: AuthedRequest) -> HttpResponse:
    form = ClaimFilterForm(request.GET or None)
    return list_page(
        request,
        selectors.claim_list(request.user, **form.filters()),
        form=form,
        full="warranty/list.html",
        partial="warranty/_table.html",
        export=_export,
        export_permission="warranty.export",
        can_create=can(request.user, "warranty.create"),
        can_import=can(request.user, "warranty.import"),
        can_export=can(request.user, "warranty.export"),
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _export(qs: Any) -> HttpResponse:
    headers = [
        _("Number"),
        _("Customer code"),
        _("Customer"),
        _("Status"),
        _("Reported on"),
        _("Purchase date"),
        _("Failure date"),
        _("Mileage (km)"),
        _("Inspection findings"),
        _("Repairable"),
        _("Decision"),
        _("Reasons"),
        _("Remedy"),
        _("Overridden"),
        _("Override reason"),
        _("Rule decision"),
        _("Last covered day"),
        _("Warranty months"),
        _("km limit"),
        _("Terms from the service agreement"),
        _("Rule version"),
        _("Part number"),
        _("Part name"),
        _("Serial number"),
        _("Lot"),
        _("Production month"),
        _("OEM (配套厂家)"),
        _("VIN"),
        _("Vehicle model"),
        _("Failure mode"),
        _("Parts cost"),
        _("Labour cost"),
        _("Travel cost"),
        _("Total cost"),
        _("Replacement part serial"),
    ]
    rows = (
        [
            c.number,
            c.customer.code,
            c.customer.name,
            c.get_status_display(),
            c.reported_on,
            c.purchase_date,
            c.failure_date,
            float(c.mileage_km) if c.mileage_km is not None else "",
            "、".join(label(f) for f in c.findings),
            _yes_no(c.repairable),
            label(c.decision),
            "、".join(label(r) for r in c.reasons),
            label(c.remedy),
            _yes_no(c.overridden),
            c.override_reason,
            label(c.rule_decision),
            c.last_covered_day,
            c.warranty_months,
            c.km_limit,
            _yes_no(c.terms_from_agreement),
            c.rule_version,
            c.part_number,
            c.part_name,
            c.serial_number,
            c.lot,
            c.build_month,
            c.oem,
            c.vin,
            c.vehicle_model,
            c.failure_mode,
            float(c.cost_parts),
            float(c.cost_labour),
            float(c.cost_travel),
            float(c.cost_total),
            c.replacement_serial,
        ]
        for c in qs.iterator(chunk_size=2000)
    )
    return xlsx_response("warranty-claims.xlsx", _("Warranty claims"), headers, rows)


def claim_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "warranty.create")
    initial = {"customer": request.GET.get("customer")} if request.GET.get("customer") else {}
    form = ClaimForm(request.POST or None, user=request.user, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.claim_create(actor=request.user, **form.service_data()),
        _("Register a warranty claim"),
        None,
        done=lambda claim: (
            _("Registered as %(number)s: %(decision)s.")
            % {"number": claim.number, "decision": label(claim.decision)}
        ),
    )


def _form_page(
    request: AuthedRequest,
    form: ClaimForm,
    call: Callable[[dict[str, Any]], WarrantyClaim],
    title: str,
    claim: WarrantyClaim | None,
    done: str | Callable[[WarrantyClaim], str],
) -> HttpResponse:
    return form_page(
        request,
        form,
        call,
        template="warranty/form.html",
        context={"title": title, "claim": claim, "failure_modes": FAILURE_MODES},
        done=done,
    )


def claim_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    require(request.user, "warranty.change")
    if claim.is_final:
        messages.warning(request, _("A settled or closed claim cannot be changed any more."))
        return redirect("warranty:detail", pk)
    form = ClaimForm(request.POST or None, user=request.user, claim=claim)

    def saved(updated: WarrantyClaim) -> str:
        if updated.decided_at != claim.decided_at:
            messages.info(
                request,
                _("The inputs changed, so the rule decided again: %(decision)s.")
                % {"decision": label(updated.decision)},
            )
        return _("Saved.")

    return _form_page(
        request,
        form,
        lambda d: services.claim_update(
            actor=request.user, claim=claim, reason=d.get("reason") or "", **form.service_data()
        ),
        _("Edit %s") % claim.number,
        claim,
        done=saved,
    )


def decision_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    """The decision letter to the customer (PDF, Chinese, on the company's letterhead)."""
    from serviceloop.core.documents import pdf_response

    from ..documents import decision_letter_pdf

    claim = selectors.claim_get(request.user, pk)
    return pdf_response(decision_letter_pdf(claim), f"{claim.number}-decision.pdf")


def claim_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    user = request.user
    status = claim.status
    open_inputs = status in INPUTS_OPEN
    ctx: dict[str, Any] = {
        "claim": claim,
        "explanation": claim.explanation(get_language() or "zh-hans"),
        "decisions": selectors.decision_history(claim),
        "attachments": claim.attachments.select_related("uploaded_by"),
        "history": selectors.claim_history(claim),
        "override_form": OverrideForm(prefix="override"),
        "approve_form": NoteForm(prefix="approve"),
        "reject_form": NoteForm(prefix="reject"),
        "reopen_form": ReasonForm(prefix="reopen"),
        "close_form": ReasonForm(prefix="close"),
        "settle_form": SettleForm(
            prefix="settle",
            initial={
                "replacement_serial": claim.replacement_serial,
                "cost_parts": claim.cost_parts,
                "cost_labour": claim.cost_labour,
                "cost_travel": claim.cost_travel,
            },
        ),
        "attachment_form": AttachmentForm(prefix="attachment"),
        "can_change": can(user, "warranty.change") and not claim.is_final,
        "can_redecide": can(user, "warranty.change") and open_inputs,
        "can_override": can(user, "warranty.override") and open_inputs,
        "can_approve": can(user, "warranty.approve")
        and status == Status.DECIDED
        and claim.decision == "covered",
        "can_reject": can(user, "warranty.approve")
        and status == Status.DECIDED
        and claim.decision == "not_covered",
        "can_reopen": can(user, "warranty.approve")
        and status in (Status.APPROVED, Status.REJECTED),
        "can_settle": can(user, "warranty.settle") and status == Status.APPROVED,
        "can_close": can(user, "warranty.settle")
        and status in (Status.REJECTED, Status.REGISTERED, Status.DECIDED),
    }
    ctx.update(forms_ or {})
    return render(request, "warranty/detail.html", ctx, status=400 if forms_ else 200)


_action = detail_actions(selectors.claim_get, claim_detail, files=True)

override, approve, reject, reopen, settle, close = page_actions(
    selectors.claim_get,
    claim_detail,
    actions.OVERRIDE,
    actions.APPROVE,
    actions.REJECT,
    actions.REOPEN,
    actions.SETTLE,
    actions.CLOSE,
)


@require_POST
def redecide(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    require(request.user, "warranty.change")
    try:
        changed = services.claim_redecide(actor=request.user, claim=claim)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("warranty:detail", pk)
    if changed:
        messages.info(request, _("The rule decided again; the new decision is in the history."))
    else:
        messages.info(request, _("The rule gives the same decision; nothing changed."))
    return redirect("warranty:detail", pk)


@require_POST
def attachment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "warranty.change",
        AttachmentForm,
        "attachment",
        lambda c, d: services.attachment_add(
            actor=request.user, claim=c, upload=d["file"], description=d["description"]
        ),
        _("The file was added."),
    )


def attachment_download(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    attachment = selectors.attachment_get(request.user, pk, attachment_pk)
    return attachment_response(attachment)
