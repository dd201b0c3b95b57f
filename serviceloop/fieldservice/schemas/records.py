"""API shapes of service records, decisions and imports."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.records.schemas import RetainedOut

from ..models import (
    FailureMode,
    Handling,
    Outcome,
)

# ---------------------------------------------------------------- service records


class RecordIn(Schema):
    customer: int
    part: int | None = None
    part_number: str | None = Field(None, description="Alternative to `part` (id).")
    service_date: date
    defect: str = Field(min_length=1)
    failure_mode: FailureMode
    outcome: Outcome
    engineer: int | None = None
    oem: str = ""
    vehicle: str = ""
    mileage_km: int | None = Field(None, ge=0)
    quantity: int = Field(1, gt=0)
    outcome_note: str = ""
    major_problem: bool = False


class RecordPatch(Schema):
    customer: int | None = None
    part: int | None = None
    service_date: date | None = None
    defect: str | None = Field(None, min_length=1)
    failure_mode: FailureMode | None = None
    outcome: Outcome | None = None
    oem: str | None = None
    vehicle: str | None = None
    mileage_km: int | None = Field(None, ge=0)
    quantity: int | None = Field(None, gt=0)
    outcome_note: str | None = None
    reason: str = ""


class RecordFlagIn(Schema):
    reason: str = ""


class HandlingIn(Schema):
    confirmed_our_problem: bool
    repairable: bool
    handling: Handling
    quantity: int | None = Field(None, gt=0)
    notes: str = ""
    major: bool = False


class HandlingOut(Schema):
    id: int
    record: int = Field(alias="record_id")
    confirmed_our_problem: bool
    repairable: bool
    handling: str
    quantity: int
    notes: str
    decided_by: int = Field(alias="decided_by_id")
    decided_at: LocalDateTime


class PartsUsedIn(Schema):
    part: int
    quantity: int = Field(gt=0)
    note: str = ""


class RecordOut(RetainedOut):
    id: int
    number: str
    engineer: int = Field(alias="engineer_id")
    customer: int = Field(alias="customer_id")
    service_date: date
    week_start: date
    oem: str
    part: int = Field(alias="part_id")
    part_number: str
    vehicle: str
    mileage_km: int | None
    quantity: int
    defect: str
    failure_mode: str
    outcome: str
    outcome_note: str
    major_problem: bool
    major_flagged_at: LocalDateTime | None
    source: str
    weekly_feedback: int | None = Field(None, alias="weekly_feedback_id")
    handling: HandlingOut | None
    created_at: LocalDateTime

    @staticmethod
    def resolve_part_number(obj) -> str:
        return obj.part.part_number

    @staticmethod
    def resolve_handling(obj):
        return getattr(obj, "handling", None)


class DefaultsOut(Schema):
    customer: int | None = None
    oem: str = ""
    part: int | None = None
