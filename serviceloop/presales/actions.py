"""The steps of a customer requirement, a sample request and a special request as declared
actions (core.actions); the API makes its endpoints from them."""

from typing import Any

from django.core.exceptions import ValidationError

from serviceloop.core.actions import Action, service_call

from . import selectors, services
from .schemas import (
    ConcludeIn,
    ConfirmIn,
    DecideIn,
    DeliverIn,
    DepartmentIn,
    EvaluationIn,
    FulfilIn,
    MadeIn,
    PresalesTextIn,
    RejectIn,
    ScheduleIn,
)


def _conclude(actor: Any, req: Any, data: dict[str, Any]) -> object:
    order_id = data.pop("order")
    order = None
    if order_id is not None:
        order = selectors.order_list(actor).filter(pk=order_id).first()
        if order is None:
            raise ValidationError({"order": f"Unknown order {order_id}."})
    return services.requirement_conclude(actor=actor, requirement=req, order=order, **data)


EVALUATE = Action(
    "evaluate",
    "requirement.evaluate",
    service_call(services.requirement_evaluate, "requirement"),
    schema=EvaluationIn,
)
CONCLUDE = Action("conclude", "requirement.conclude", _conclude, schema=ConcludeIn)

SAMPLE_APPROVE = Action(
    "approve",
    "sample.approve",
    service_call(services.sample_approve, "sample"),
    schema=DepartmentIn,
)
SAMPLE_REJECT = Action(
    "reject", "sample.approve", service_call(services.sample_reject, "sample"), schema=RejectIn
)
SAMPLE_SCHEDULE = Action(
    "schedule", "sample.make", service_call(services.sample_schedule, "sample"), schema=ScheduleIn
)
SAMPLE_MADE = Action(
    "made", "sample.make", service_call(services.sample_record_made, "sample"), schema=MadeIn
)
SAMPLE_DELIVER = Action(
    "deliver", "sample.deliver", service_call(services.sample_deliver, "sample"), schema=DeliverIn
)
SAMPLE_CONFIRM = Action(
    "confirm", "sample.deliver", service_call(services.sample_confirm, "sample"), schema=ConfirmIn
)

SPECIAL_DECIDE = Action(
    "decide", "special.decide", service_call(services.special_decide, "special"), schema=DecideIn
)
SPECIAL_FULFIL = Action(
    "fulfil", "special.fulfil", service_call(services.special_fulfil, "special"), schema=FulfilIn
)
SPECIAL_DECLINE_NOTICE = Action(
    "decline-notice",
    "special.explain",
    service_call(services.special_decline_notice, "special"),
    schema=PresalesTextIn,
)
