"""The steps of a visit record, an improvement action and a visit plan as declared actions
(core.actions); the API makes its endpoints from them."""

from typing import Any

from django.core.exceptions import ValidationError

from serviceloop.core.actions import Action, service_call
from serviceloop.core.models import Department, User

from . import services
from .schemas import (
    DistributeIn,
    ItemsIn,
    RaiseIn,
    ReviewIn,
    VisitActionIn,
    VisitCloseIn,
    VisitNoteIn,
    VisitVerifyIn,
)


def _departments(codes: list[str], field: str) -> list[Department]:
    found = list(Department.objects.filter(code__in=codes))
    missing = set(codes) - {d.code for d in found}
    if missing:
        raise ValidationError({field: f"Unknown department(s): {sorted(missing)}."})
    return found


def _distribute(actor: Any, record: Any, data: dict[str, Any]) -> object:
    departments = _departments(data["departments"], "departments")
    return services.visit_record_distribute(actor=actor, record=record, departments=departments)


def _create_action(actor: Any, record: Any, data: dict[str, Any]) -> object:
    owner = User.objects.filter(pk=data["owner"], is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": f"Unknown user {data['owner']}."})
    return services.improvement_action_create(
        actor=actor,
        record=record,
        description=data["description"],
        owner=owner,
        department=_departments([data["department"]], "department")[0],
        due_date=data["due_date"],
    )


RECORD_REVIEW = Action(
    "review",
    "visit_record.review",
    service_call(services.visit_record_review, "record"),
    schema=VisitNoteIn,
)
RECORD_DISTRIBUTE = Action(
    "distribute", "visit_record.distribute", _distribute, schema=DistributeIn
)
RECORD_READ = Action("read", "visit_record.read", service_call(services.visit_copy_read, "record"))
RECORD_RAISE = Action(
    "communication",
    "visit_record.raise",
    service_call(services.visit_record_raise_communication, "record"),
    schema=RaiseIn,
)
ACTION_CREATE = Action("actions", "visit_action.create", _create_action, schema=VisitActionIn)

ACTION_CLOSE = Action(
    "close",
    "visit_action.close",
    service_call(services.improvement_action_close, "action"),
    schema=VisitCloseIn,
)
ACTION_VERIFY = Action(
    "verify",
    "visit_action.verify",
    service_call(services.improvement_action_verify, "action"),
    schema=VisitVerifyIn,
)

PLAN_ITEMS = Action(
    "items", "visit_plan.draft", service_call(services.visit_plan_set_items, "plan"), schema=ItemsIn
)
PLAN_SUBMIT = Action("submit", "visit_plan.draft", service_call(services.visit_plan_submit, "plan"))
PLAN_REVIEW = Action(
    "review", "visit_plan.review", service_call(services.visit_plan_review, "plan"), schema=ReviewIn
)
PLAN_APPROVE = Action(
    "approve",
    "visit_plan.approve",
    service_call(services.visit_plan_approve, "plan"),
    schema=ReviewIn,
)
