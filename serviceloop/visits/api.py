"""API for `visit-records`, `visit-plans` and `visit-actions` (interface.md)."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.actions import api_actions
from serviceloop.core.api_read import list_route, read_routes
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.records.policy import with_retention

from . import actions, selectors, services
from .filters import RECORD_FILTERS
from .schemas import (
    VisitActionOut,
    VisitPlanIn,
    VisitPlanOut,
    VisitProgressOut,
    VisitRecordIn,
    VisitRecordOut,
)

records = Router(tags=["visit-records"], auth=API_AUTH)
plans = Router(tags=["visit-plans"], auth=API_AUTH)
action_router = Router(tags=["visit-actions"], auth=API_AUTH)
ROUTERS = [("/visit-records", records), ("/visit-plans", plans), ("/visit-actions", action_router)]


VisitRecordFilters = RECORD_FILTERS.schema


read_routes(
    records,
    VisitRecordOut,
    __name__,
    list_=("list_records", selectors.visit_record_list, VisitRecordFilters),
    get=("get_record", "record_id", selectors.visit_record_get),
    shape=lambda qs: with_retention(qs.prefetch_related("communications")),
)


@records.post("/", response={201: VisitRecordOut})
def create_record(request: HttpRequest, data: VisitRecordIn):
    return Status(201, services.visit_record_create(actor=user_of(request), **data.dict()))


_record_post = api_actions(
    records,
    __name__,
    get=selectors.visit_record_get,
    path="/{int:record_id}",
    response=VisitRecordOut,
)
review_record = _record_post(actions.RECORD_REVIEW, name="review_record")
distribute_record = _record_post(actions.RECORD_DISTRIBUTE, name="distribute_record", refetch=True)
read_record = _record_post(actions.RECORD_READ, name="read_record", refetch=True)
raise_communication = _record_post(
    actions.RECORD_RAISE,
    name="raise_communication",
    status=201,
    response=dict,
    answer=lambda record, comm: {"id": comm.pk, "number": comm.number},
)
create_action = _record_post(
    actions.ACTION_CREATE, name="create_action", status=201, response=VisitActionOut
)


class VisitActionFilters(Schema):
    status: str = ""
    owner: int | None = None


list_route(
    action_router,
    VisitActionOut,
    __name__,
    "list_actions",
    selectors.action_list,
    VisitActionFilters,
)


_action_post = api_actions(
    action_router,
    __name__,
    get=selectors.action_get,
    path="/{int:action_id}",
    response=VisitActionOut,
)
close_action = _action_post(actions.ACTION_CLOSE, name="close_action")
verify_action = _action_post(actions.ACTION_VERIFY, name="verify_action")


read_routes(
    plans,
    VisitPlanOut,
    __name__,
    list_=("list_plans", selectors.plan_list),
    get=("get_plan", "plan_id", selectors.plan_get),
)


@plans.post("/", response={201: VisitPlanOut})
def create_plan(request: HttpRequest, data: VisitPlanIn):
    items = None if data.items is None else [i.dict() for i in data.items]
    plan = services.visit_plan_create(
        actor=user_of(request), year=data.year, items=items, note=data.note
    )
    return Status(201, plan)


_plan_post = api_actions(
    plans, __name__, get=selectors.plan_get, path="/{int:plan_id}", response=VisitPlanOut
)
set_items = _plan_post(actions.PLAN_ITEMS, name="set_items")
submit_plan = _plan_post(actions.PLAN_SUBMIT, name="submit_plan")
review_plan = _plan_post(actions.PLAN_REVIEW, name="review_plan")
approve_plan = _plan_post(actions.PLAN_APPROVE, name="approve_plan")


@plans.get("/{int:plan_id}/progress", response=VisitProgressOut)
def plan_progress(request: HttpRequest, plan_id: int):
    user = user_of(request)
    plan = selectors.plan_get(user, plan_id)
    data = selectors.plan_vs_actual(user, plan.year)
    data["rows"] = [
        {**r, "customer": r["customer"].pk, "customer_name": r["customer"].name}
        for r in data["rows"]
    ]
    return data
