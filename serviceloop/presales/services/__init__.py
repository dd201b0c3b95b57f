"""Every write to pre-sale records and orders goes through these services."""

from .orders import (
    order_add_line,
    order_create,
    order_plan,
    order_progress,
    order_route,
    order_routing_acknowledge,
)
from .requirements import (
    followup_done,
    requirement_add_action,
    requirement_attach,
    requirement_conclude,
    requirement_evaluate,
    requirement_register,
)
from .results import result_letter_create, result_letter_send
from .samples import (
    sample_approve,
    sample_confirm,
    sample_deliver,
    sample_record_made,
    sample_reject,
    sample_request,
    sample_schedule,
)
from .special import special_decide, special_decline_notice, special_fulfil, special_request
from .sweep import sweep_overdue

__all__ = [
    "followup_done",
    "order_add_line",
    "order_create",
    "order_plan",
    "order_progress",
    "order_route",
    "order_routing_acknowledge",
    "requirement_add_action",
    "requirement_attach",
    "requirement_conclude",
    "requirement_evaluate",
    "requirement_register",
    "result_letter_create",
    "result_letter_send",
    "sample_approve",
    "sample_confirm",
    "sample_deliver",
    "sample_record_made",
    "sample_reject",
    "sample_request",
    "sample_schedule",
    "special_decide",
    "special_decline_notice",
    "special_fulfil",
    "special_request",
    "sweep_overdue",
]
