"""Pages of orders and contracts (R-5.2.1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib import messages
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
)

from .. import selectors, services
from ..forms import (
    AcknowledgeForm,
    ListFilterForm,
    OrderForm,
    OrderLineForm,
    OrderRoutingForm,
    ProgressForm,
)
from ..models import MilestoneCode, OrderStatus
from .common import post_action


def order_list(request: AuthedRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None, statuses=OrderStatus.choices)
    return list_page(
        request,
        selectors.order_list(request.user, **form.filters()),
        form=form,
        full="presales/order_list.html",
        export=_export,
        export_permission="order.export",
        today=timezone.localdate(),
        can_create=can(request.user, "order.change"),
        can_import=can(request.user, "order.import"),
    )


def _export(qs: Any) -> HttpResponse:
    codes = MilestoneCode.values
    labels = dict(MilestoneCode.choices)
    headers = [
        _("Order / contract number"),
        _("Customer code"),
        _("Customer"),
        _("Line"),
        _("Part number"),
        _("Part name"),
        _("Quantity"),
        _("Due date"),
        _("Delivered at"),
        _("Ordered on"),
        _("Promised date"),
        _("Status"),
        _("Late"),
        *[_("Planned: %s") % labels[c] for c in codes],
        *[_("Actual: %s") % labels[c] for c in codes],
    ]
    today = timezone.localdate()

    def rows(o: Any) -> Iterator[list[Any]]:
        """One row per order line (the shape the import reads back)."""
        ms = {m.code: m for m in o.milestones.all()}
        for line in o.lines.all():
            yield [
                o.order_number,
                o.customer.code,
                o.customer.name,
                line.position,
                line.part_number,
                line.description,
                line.quantity,
                line.due_date,
                line.delivered_at,
                o.ordered_on,
                o.promised_date,
                o.get_status_display(),
                _("yes") if o.is_late(today) or line.is_late(today) else "",
                *[ms[c].planned_date if c in ms else None for c in codes],
                *[ms[c].actual_at if c in ms else None for c in codes],
            ]

    qs = qs.prefetch_related("lines", "milestones", "routings")
    return xlsx_response("orders.xlsx", _("Orders"), headers, (r for o in qs for r in rows(o)))


def order_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "order.change")
    form = OrderForm(
        request.POST or None, user=request.user, initial={"customer": request.GET.get("customer")}
    )
    return form_page(
        request,
        form,
        lambda d: services.order_create(
            actor=request.user,
            customer=d["customer"],
            order_number=d["order_number"],
            lines=form.lines(),
            ordered_on=d["ordered_on"],
            promised_date=d["promised_date"],
            milestones={c: d[f"plan_{c}"] for c in MilestoneCode.values},
        ),
        template="presales/form.html",
        context={"title": _("New order"), "back": "presales:orders"},
        done=lambda order: _("Order %s saved.") % order.order_number,
        invalid_status=200,
    )


def order_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    ctx = {
        "order": order,
        "today": timezone.localdate(),
        "milestones": order.milestones.all(),
        "lines": order.lines.all(),
        "line_form": OrderLineForm(prefix="line"),
        "can_change": can(request.user, "order.change") and order.status == OrderStatus.OPEN,
        "updates": order.updates.select_related("recorded_by", "line"),
        "requirements": order.requirements.all(),
        "progress_form": ProgressForm(
            prefix="progress",
            lines=order.lines.all(),
            initial={"at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        ),
        "can_progress": can(request.user, "order.progress") and order.status == OrderStatus.OPEN,
        "history": record_history("presales.order", order.pk),
        "routings": order.routings.select_related(
            "department", "line", "routed_by", "responded_by"
        ),
        "route_form": OrderRoutingForm(prefix="route", lines=order.lines.all()),
        "can_route": can(request.user, "order.route") and order.status == OrderStatus.OPEN,
        "ack_form": AcknowledgeForm(prefix="ack"),
        "my_department_id": request.user.department_id,
    }
    ctx.update(forms_ or {})
    return render(request, "presales/order_detail.html", ctx, status=400 if forms_ else 200)


@require_POST
def order_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    return post_action(
        request,
        permission="order.progress",
        form=ProgressForm(request.POST, prefix="progress", lines=order.lines.all()),
        call=lambda d: services.order_progress(
            actor=request.user,
            order=order,
            line=d["line"],
            milestone=d["milestone"],
            at=d["at"],
            note=d["note"],
            customer_told=d["customer_told"],
        ),
        done=_("Progress recorded."),
        success_url=("presales:order", pk),
        detail=lambda f: order_detail(request, pk, f),
        key="progress_form",
    )


@require_POST
def order_add_line(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a part line to an open order."""
    order = selectors.order_get(request.user, pk)
    return post_action(
        request,
        permission="order.change",
        form=OrderLineForm(request.POST, prefix="line"),
        call=lambda d: services.order_add_line(actor=request.user, order=order, **d),
        done=_("Line added."),
        success_url=("presales:order", pk),
        detail=lambda f: order_detail(request, pk, f),
        key="line_form",
    )


@require_POST
def order_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    require(request.user, "order.progress")
    for code in MilestoneCode.values:
        value = request.POST.get(f"plan_{code}")
        if value is None:
            continue
        try:
            planned = date.fromisoformat(value) if value else None
        except ValueError:
            messages.error(request, _("Give dates as YYYY-MM-DD."))
            return redirect("presales:order", pk)
        services.order_plan(actor=request.user, order=order, milestone=code, planned_date=planned)
    messages.success(request, _("Plan saved."))
    return redirect("presales:order", pk)


def order_import(request: AuthedRequest) -> HttpResponse:
    """The orders' XLSX import runs on the one import page (core.importing, kind "orders")."""
    require(request.user, "order.import")
    return redirect(reverse("imports:index") + "?kind=orders")


@require_POST
def order_route(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pass the order (or a change of it) on to departments."""
    order = selectors.order_get(request.user, pk)
    return post_action(
        request,
        permission="order.route",
        form=OrderRoutingForm(request.POST, prefix="route", lines=order.lines.all()),
        call=lambda d: services.order_route(actor=request.user, order=order, **d),
        done=_("Routed to the departments."),
        success_url=("presales:order", pk),
        detail=lambda f: order_detail(request, pk, f),
        key="route_form",
    )


@require_POST
def order_routing_acknowledge(request: AuthedRequest, pk: int, routing_id: int) -> HttpResponse:
    """A member of the routed department acknowledges it."""
    routing = selectors.order_routing_get(request.user, pk, routing_id)
    return post_action(
        request,
        permission="order.acknowledge",
        form=AcknowledgeForm(request.POST, prefix="ack"),
        call=lambda d: services.order_routing_acknowledge(
            actor=request.user, routing=routing, note=d["note"]
        ),
        done=_("Routing acknowledged."),
        success_url=("presales:order", pk),
        detail=lambda f: order_detail(request, pk, f),
        key="ack_form",
    )
