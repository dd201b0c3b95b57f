"""API for `customers` and `service-agreements` (interface.md)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.api_read import get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.models import Agent

from . import selectors, services
from .filters import CUSTOMER_FILTERS
from .schemas import (
    AgreementIn,
    AgreementOut,
    AgreementPatch,
    ContactIn,
    ContactOut,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
)

router = Router(tags=["customers"], auth=API_AUTH)
agreements_router = Router(tags=["service-agreements"], auth=API_AUTH)


CustomerFilters = CUSTOMER_FILTERS.schema


def _agent(pk: int | None) -> Agent | None:
    if pk is None:
        return None
    agent = Agent.objects.filter(pk=pk).first()
    if agent is None:
        raise ValidationError({"agent": "Unknown agent."})
    return agent


list_route(
    router,
    CustomerOut,
    __name__,
    "list_customers",
    selectors.customer_list,
    CustomerFilters,
    shape=lambda qs: qs.prefetch_related("contacts"),
)


@router.post("/", response={201: CustomerOut})
def create_customer(request: HttpRequest, data: CustomerIn):
    user = user_of(request)
    payload = data.dict(exclude={"contacts"})
    payload["agent"] = _agent(payload.pop("agent"))
    with transaction.atomic():
        customer = services.customer_create(actor=user, **payload)
        for contact in data.contacts:
            services.contact_create(actor=user, customer=customer, **contact.dict())
    return Status(201, customer)


get_route(router, CustomerOut, __name__, "get_customer", "customer_id", selectors.customer_get)


patch_route(
    router,
    CustomerOut,
    __name__,
    "update_customer",
    "customer_id",
    selectors.customer_get,
    CustomerPatch,
    services.customer_update,
    "customer",
    api_in=lambda p: {**p, "agent": _agent(p["agent"])} if "agent" in p else p,
)


@router.post("/{int:customer_id}/contacts", response={201: ContactOut})
def add_contact(request: HttpRequest, customer_id: int, data: ContactIn):
    user = user_of(request)
    customer = selectors.customer_get(user, customer_id)
    return Status(201, services.contact_create(actor=user, customer=customer, **data.dict()))


class AgreementFilters(Schema):
    customer: int | None = None
    in_force_on: date | None = None


list_route(
    agreements_router,
    AgreementOut,
    __name__,
    "list_agreements",
    selectors.agreement_list,
    AgreementFilters,
)


@agreements_router.post("/", response={201: AgreementOut})
def create_agreement(request: HttpRequest, data: AgreementIn):
    user = user_of(request)
    payload = data.dict()
    customer_id = payload.pop("customer")
    try:
        customer = selectors.customer_get(user, customer_id)
    except Http404:
        raise ValidationError({"customer": "Unknown customer."}) from None
    return Status(201, services.agreement_create(actor=user, customer=customer, **payload))


get_route(
    agreements_router,
    AgreementOut,
    __name__,
    "get_agreement",
    "agreement_id",
    selectors.agreement_get,
)


patch_route(
    agreements_router,
    AgreementOut,
    __name__,
    "update_agreement",
    "agreement_id",
    selectors.agreement_get,
    AgreementPatch,
    services.agreement_update,
    "agreement",
)
