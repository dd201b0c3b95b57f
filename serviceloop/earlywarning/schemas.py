from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.records.schemas import RetainedOut

from .documents import figures, narrative
from .models import Channel, SurveyKind


class AlertOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    severity: str
    part_number: str
    customer: int | None = Field(None, alias="customer_id")
    cohort: str
    headline: str
    signalling: bool
    created_at: LocalDateTime
    last_signalled_at: LocalDateTime | None
    cleared_at: LocalDateTime | None
    report_due_at: LocalDateTime
    report: int | None = None

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_headline(obj: Any) -> str:
        return narrative.headline(obj)

    @staticmethod
    def resolve_report(obj: Any) -> int | None:
        report = getattr(obj, "report", None) if hasattr(obj, "report") else None
        return report.pk if report is not None else None


class FigureOut(Schema):
    key: str
    label: str
    value: str


class AlertDetailOut(AlertOut):
    evidence: dict[str, Any]
    figures: list[FigureOut] = []
    chart: dict[str, Any]
    statistics: list[str]
    acknowledged_at: LocalDateTime | None
    acknowledged_by: int | None = Field(None, alias="acknowledged_by_id")
    dismissed_at: LocalDateTime | None
    dismiss_reason: str
    closed_at: LocalDateTime | None
    close_note: str
    first_run: int | None = Field(None, alias="first_run_id")
    last_run: int | None = Field(None, alias="last_run_id")

    @staticmethod
    def resolve_statistics(obj: Any) -> list[str]:
        return narrative.statistics_lines(obj)

    @staticmethod
    def resolve_figures(obj: Any) -> list[Any]:
        return figures.all_figures(obj.evidence)


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = Field(min_length=1)


class NotificationOut(Schema):
    id: int
    customer: int = Field(alias="customer_id")
    notified_on: dt.date
    channel: str
    contact: int | None = Field(None, alias="contact_id")
    contact_name: str
    agreed_solution: str
    recorded_by: int | None = Field(None, alias="created_by_id")
    recorded_at: LocalDateTime = Field(alias="created_at")


class NotificationIn(Schema):
    customer: int
    notified_on: dt.date
    channel: Channel
    agreed_solution: str = Field(min_length=1)
    contact: int | None = None
    contact_name: str = ""


class ReportOut(RetainedOut):
    id: int
    number: str
    alert: int = Field(alias="alert_id")
    alert_status: str
    status: str
    title: str
    phenomenon: str
    analysis: str
    causes: str
    actions: str
    scope: str
    language: str
    created_at: LocalDateTime
    created_by: int | None = Field(None, alias="created_by_id")
    issued_at: LocalDateTime | None
    issued_by: int | None = Field(None, alias="issued_by_id")
    notify_due_at: LocalDateTime | None
    notifications: list[NotificationOut] = []
    figures: list[FigureOut] = []

    @staticmethod
    def resolve_figures(obj: Any) -> list[Any]:
        """The report's key figures, from its own evidence (as on its page and PDF)."""
        return figures.key_figures(obj.alert.kind, obj.evidence)

    @staticmethod
    def resolve_alert_status(obj: Any) -> str:
        return str(obj.alert.status)

    @staticmethod
    def resolve_notifications(obj: Any) -> list[Any]:
        return list(obj.notifications.all())


class ReportPatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    phenomenon: str | None = None
    analysis: str | None = None
    causes: str | None = None
    actions: str | None = None
    scope: str | None = None
    reason: str = ""


class RunOut(Schema):
    id: int
    trigger: str
    source: str
    status: str
    requested_by: int | None = Field(None, alias="requested_by_id")
    queued_at: LocalDateTime
    started_at: LocalDateTime | None
    finished_at: LocalDateTime | None
    as_of: dt.date | None
    counts: dict[str, Any]
    errors: list[dict[str, Any]]
    warnings: list[str]


class ProductionIn(Schema):
    part_number: str = Field(min_length=1, max_length=60)
    build_month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    quantity: int = Field(ge=0)
    part_name: str = ""
    notes: str = ""


class ProductionPatch(Schema):
    quantity: int | None = Field(default=None, ge=0)
    part_name: str | None = None
    notes: str | None = None
    reason: str = ""


class BaselineIn(Schema):
    part_number: str = Field(min_length=1, max_length=60)
    mis: int = Field(ge=1, le=12)
    rate_per_unit: float = Field(ge=0, le=1)
    source: str = Field(min_length=1, max_length=300)


class BaselineOut(Schema):
    id: int
    part_number: str
    mis: int
    rate_per_unit: float
    source: str
    updated_at: LocalDateTime


class ProductionOut(Schema):
    id: int
    part_number: str
    part_name: str
    build_month: str
    quantity: int
    notes: str
    updated_at: LocalDateTime


class PurchaseIn(Schema):
    customer: int
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    quantity: int = Field(ge=0)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)


class PurchasePatch(Schema):
    quantity: int | None = Field(default=None, ge=0)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    reason: str = ""


class PurchaseOut(Schema):
    id: int
    customer: int = Field(alias="customer_id")
    month: str
    quantity: int
    amount: Decimal | None
    updated_at: LocalDateTime


class SurveyIn(Schema):
    kind: SurveyKind
    date: dt.date
    score: Decimal = Field(description="On `scale`: 0-100, or 1-5 (converted to 0-100).")
    scale: int = Field(default=100, description="100 or 5")
    customer: int | None = None
    respondent: str = Field(default="", max_length=100)
    comments: str = ""


class SurveyPatch(Schema):
    kind: SurveyKind | None = None
    date: dt.date | None = None
    score: Decimal | None = None
    scale: int | None = None
    customer: int | None = None
    respondent: str | None = Field(default=None, max_length=100)
    comments: str | None = None
    reason: str = ""


class SurveyOut(Schema):
    id: int
    kind: str
    customer: int | None = Field(None, alias="customer_id")
    date: dt.date
    score: Decimal
    raw_score: Decimal
    scale: int
    respondent: str
    comments: str


class PartOut(Schema):
    part_number: str
    name: str | None
    months: int
    units: int
    last_month: str
    open_alerts: int
