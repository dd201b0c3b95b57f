"""API: `return-forms` — return-for-repair forms (退修单, R-5.9.2)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.api_read import get_route, list_route, patch_route, prefetch_with
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require
from serviceloop.records.policy import with_retention

from .. import selectors, services
from ..schemas import CheckIn, CorrectIn, Reason, ReturnIn, ReturnOut, ReturnPatch

router = Router(tags=["return-forms"], auth=API_AUTH)


class ReturnFilters(Schema):
    q: str = ""
    status: str = ""
    customer: int | None = None
    mine: bool = False


list_route(
    router,
    ReturnOut,
    __name__,
    "list_returns",
    selectors.return_list,
    ReturnFilters,
    shape=lambda qs: with_retention(prefetch_with("lines", "part")(qs)),
)


def _record(actor, pk):
    if pk is None:
        return None
    rec = selectors.record_list(actor).filter(pk=pk).first()
    if rec is None:
        raise ValidationError({"service_record": "Unknown service record."})
    return rec


@router.post("/", response={201: ReturnOut})
def create_return(request: HttpRequest, data: ReturnIn):
    actor = user_of(request)
    require(actor, "return.fill")
    payload = data.dict()
    payload["service_record"] = _record(actor, payload["service_record"])
    return Status(201, services.return_create(actor=actor, **payload))


get_route(router, ReturnOut, __name__, "get_return", "return_form_id", selectors.return_get)


def _get(request: HttpRequest, return_form_id: int, action: str):
    actor = user_of(request)
    require(actor, action)
    return actor, selectors.return_get(actor, return_form_id)


patch_route(
    router,
    ReturnOut,
    __name__,
    "update_return",
    "return_form_id",
    selectors.return_get,
    ReturnPatch,
    services.return_update,
    "form",
    permission="return.fill",
)


@router.post("/{int:return_form_id}/countersign", response=ReturnOut)
def countersign(request: HttpRequest, return_form_id: int):
    """The engineer's countersignature (会签): his recorded confirmation, with the time."""
    actor, f = _get(request, return_form_id, "return.fill")
    return services.return_countersign(actor=actor, form=f)


@router.post("/{int:return_form_id}/check", response=ReturnOut)
def check(request: HttpRequest, return_form_id: int, data: CheckIn):
    """The warehouse's check: all match -> received; else held with the discrepancy (200)."""
    actor, f = _get(request, return_form_id, "warehouse.handle")
    counted = {c.line: c.counted for c in data.lines}
    return services.return_check(
        actor=actor, form=f, counted=counted, signatures_ok=data.signatures_ok
    )


@router.post("/{int:return_form_id}/correct", response=ReturnOut)
def correct(request: HttpRequest, return_form_id: int, data: CorrectIn):
    actor, f = _get(request, return_form_id, "return.fill")
    return services.return_correct(
        actor=actor,
        form=f,
        note=data.note,
        quantities={c.line: c.quantity for c in data.lines},
        customer_signatory=data.customer_signatory,
    )


@router.post("/{int:return_form_id}/cancel", response=ReturnOut)
def cancel(request: HttpRequest, return_form_id: int, data: Reason):
    actor, f = _get(request, return_form_id, "return.fill")
    return services.return_cancel(actor=actor, form=f, reason=data.reason)
