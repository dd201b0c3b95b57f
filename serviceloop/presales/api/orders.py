"""API of orders (R-5.2.1) and of the result letters told to the customer (R-5.2.5)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.communications.selectors import communication_get
from serviceloop.core.api_read import get_route, list_route
from serviceloop.core.api_support import API_AUTH, departments, user_of

from .. import selectors, services
from ..documents import result_docx_response, result_pdf_response
from ..schemas import (
    OrderAcknowledgeIn,
    OrderIn,
    OrderLineIn,
    OrderOut,
    OrderRoutingIn,
    OrderRoutingOut,
    PresalesResultIn,
    ProgressIn,
    ResultOut,
)

orders_router = Router(tags=["orders"], auth=API_AUTH)
results_router = Router(tags=["result-letters"], auth=API_AUTH)


class OrderFilters(Schema):
    q: str = ""
    customer: int | None = None
    status: str = ""
    late: bool | None = None
    promised_from: date | None = None
    promised_to: date | None = None


list_route(
    orders_router,
    OrderOut,
    __name__,
    "list_orders",
    selectors.order_list,
    OrderFilters,
    shape=lambda qs: qs.prefetch_related("updates", "lines", "routings__department"),
)


@orders_router.post("/", response={201: OrderOut})
def create_order(request: HttpRequest, data: OrderIn):
    payload = data.dict()
    plan = payload.pop("milestones") or {}
    payload["lines"] = payload["lines"] or None
    order = services.order_create(
        actor=user_of(request), milestones={str(k): v for k, v in plan.items()}, **payload
    )
    return Status(201, order)


get_route(orders_router, OrderOut, __name__, "get_order", "order_id", selectors.order_get)


@orders_router.post("/{int:order_id}/lines", response={201: OrderOut})
def add_line(request: HttpRequest, order_id: int, data: OrderLineIn):
    """Add a part line to an open order (a change of the order)."""
    user = user_of(request)
    order = selectors.order_get(user, order_id)
    services.order_add_line(actor=user, order=order, **data.dict())
    return Status(201, selectors.order_get(user, order_id))


@orders_router.post("/{int:order_id}/progress", response=OrderOut)
def progress(request: HttpRequest, order_id: int, data: ProgressIn):
    user = user_of(request)
    order = selectors.order_get(user, order_id)
    services.order_progress(
        actor=user,
        order=order,
        milestone=data.milestone or "",
        at=data.at,
        note=data.note,
        customer_told=data.customer_told,
        line=data.line,
    )
    return selectors.order_get(user, order_id)


@orders_router.post("/{int:order_id}/routings", response={201: list[OrderRoutingOut]})
def route(request: HttpRequest, order_id: int, data: OrderRoutingIn):
    """Pass the order (or a change of it) on to the departments that must act."""
    user = user_of(request)
    order = selectors.order_get(user, order_id)
    routings = services.order_route(
        actor=user,
        order=order,
        departments=departments(data.departments, "departments"),
        instruction=data.instruction,
        due_date=data.due_date,
        line=data.line,
    )
    return Status(201, routings)


@orders_router.post(
    "/{int:order_id}/routings/{int:routing_id}/acknowledge", response=OrderRoutingOut
)
def acknowledge(request: HttpRequest, order_id: int, routing_id: int, data: OrderAcknowledgeIn):
    """A member of the routed department acknowledges it, with an optional note."""
    user = user_of(request)
    routing = selectors.order_routing_get(user, order_id, routing_id)
    return services.order_routing_acknowledge(actor=user, routing=routing, note=data.note)


class ResultFilters(Schema):
    customer: int | None = None


list_route(
    results_router, ResultOut, __name__, "list_results", selectors.result_list, ResultFilters
)


@results_router.post("/", response={201: ResultOut})
def create_result(request: HttpRequest, data: PresalesResultIn):
    user = user_of(request)
    if (data.communication is None) == (data.requirement is None):
        raise ValidationError({"source": "Give either a communication or a requirement."})
    source = (
        communication_get(user, data.communication)
        if data.communication is not None
        else selectors.requirement_get(user, data.requirement or 0)
    )
    letter = services.result_letter_create(
        actor=user,
        source=source,
        subject=data.subject,
        body=data.body,
        improvement_reference=data.improvement_reference,
        sent=data.sent,
    )
    return Status(201, letter)


get_route(results_router, ResultOut, __name__, "get_result", "letter_id", selectors.result_get)


@results_router.get("/{int:letter_id}/pdf")
def result_pdf(request: HttpRequest, letter_id: int):
    return result_pdf_response(selectors.result_get(user_of(request), letter_id))


@results_router.get("/{int:letter_id}/docx")
def result_docx(request: HttpRequest, letter_id: int):
    return result_docx_response(selectors.result_get(user_of(request), letter_id))
