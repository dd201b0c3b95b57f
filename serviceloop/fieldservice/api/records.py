"""API: `service-records` (R-5.9.4) with the repair-or-replace decision (R-5.3.4.2), parts used
(R-5.3.4.3) and major problems (R-5.9.5); the bulk import is the `imports` resource."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.api_read import create_route, get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require
from serviceloop.records.policy import with_retention

from .. import selectors, services
from ..models import Part, Source
from ..schemas import (
    DefaultsOut,
    HandlingIn,
    HandlingOut,
    MovementOut,
    PartsUsedIn,
    RecordFlagIn,
    RecordIn,
    RecordOut,
    RecordPatch,
)

router = Router(tags=["service-records"], auth=API_AUTH)


class RecordFilters(Schema):
    q: str = ""
    engineer: int | None = None
    customer: int | None = None
    part: int | None = None
    failure_mode: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None
    week: date | None = None
    major: bool | None = None


def _part(pk: int | None, number: str | None):
    if pk is None and number:
        part = Part.objects.filter(part_number=number.strip()).first()
        if part is None:
            raise ValidationError({"part": f"Unknown part number {number}."})
        return part
    if pk is None:
        raise ValidationError({"part": "Give `part` (id) or `part_number`."})
    return pk


list_route(
    router,
    RecordOut,
    __name__,
    "list_records",
    selectors.record_list,
    RecordFilters,
    shape=lambda qs: with_retention(qs.select_related("handling")),
)


def _api_record(payload: dict) -> dict:
    payload["part"] = _part(payload.pop("part"), payload.pop("part_number"))
    return {**payload, "source": Source.API}


create_route(
    router,
    RecordOut,
    __name__,
    "create_record",
    RecordIn,
    services.service_record_create,
    permission="record.create",
    api_in=_api_record,
)


@router.get("/defaults", response=DefaultsOut)
def defaults(request: HttpRequest):
    """What a quick entry form should fill in for the caller (usual customer, OEM, part)."""
    actor = user_of(request)
    require(actor, "fieldservice.view")
    return selectors.usual_defaults(actor)


get_route(router, RecordOut, __name__, "get_record", "service_record_id", selectors.record_get)


patch_route(
    router,
    RecordOut,
    __name__,
    "update_record",
    "service_record_id",
    selectors.record_get,
    RecordPatch,
    services.service_record_update,
    "record",
    permission="record.change",
)


@router.post("/{int:service_record_id}/flag-major", response=RecordOut)
def flag_major(request: HttpRequest, service_record_id: int, data: RecordFlagIn):
    actor = user_of(request)
    require(actor, "record.flag_major")
    rec = selectors.record_get(actor, service_record_id)
    return services.service_record_flag_major(actor=actor, record=rec, reason=data.reason)


@router.post("/{int:service_record_id}/handling", response=HandlingOut)
def decide_handling(request: HttpRequest, service_record_id: int, data: HandlingIn):
    """R-5.3.4.2: repair if repairable, otherwise return or replace."""
    actor = user_of(request)
    require(actor, "handling.decide")
    rec = selectors.record_get(actor, service_record_id)
    return services.handling_decide(actor=actor, record=rec, **data.dict())


@router.post("/{int:service_record_id}/parts-used", response={201: MovementOut})
def parts_used(request: HttpRequest, service_record_id: int, data: PartsUsedIn):
    actor = user_of(request)
    require(actor, "parts.use")
    rec = selectors.record_get(actor, service_record_id)
    return Status(
        201,
        services.parts_use(
            actor=actor, record=rec, part=data.part, quantity=data.quantity, note=data.note
        ),
    )
