"""Pages: the parts catalogue, parts requests (spare parts by failure frequency, R-5.3.4.3;
urgent draws, R-5.9.3), the warehouse queue, holders' balances, nonconforming tags."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, has_role, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
    paginate,
    post_action,
    querystring_without_page,
    run_service,
)

from .. import queries, selectors, services
from ..domain import rules
from ..forms import (
    LineFormSet,
    OptionalNoteForm,
    PartForm,
    ReasonForm,
    RequestFilterForm,
    RequestForm,
    ReturnPartsForm,
    line_values,
    quantity_form,
)
from ..models import RequestKind, RequestStatus
from .common import ctx, part_numbers

# ---------------------------------------------------------------- catalogue


def part_list(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    qs = selectors.part_list(request.user, q=q)
    return render(
        request,
        "fieldservice/part_list.html",
        ctx(
            request,
            page=paginate(request, qs, 50),
            qs=querystring_without_page(request),
            q=q,
            can_manage=can(request.user, "part.manage"),
        ),
    )


def part_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "part.manage")
    form = PartForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: services.part_create(
            actor=request.user, **{k: d[k] for k in services.parts.PART_FIELDS}
        ),
        template="fieldservice/form.html",
        context=lambda: ctx(request, title=_("New part"), cancel=reverse("fieldservice:part_list")),
        done=_("Part saved."),
        success_url=reverse("fieldservice:part_list"),
    )


def part_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    part = selectors.part_get(request.user, pk)
    require(request.user, "part.manage")
    form = PartForm(request.POST or None, instance=part)
    return form_page(
        request,
        form,
        lambda d: services.part_update(
            actor=request.user,
            part=part,
            **{k: d[k] for k in services.parts.PART_FIELDS},
        ),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Edit part %s") % part.part_number,
            cancel=reverse("fieldservice:part_list"),
            history=record_history("fieldservice.part", part.pk),
        ),
        done=_("Saved."),
        success_url=reverse("fieldservice:part_list"),
    )


# ---------------------------------------------------------------- requests


def request_list(request: AuthedRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    qs = selectors.request_list(request.user, **form.filters()).prefetch_related("lines__part")
    return list_page(
        request,
        qs,
        form=form,
        full="fieldservice/request_list.html",
        partial="fieldservice/_request_table.html",
        **ctx(
            request,
            can_request=can(request.user, "parts.request"),
            can_urgent=has_role(
                request.user, RoleCode.SALES, RoleCode.SALES_LEADER, RoleCode.ADMIN
            ),
        ),
    )


def _frequency_for(request: AuthedRequest, holder: Any, weeks: int) -> dict[str, Any]:
    if holder is None:
        return {"frequency": [], "weeks": weeks, "holder": None}
    return {
        "frequency": selectors.failure_frequency(request.user, holder.pk, weeks),
        "weeks": weeks,
        "holder": holder,
        "week_labels": [rules.week_label(m) for m in queries.frequency_weeks(weeks)],
    }


def _int(value: Any, default: int, lo: int, hi: int) -> int:
    try:
        return min(max(int(value), lo), hi)
    except (TypeError, ValueError):
        return default


def request_frequency(request: AuthedRequest) -> HttpResponse:
    """The failure counts behind a spare-parts request (htmx partial of the request form)."""
    require(request.user, "fieldservice.view")
    from ..forms import engineers_qs

    holder_id = request.GET.get("holder") or request.GET.get("engineer")
    holder = engineers_qs().filter(pk=holder_id).first() if str(holder_id).isdigit() else None
    if holder is None and has_role(request.user, RoleCode.SERVICE_ENGINEER):
        holder = request.user
    weeks = _int(request.GET.get("weeks"), rules.FREQUENCY_WEEKS, 1, 52)
    return render(request, "fieldservice/_frequency.html", _frequency_for(request, holder, weeks))


def request_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "parts.request")
    kind = request.GET.get("kind", RequestKind.SPARE)
    if kind not in RequestKind.values:
        kind = RequestKind.SPARE
    user = request.user
    is_engineer = has_role(user, RoleCode.SERVICE_ENGINEER)
    usual = selectors.usual_defaults(user)
    initial: dict[str, Any] = {"weeks": rules.FREQUENCY_WEEKS, "customer": usual.get("customer")}
    if is_engineer and kind == RequestKind.SPARE:
        initial["holder"] = user.pk
    form = RequestForm(request.POST or None, user=user, kind=kind, initial=initial)
    holder = user if is_engineer and kind == RequestKind.SPARE else None
    weeks = _int(
        request.POST.get("weeks") if request.method == "POST" else None,
        rules.FREQUENCY_WEEKS,
        1,
        52,
    )
    freq = _frequency_for(request, holder, weeks) if kind == RequestKind.SPARE else {}
    line_initial = [
        {"part": f.part.part_number, "quantity": f.suggested}
        for f in freq.get("frequency", [])
        if f.suggested
    ][:10]
    formset = LineFormSet(request.POST or None, prefix="lines", initial=line_initial or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        lines = [
            {"part": f["part"], "quantity": f["quantity"]}
            for f in formset.cleaned_data
            if f.get("part") or f.get("quantity")
        ]
        req = run_service(
            form,
            lambda: services.parts_request_create(
                actor=user,
                kind=kind,
                customer=d["customer"],
                lines=lines,
                holder=d["holder"],
                reason=d["reason"],
                weeks=d.get("weeks") or rules.FREQUENCY_WEEKS,
                needed_by=d["needed_by"],
            ),
        )
        if req:
            messages.success(request, _("Requested as %s; waiting for approval.") % req.number)
            return redirect("fieldservice:request_detail", req.pk)
    title = _("Urgent parts draw") if kind == RequestKind.URGENT else _("Request spare parts")
    return render(
        request,
        "fieldservice/request_form.html",
        ctx(
            request,
            form=form,
            formset=formset,
            kind=kind,
            title=title,
            parts=part_numbers(),
            **freq,
        ),
        status=400 if request.method == "POST" else 200,
    )


def request_detail(request: AuthedRequest, pk: int, forms_: dict | None = None):
    req = selectors.request_get(request.user, pk)
    user = request.user
    lines = list(req.lines.select_related("part"))
    c = ctx(
        request,
        req=req,
        lines=lines,
        tags=req.tags.all(),
        history=record_history("fieldservice.partsrequest", req.pk),
        can_approve=can(user, "parts.approve") and req.status == RequestStatus.SUBMITTED,
        can_issue=can(user, "warehouse.handle") and req.status == RequestStatus.APPROVED,
        can_close=can(user, "parts.request") and req.status == RequestStatus.ISSUED,
        can_cancel=can(user, "parts.request")
        and req.requested_by_id == user.pk
        and req.status in (RequestStatus.SUBMITTED, RequestStatus.APPROVED),
        approve_form=OptionalNoteForm(prefix="approve"),
        reject_form=ReasonForm(prefix="reject"),
        issue_form=quantity_form(lines, label=_("issued"), initial="quantity", prefix="issue"),
        issue_note_form=OptionalNoteForm(prefix="issuenote"),
        close_form=OptionalNoteForm(prefix="close"),
        cancel_form=ReasonForm(prefix="cancel"),
    )
    c.update(forms_ or {})
    return render(request, "fieldservice/request_detail.html", c, status=400 if forms_ else 200)


def _act(request: AuthedRequest, pk: int, prefix: str, form, permission: str, call, done):
    req = selectors.request_get(request.user, pk)
    return post_action(
        request,
        permission=permission,
        form=form,
        prefix=prefix,
        call=lambda d: call(req, d),
        done=done,
        success_url=reverse("fieldservice:request_detail", args=[pk]),
        rerender=lambda f: request_detail(request, pk, f),
    )


@require_POST
def request_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "approve",
        OptionalNoteForm(request.POST, prefix="approve"),
        "parts.approve",
        lambda r, d: services.parts_request_approve(actor=request.user, request=r, note=d["note"]),
        _("Approved: the request is in the warehouse queue."),
    )


@require_POST
def request_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reject",
        ReasonForm(request.POST, prefix="reject"),
        "parts.approve",
        lambda r, d: services.parts_request_reject(
            actor=request.user, request=r, reason=d["reason"]
        ),
        _("Rejected."),
    )


@require_POST
def request_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    req = selectors.request_get(request.user, pk)
    lines = list(req.lines.select_related("part"))
    form = quantity_form(
        lines, label=_("issued"), initial="quantity", data=request.POST, prefix="issue"
    )
    note = request.POST.get("issuenote-note", "")

    def call(r, d):
        values = {k: (v if v is not None else 0) for k, v in line_values(form).items()}
        return services.parts_request_issue(
            actor=request.user, request=r, quantities=values, note=note
        )

    return _act(request, pk, "issue", form, "warehouse.handle", call, _("Parts issued."))


@require_POST
def request_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        OptionalNoteForm(request.POST, prefix="close"),
        "parts.request",
        lambda r, d: services.parts_request_close(actor=request.user, request=r, note=d["note"]),
        _("Closed."),
    )


@require_POST
def request_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "cancel",
        ReasonForm(request.POST, prefix="cancel"),
        "parts.request",
        lambda r, d: services.parts_request_cancel(
            actor=request.user, request=r, reason=d["reason"]
        ),
        _("Withdrawn."),
    )


def warehouse(request: AuthedRequest) -> HttpResponse:
    """The finished-goods warehouse's queue: urgent draws first (R-5.9.3), then by request
    time; and return-for-repair forms waiting for their check (R-5.9.2)."""
    queue = selectors.warehouse_queue(request.user)
    return render(
        request,
        "fieldservice/warehouse.html",
        ctx(
            request,
            queue=queue,
            returns=selectors.returns_to_check(request.user),
            held=selectors.return_list(request.user, status="held"),
            now=timezone.now(),
            can_handle=can(request.user, "warehouse.handle"),
        ),
    )


def balances(request: AuthedRequest) -> HttpResponse:
    """Each holder's spare parts: issued, used on service records, returned, balance."""
    holder = request.GET.get("holder")
    holder_id = int(holder) if holder and holder.isdigit() else None
    rows = selectors.balance_rows(
        request.user, holder=holder_id, nonzero=request.GET.get("nonzero") == "1"
    )
    if request.GET.get("export") == "xlsx":
        require(request.user, "fieldservice.export")
        return xlsx_response(
            "parts-balances.xlsx",
            _("Parts balances"),
            [
                _("Holder"),
                _("Part number"),
                _("Name"),
                _("Issued"),
                _("Used"),
                _("Returned"),
                _("Balance"),
            ],
            (
                [
                    r["holder"],
                    r["part"].part_number,
                    r["part"].name,
                    r["issued"],
                    r["used"],
                    r["returned"],
                    r["balance"],
                ]
                for r in rows
            ),
        )
    movements = selectors.movement_list(request.user, holder=holder_id)[:50]
    return render(
        request,
        "fieldservice/balances.html",
        ctx(
            request,
            rows=rows,
            movements=movements,
            holder_id=holder_id,
            holders=sorted(
                {r["holder"] for r in selectors.balance_rows(request.user)},
                key=lambda u: u.username,
            ),
            can_return=can(request.user, "warehouse.handle"),
        ),
    )


def parts_return(request: AuthedRequest) -> HttpResponse:
    """The warehouse takes unused spare parts back from a holder."""
    require(request.user, "warehouse.handle")
    form = ReturnPartsForm(request.POST or None, initial={"holder": request.GET.get("holder")})
    return form_page(
        request,
        form,
        lambda d: services.parts_return(actor=request.user, **d),
        template="fieldservice/form.html",
        context=lambda: ctx(
            request,
            title=_("Take spare parts back"),
            parts=part_numbers(),
            cancel=reverse("fieldservice:balances"),
        ),
        done=_("Return recorded."),
        success_url=lambda _result: (
            reverse("fieldservice:balances") + f"?holder={form.cleaned_data['holder'].pk}"
        ),
    )
