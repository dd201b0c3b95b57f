from datetime import date
from typing import Any

from ninja import Field, Schema

from serviceloop.core.api_support import LocalDateTime


class SummaryIn(Schema):
    period: str = Field(description='"YYYY-H1" (January–June) or "YYYY-H2" (July–December).')


class NarrativeIn(Schema):
    achievements: str | None = None
    shortcomings: str | None = None
    direction: str | None = None


class ApproveIn(Schema):
    comment: str = ""
    send_back: bool = False


class SummaryOut(Schema):
    id: int
    period: str
    period_start: date
    period_end: date
    due_date: date
    due_at: LocalDateTime = Field(description="End of the due day: 30 days after the period.")
    overdue: bool
    status: str
    figures: dict[str, Any]
    figures_at: LocalDateTime
    achievements: str
    shortcomings: str
    direction: str
    submitted_at: LocalDateTime | None
    approved_at: LocalDateTime | None
    approval_comment: str
    return_comment: str
