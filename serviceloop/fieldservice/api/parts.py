"""API: the parts catalogue, `parts-requests` (spare parts by failure frequency, R-5.3.4.3;
urgent draws, R-5.9.3), the `warehouse-queue`, holders' `part-balances` and
`part-movements`, and `nonconforming-tags` (R-5.3.4.3)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from serviceloop.core.api_read import (
    create_route,
    get_route,
    list_route,
    patch_route,
    prefetch_with,
)
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require

from .. import selectors, services
from ..domain import rules
from ..filters import REQUEST_FILTERS
from ..schemas import (
    BalanceOut,
    FrequencyOut,
    IssueIn,
    MovementOut,
    OptionalNote,
    PartIn,
    PartPatch,
    PartsReturnIn,
    Reason,
    RequestIn,
    RequestOut,
    ResolveIn,
    SparePartOut,
    TagIn,
    TagOut,
    TagPatch,
)

parts_router = Router(tags=["parts"], auth=API_AUTH)
requests_router = Router(tags=["parts-requests"], auth=API_AUTH)
warehouse_router = Router(tags=["warehouse-queue"], auth=API_AUTH)
balances_router = Router(tags=["part-balances"], auth=API_AUTH)
movements_router = Router(tags=["part-movements"], auth=API_AUTH)
tags_router = Router(tags=["nonconforming-tags"], auth=API_AUTH)


# ---------------------------------------------------------------- catalogue


class PartFilters(Schema):
    q: str = ""
    active: bool | None = None


list_route(parts_router, SparePartOut, __name__, "list_parts", selectors.part_list, PartFilters)


create_route(
    parts_router,
    SparePartOut,
    __name__,
    "create_part",
    PartIn,
    services.part_create,
    permission="part.manage",
)


get_route(parts_router, SparePartOut, __name__, "get_part", "spare_part_id", selectors.part_get)


patch_route(
    parts_router,
    SparePartOut,
    __name__,
    "update_part",
    "spare_part_id",
    selectors.part_get,
    PartPatch,
    services.part_update,
    "part",
    permission="part.manage",
)


# ---------------------------------------------------------------- requests


RequestFilters = REQUEST_FILTERS.schema


list_route(
    requests_router,
    RequestOut,
    __name__,
    "list_requests",
    selectors.request_list,
    RequestFilters,
    shape=prefetch_with("lines", "part"),
)


def _request_lines(payload: dict) -> dict:
    payload["lines"] = [
        {"part": line["part"], "quantity": line["quantity"]} for line in payload["lines"]
    ]
    return payload


create_route(
    requests_router,
    RequestOut,
    __name__,
    "create_request",
    RequestIn,
    services.parts_request_create,
    permission="parts.request",
    api_in=_request_lines,
)


@requests_router.get("/failure-frequency", response=list[FrequencyOut])
def failure_frequency(
    request: HttpRequest, engineer: int | None = None, weeks: int = rules.FREQUENCY_WEEKS
):
    """R-5.3.4.3: an engineer's (default: the caller's) failed units per part over the last
    `weeks` weeks, what he holds, and the quantity that would cover four weeks."""
    actor = user_of(request)
    require(actor, "fieldservice.view")
    if not 1 <= weeks <= 52:
        raise ValidationError({"weeks": "Give a window of 1 to 52 weeks."})
    rows = selectors.failure_frequency(actor, engineer or actor.pk, weeks)
    return [
        {
            "part": f.part.pk,
            "part_number": f.part.part_number,
            "records": f.records,
            "failed_units": f.failed_units,
            "per_week": f.per_week,
            "balance": f.balance,
            "suggested": f.suggested,
        }
        for f in rows
    ]


get_route(
    requests_router, RequestOut, __name__, "get_request", "parts_request_id", selectors.request_get
)


def _get(request: HttpRequest, parts_request_id: int, action: str):
    actor = user_of(request)
    require(actor, action)
    return actor, selectors.request_get(actor, parts_request_id)


@requests_router.post("/{int:parts_request_id}/approve", response=RequestOut)
def approve(request: HttpRequest, parts_request_id: int, data: OptionalNote):
    actor, r = _get(request, parts_request_id, "parts.approve")
    return services.parts_request_approve(actor=actor, request=r, note=data.note)


@requests_router.post("/{int:parts_request_id}/reject", response=RequestOut)
def reject(request: HttpRequest, parts_request_id: int, data: Reason):
    actor, r = _get(request, parts_request_id, "parts.approve")
    return services.parts_request_reject(actor=actor, request=r, reason=data.reason)


@requests_router.post("/{int:parts_request_id}/issue", response=RequestOut)
def issue(request: HttpRequest, parts_request_id: int, data: IssueIn):
    """The warehouse issues; `lines` gives issued quantities per line (default: all)."""
    actor, r = _get(request, parts_request_id, "warehouse.handle")
    return services.parts_request_issue(
        actor=actor,
        request=r,
        quantities={x.line: x.quantity for x in data.lines},
        note=data.note,
    )


@requests_router.post("/{int:parts_request_id}/close", response=RequestOut)
def close(request: HttpRequest, parts_request_id: int, data: OptionalNote):
    actor, r = _get(request, parts_request_id, "parts.request")
    return services.parts_request_close(actor=actor, request=r, note=data.note)


@requests_router.post("/{int:parts_request_id}/cancel", response=RequestOut)
def cancel(request: HttpRequest, parts_request_id: int, data: Reason):
    actor, r = _get(request, parts_request_id, "parts.request")
    return services.parts_request_cancel(actor=actor, request=r, reason=data.reason)


list_route(
    warehouse_router,
    RequestOut,
    __name__,
    "warehouse_queue",
    selectors.warehouse_queue,
    doc="R-5.9.3: approved requests waiting at the finished-goods warehouse, urgent draws first,\n"
    "then in order of request.",
)


# ---------------------------------------------------------------- ledger


@balances_router.get("/", response=list[BalanceOut])
@paginate(LimitOffsetPagination)
def list_balances(
    request: HttpRequest, holder: int | None = None, part: int | None = None, nonzero: bool = False
):
    rows = selectors.balance_rows(user_of(request), holder=holder, part=part, nonzero=nonzero)
    return [
        {
            **r,
            "holder": r["holder_id"],
            "holder_name": str(r["holder"]),
            "part": r["part_id"],
            "part_number": r["part"].part_number,
        }
        for r in rows
    ]


class MovementFilters(Schema):
    holder: int | None = None
    part: int | None = None
    kind: str = ""


list_route(
    movements_router,
    MovementOut,
    __name__,
    "list_movements",
    selectors.movement_list,
    MovementFilters,
)


@movements_router.post("/returns", response={201: MovementOut})
def return_parts(request: HttpRequest, data: PartsReturnIn):
    """The warehouse takes unused spare parts back from a holder."""
    actor = user_of(request)
    require(actor, "warehouse.handle")
    return Status(201, services.parts_return(actor=actor, **data.dict()))


# ---------------------------------------------------------------- tags


class TagFilters(Schema):
    q: str = ""
    status: str = ""
    customer: int | None = None


list_route(tags_router, TagOut, __name__, "list_tags", selectors.tag_list, TagFilters)


def _request_for(actor, pk):
    if pk is None:
        return None
    r = selectors.request_list(actor).filter(pk=pk).first()
    if r is None:
        raise ValidationError({"parts_request": "Unknown parts request."})
    return r


@tags_router.post("/", response={201: TagOut})
def create_tag(request: HttpRequest, data: TagIn):
    actor = user_of(request)
    require(actor, "tag.manage")
    payload = data.dict()
    payload["parts_request"] = _request_for(actor, payload["parts_request"])
    return Status(201, services.tag_create(actor=actor, **payload))


get_route(tags_router, TagOut, __name__, "get_tag", "nc_tag_id", selectors.tag_get)


patch_route(
    tags_router,
    TagOut,
    __name__,
    "update_tag",
    "nc_tag_id",
    selectors.tag_get,
    TagPatch,
    services.tag_update,
    "tag",
    permission="tag.manage",
)


@tags_router.post("/{int:nc_tag_id}/resolve", response=TagOut)
def resolve(request: HttpRequest, nc_tag_id: int, data: ResolveIn):
    actor = user_of(request)
    require(actor, "tag.manage")
    tag = selectors.tag_get(actor, nc_tag_id)
    return services.tag_resolve(actor=actor, tag=tag, resolution=data.resolution)
