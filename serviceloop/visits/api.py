"""API for `visit-records`, `visit-plans` and `visit-actions` (interface.md)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.api_read import list_route, read_routes
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.models import Department, User
from serviceloop.records.policy import with_retention

from . import selectors, services
from .filters import RECORD_FILTERS
from .schemas import (
    DistributeIn,
    ItemsIn,
    RaiseIn,
    ReviewIn,
    VisitActionIn,
    VisitActionOut,
    VisitCloseIn,
    VisitNoteIn,
    VisitPlanIn,
    VisitPlanOut,
    VisitProgressOut,
    VisitRecordIn,
    VisitRecordOut,
    VisitVerifyIn,
)

records = Router(tags=["visit-records"], auth=API_AUTH)
plans = Router(tags=["visit-plans"], auth=API_AUTH)
actions = Router(tags=["visit-actions"], auth=API_AUTH)
ROUTERS = [("/visit-records", records), ("/visit-plans", plans), ("/visit-actions", actions)]


def _departments(codes: list[str], field: str) -> list[Department]:
    found = list(Department.objects.filter(code__in=codes))
    missing = set(codes) - {d.code for d in found}
    if missing:
        raise ValidationError({field: f"Unknown department(s): {sorted(missing)}."})
    return found


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


@records.post("/{int:record_id}/review", response=VisitRecordOut)
def review_record(request: HttpRequest, record_id: int, data: VisitNoteIn):
    user = user_of(request)
    rec = selectors.visit_record_get(user, record_id)
    return services.visit_record_review(actor=user, record=rec, note=data.note)


@records.post("/{int:record_id}/distribute", response=VisitRecordOut)
def distribute_record(request: HttpRequest, record_id: int, data: DistributeIn):
    user = user_of(request)
    rec = selectors.visit_record_get(user, record_id)
    services.visit_record_distribute(
        actor=user, record=rec, departments=_departments(data.departments, "departments")
    )
    return selectors.visit_record_get(user, record_id)


@records.post("/{int:record_id}/read", response=VisitRecordOut)
def read_record(request: HttpRequest, record_id: int):
    user = user_of(request)
    rec = selectors.visit_record_get(user, record_id)
    services.visit_copy_read(actor=user, record=rec)
    return selectors.visit_record_get(user, record_id)


@records.post("/{int:record_id}/communication", response={201: dict})
def raise_communication(request: HttpRequest, record_id: int, data: RaiseIn):
    user = user_of(request)
    rec = selectors.visit_record_get(user, record_id)
    comm = services.visit_record_raise_communication(
        actor=user, record=rec, subject=data.subject, body=data.body
    )
    return Status(201, {"id": comm.pk, "number": comm.number})


@records.post("/{int:record_id}/actions", response={201: VisitActionOut})
def create_action(request: HttpRequest, record_id: int, data: VisitActionIn):
    user = user_of(request)
    rec = selectors.visit_record_get(user, record_id)
    owner = User.objects.filter(pk=data.owner, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": f"Unknown user {data.owner}."})
    act = services.improvement_action_create(
        actor=user,
        record=rec,
        description=data.description,
        owner=owner,
        department=_departments([data.department], "department")[0],
        due_date=data.due_date,
    )
    return Status(201, act)


class VisitActionFilters(Schema):
    status: str = ""
    owner: int | None = None


list_route(
    actions, VisitActionOut, __name__, "list_actions", selectors.action_list, VisitActionFilters
)


@actions.post("/{int:action_id}/close", response=VisitActionOut)
def close_action(request: HttpRequest, action_id: int, data: VisitCloseIn):
    user = user_of(request)
    act = selectors.action_get(user, action_id)
    return services.improvement_action_close(actor=user, action=act, note=data.note)


@actions.post("/{int:action_id}/verify", response=VisitActionOut)
def verify_action(request: HttpRequest, action_id: int, data: VisitVerifyIn):
    user = user_of(request)
    act = selectors.action_get(user, action_id)
    return services.improvement_action_verify(
        actor=user, action=act, effective=data.effective, note=data.note
    )


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


@plans.post("/{int:plan_id}/items", response=VisitPlanOut)
def set_items(request: HttpRequest, plan_id: int, data: ItemsIn):
    user = user_of(request)
    plan = selectors.plan_get(user, plan_id)
    return services.visit_plan_set_items(
        actor=user, plan=plan, items=[i.dict() for i in data.items]
    )


@plans.post("/{int:plan_id}/submit", response=VisitPlanOut)
def submit_plan(request: HttpRequest, plan_id: int):
    user = user_of(request)
    return services.visit_plan_submit(actor=user, plan=selectors.plan_get(user, plan_id))


@plans.post("/{int:plan_id}/review", response=VisitPlanOut)
def review_plan(request: HttpRequest, plan_id: int, data: ReviewIn):
    user = user_of(request)
    return services.visit_plan_review(
        actor=user,
        plan=selectors.plan_get(user, plan_id),
        comment=data.comment,
        send_back=data.send_back,
    )


@plans.post("/{int:plan_id}/approve", response=VisitPlanOut)
def approve_plan(request: HttpRequest, plan_id: int, data: ReviewIn):
    user = user_of(request)
    return services.visit_plan_approve(
        actor=user,
        plan=selectors.plan_get(user, plan_id),
        comment=data.comment,
        send_back=data.send_back,
    )


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
