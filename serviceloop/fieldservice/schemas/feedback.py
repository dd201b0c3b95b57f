"""API shapes of weekly feedback and information feedback forms."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from serviceloop.core.api_read import related
from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import DepartmentRowOut
from serviceloop.records.schemas import RetainedOut

from ..models import InfoCategory
from .records import RecordOut

# ---------------------------------------------------------------- feedback


class SubmitIn(Schema):
    week_start: date
    summary: str = ""


class FeedbackOut(Schema):
    id: int
    engineer: int = Field(alias="engineer_id")
    week_start: date
    week: str = Field(alias="label")
    due_at: LocalDateTime
    status: str
    summary: str
    record_count: int
    submitted_at: LocalDateTime | None
    late: bool
    missing: bool
    reviewed_at: LocalDateTime | None
    review_note: str
    overdue_flagged_at: LocalDateTime | None


class WeekOut(Schema):
    engineer: int
    week_start: date
    week: str
    due_at: LocalDateTime
    feedback: FeedbackOut | None
    records: list[RecordOut]


class CellOut(Schema):
    week_start: date
    week: str
    state: str
    records: int
    feedback: int | None


class ComplianceOut(Schema):
    engineer: int
    engineer_name: str
    missing: int
    late: int
    late_entries: int = 0
    weeks: list[CellOut]


class InfoFormIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    category: InfoCategory
    period_from: date
    period_to: date
    summary: str = Field(min_length=1)
    requested_action: str = ""
    records: list[int] = []
    major_problem: bool = False


class InfoFormPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    category: InfoCategory | None = None
    period_from: date | None = None
    period_to: date | None = None
    summary: str | None = Field(None, min_length=1)
    requested_action: str | None = None
    records: list[int] | None = None


class IssueInfoIn(Schema):
    departments: list[int] = Field(min_length=1)


class AckIn(Schema):
    response: str = ""


class InfoRoutingOut(DepartmentRowOut):
    acknowledged_at: LocalDateTime | None
    acknowledged_by: int | None = Field(None, alias="acknowledged_by_id")
    response: str


class InfoFormOut(RetainedOut):
    id: int
    number: str
    title: str
    category: str
    period_from: date
    period_to: date
    summary: str
    requested_action: str
    status: str
    major_problem: bool
    issued_at: LocalDateTime | None
    acknowledged_at: LocalDateTime | None
    records: list[int]
    routings: list[InfoRoutingOut]

    @staticmethod
    def resolve_records(obj) -> list[int]:
        return sorted(r.pk for r in obj.records.all())

    @staticmethod
    def resolve_routings(obj) -> list:
        return related(obj, "routings", "department")
