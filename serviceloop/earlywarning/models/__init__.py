"""Models of the product early-warning system (R-5.4): the input data the signals need
(production, purchase volumes, survey responses and their imports), analysis runs, alerts,
failure-analysis reports and the customer notifications that follow them."""

from .alerts import (
    ALERT_TRANSITIONS,
    REPORT_TRANSITIONS,
    Alert,
    AlertKind,
    AlertStatus,
    Channel,
    CustomerNotification,
    FailureAnalysisReport,
    ReportStatus,
    Severity,
)
from .baselines import ClaimBaseline
from .dashboards import PartDashboard
from .data import (
    ProductionVolume,
    PurchaseVolume,
    SurveyKind,
    SurveyResponse,
    validate_month,
)
from .runs import RUN_TRANSITIONS, AnalysisRun, EngineState, RunStatus, Trigger

__all__ = [
    "ALERT_TRANSITIONS",
    "REPORT_TRANSITIONS",
    "RUN_TRANSITIONS",
    "Alert",
    "AlertKind",
    "AlertStatus",
    "AnalysisRun",
    "Channel",
    "ClaimBaseline",
    "CustomerNotification",
    "EngineState",
    "FailureAnalysisReport",
    "PartDashboard",
    "ProductionVolume",
    "PurchaseVolume",
    "ReportStatus",
    "RunStatus",
    "Severity",
    "SurveyKind",
    "SurveyResponse",
    "Trigger",
    "validate_month",
]
