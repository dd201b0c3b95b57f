"""API for `communications` (interface.md)."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from serviceloop.core.actions import api_actions
from serviceloop.core.api_read import create_route, get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, departments, lookup, user_of
from serviceloop.core.models import User
from serviceloop.customers.models import Contact
from serviceloop.records.policy import with_retention

from . import actions, selectors, services
from .domain import part_facts
from .schemas import (
    CommunicationIn,
    CommunicationOut,
    CommunicationPatch,
    FlagIn,
    RouteIn,
    RoutingOut,
    TextIn,
)

router = Router(tags=["communications"], auth=API_AUTH)


class CommunicationFilters(Schema):
    q: str = ""
    customer: int | None = None
    channel: str = ""
    status: str = ""
    overdue: bool | None = None
    major: bool | None = None
    owner: int | None = None
    department: int | None = None
    received_from: date | None = None
    received_to: date | None = None


list_route(
    router,
    CommunicationOut,
    __name__,
    "list_communications",
    selectors.communication_list,
    CommunicationFilters,
    shape=lambda qs: with_retention(qs.prefetch_related("routings__department")),
)


def _records_named(payload: dict) -> dict:
    payload["contact"] = lookup(Contact, payload["contact"], "contact")
    payload["owner"] = lookup(User, payload["owner"], "owner")
    payload["route_to"] = departments(payload.pop("route_to"), "route_to")
    return payload


create_route(
    router,
    CommunicationOut,
    __name__,
    "create_communication",
    CommunicationIn,
    services.communication_register,
    api_in=_records_named,
)


get_route(
    router, CommunicationOut, __name__, "get_communication", "comm_id", selectors.communication_get
)


def _patched_records(payload: dict) -> dict:
    if "owner" in payload:
        payload["owner"] = lookup(User, payload["owner"], "owner")
    if "contact" in payload:
        payload["contact"] = lookup(Contact, payload["contact"], "contact")
    return payload


patch_route(
    router,
    CommunicationOut,
    __name__,
    "update_communication",
    "comm_id",
    selectors.communication_get,
    CommunicationPatch,
    services.communication_update,
    "communication",
    api_in=_patched_records,
)


_post = api_actions(
    router,
    __name__,
    get=selectors.communication_get,
    path="/{int:comm_id}",
    response=CommunicationOut,
)
answer = _post(actions.ANSWER)
feedback = _post(actions.FEEDBACK)
extend = _post(actions.EXTEND)


@router.post("/{int:comm_id}/route", response=list[RoutingOut])
def route(request: HttpRequest, comm_id: int, data: RouteIn):
    user = user_of(request)
    comm = selectors.communication_get(user, comm_id)
    services.communication_route(
        actor=user,
        communication=comm,
        departments=departments(data.departments, "departments"),
        instruction=data.instruction,
        due_at=data.due_at,
    )
    return list(comm.routings.select_related("department"))


@router.post("/{int:comm_id}/flag-major", response=CommunicationOut)
def flag_major(request: HttpRequest, comm_id: int, data: FlagIn):
    user = user_of(request)
    comm = selectors.communication_get(user, comm_id)
    guess = part_facts(comm.subject, comm.body)
    return services.communication_flag_major(
        actor=user,
        communication=comm,
        reason=data.reason,
        part_number=guess["part_number"] if data.part_number is None else data.part_number,
        part_name=data.part_name,
        lot=guess["lot"] if data.lot is None else data.lot,
        quantity=guess["quantity"] if data.quantity is None else data.quantity,
        description=data.description,
    )


@router.post("/routings/{int:routing_id}/respond", response=RoutingOut)
def respond(request: HttpRequest, routing_id: int, data: TextIn):
    user = user_of(request)
    routing = selectors.routing_get(user, routing_id)
    return services.routing_respond(actor=user, routing=routing, text=data.text)
