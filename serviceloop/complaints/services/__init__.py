"""Every write to complaints and 8D reports goes through these services (design rule 1)."""

from .closing import (
    circulation_acknowledge,
    eightd_close,
    eightd_record_negotiation,
    eightd_refer_to_sales,
)
from .eightd import (
    D2_FIELDS,
    discipline_complete,
    discipline_reopen,
    discipline_update,
    eightd_open,
    eightd_set_leader,
    team_add,
    team_remove,
)
from .eightd_work import (
    action_add,
    action_cancel,
    action_complete,
    action_update,
    action_verify,
    cause_add,
    cause_update,
    containment_add,
    containment_done,
    containment_reinspect,
    containment_update,
)
from .gaps import close_blockers, discipline_gaps
from .letters import reply_draft, reply_send, reply_template_save
from .register import complaint_from_major_problem, complaint_register, complaint_update
from .sweep import sweep_overdue

__all__ = [
    "D2_FIELDS",
    "action_add",
    "action_cancel",
    "action_complete",
    "action_update",
    "action_verify",
    "cause_add",
    "cause_update",
    "circulation_acknowledge",
    "close_blockers",
    "complaint_from_major_problem",
    "complaint_register",
    "complaint_update",
    "containment_add",
    "containment_done",
    "containment_reinspect",
    "containment_update",
    "discipline_complete",
    "discipline_gaps",
    "discipline_reopen",
    "discipline_update",
    "eightd_close",
    "eightd_open",
    "eightd_record_negotiation",
    "eightd_refer_to_sales",
    "eightd_set_leader",
    "reply_draft",
    "reply_send",
    "reply_template_save",
    "sweep_overdue",
    "team_add",
    "team_remove",
]
