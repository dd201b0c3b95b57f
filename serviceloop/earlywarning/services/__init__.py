"""Every write of the early-warning app goes through these services (design rule 1)."""

from .alerts import alert_acknowledge, alert_close, alert_dismiss, sweep_overdue
from .baselines import claim_baseline_delete, claim_baseline_set
from .dashboards import recompute_request, refresh_part
from .data import (
    production_volume_create,
    production_volume_delete,
    production_volume_update,
    purchase_volume_create,
    purchase_volume_delete,
    purchase_volume_update,
    survey_response_create,
    survey_response_delete,
    survey_response_update,
)
from .reports import (
    notification_record,
    report_draft,
    report_issue,
    report_refresh_evidence,
    report_update,
)
from .runs import apply_findings, execute_run, on_data_imported, run_request, scheduled_check

__all__ = [
    "alert_acknowledge",
    "alert_close",
    "alert_dismiss",
    "apply_findings",
    "claim_baseline_delete",
    "claim_baseline_set",
    "execute_run",
    "notification_record",
    "on_data_imported",
    "production_volume_create",
    "production_volume_delete",
    "production_volume_update",
    "purchase_volume_create",
    "purchase_volume_delete",
    "purchase_volume_update",
    "recompute_request",
    "refresh_part",
    "report_draft",
    "report_issue",
    "report_refresh_evidence",
    "report_update",
    "run_request",
    "scheduled_check",
    "survey_response_create",
    "survey_response_delete",
    "survey_response_update",
    "sweep_overdue",
]
