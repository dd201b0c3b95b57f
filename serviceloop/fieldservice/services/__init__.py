"""Every write in field service goes through these services (architecture rule 1)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .assignments import assignment_create, assignment_end, assignment_update
from .escalations import (
    escalation_add_note,
    escalation_agree,
    escalation_complete,
    escalation_coordinate,
    escalation_raise,
    escalation_reopen,
    escalation_set_due,
    sweep_overdue_escalations,
)
from .feedback import (
    sweep_missing_feedback,
    weekly_feedback_return,
    weekly_feedback_review,
    weekly_feedback_submit,
)
from .infoforms import (
    infoform_acknowledge,
    infoform_create,
    infoform_flag_major,
    infoform_issue,
    infoform_update,
)
from .parts import (
    LineIn,
    part_create,
    part_update,
    parts_request_approve,
    parts_request_cancel,
    parts_request_close,
    parts_request_create,
    parts_request_issue,
    parts_request_reject,
    parts_return,
    parts_use,
)
from .records import (
    handling_decide,
    service_record_create,
    service_record_flag_major,
    service_record_update,
)
from .returns import (
    return_cancel,
    return_check,
    return_correct,
    return_countersign,
    return_create,
    return_update,
)
from .tags import tag_create, tag_resolve, tag_update


def sweep(now: datetime | None = None) -> dict[str, int]:
    """The periodic sweep of field service: missing weekly feedback and overdue escalations.
    Idempotent; safe to run from several workers."""
    now = now or timezone.now()
    return {
        "weekly_feedback_missing": sweep_missing_feedback(now),
        "escalations_overdue": sweep_overdue_escalations(now),
    }


__all__ = [
    "LineIn",
    "assignment_create",
    "assignment_end",
    "assignment_update",
    "escalation_add_note",
    "escalation_agree",
    "escalation_complete",
    "escalation_coordinate",
    "escalation_raise",
    "escalation_reopen",
    "escalation_set_due",
    "handling_decide",
    "infoform_acknowledge",
    "infoform_create",
    "infoform_flag_major",
    "infoform_issue",
    "infoform_update",
    "part_create",
    "part_update",
    "parts_request_approve",
    "parts_request_cancel",
    "parts_request_close",
    "parts_request_create",
    "parts_request_issue",
    "parts_request_reject",
    "parts_return",
    "parts_use",
    "return_cancel",
    "return_check",
    "return_correct",
    "return_countersign",
    "return_create",
    "return_update",
    "service_record_create",
    "service_record_flag_major",
    "service_record_update",
    "sweep",
    "sweep_missing_feedback",
    "sweep_overdue_escalations",
    "tag_create",
    "tag_resolve",
    "tag_update",
    "weekly_feedback_return",
    "weekly_feedback_review",
    "weekly_feedback_submit",
]
