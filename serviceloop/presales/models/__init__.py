"""Pre-sale service and order follow-up (SJ/QP-021 5.1.1–5.1.3, 5.2.1, 5.2.5)."""

from serviceloop.core.routing import RoutingState

from .orders import (
    Milestone,
    MilestoneCode,
    Order,
    OrderLine,
    OrderRouting,
    OrderStatus,
    ProgressUpdate,
)
from .requirements import (
    EVALUATING_DEPARTMENTS,
    REQUIREMENT_TRANSITIONS,
    CustomerRequirement,
    Evaluation,
    FollowUpAction,
    RequirementAttachment,
    RequirementStatus,
    Verdict,
)
from .results import ResultLetter
from .samples import (
    SAMPLE_TRANSITIONS,
    SampleApproval,
    SampleAttachment,
    SampleRequest,
    SampleStatus,
)
from .special import SPECIAL_TRANSITIONS, SpecialKind, SpecialRequest, SpecialStatus

__all__ = [
    "EVALUATING_DEPARTMENTS",
    "REQUIREMENT_TRANSITIONS",
    "SAMPLE_TRANSITIONS",
    "SPECIAL_TRANSITIONS",
    "CustomerRequirement",
    "Evaluation",
    "FollowUpAction",
    "Milestone",
    "MilestoneCode",
    "Order",
    "OrderLine",
    "OrderRouting",
    "OrderStatus",
    "ProgressUpdate",
    "RequirementAttachment",
    "RequirementStatus",
    "ResultLetter",
    "RoutingState",
    "SampleApproval",
    "SampleAttachment",
    "SampleRequest",
    "SampleStatus",
    "SpecialKind",
    "SpecialRequest",
    "SpecialStatus",
    "Verdict",
]
