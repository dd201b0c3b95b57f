from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from serviceloop.core.api_read import related
from serviceloop.core.api_support import LocalDateTime


class ExternalIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    organisation: str = ""


class TrainingIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    held_on: date
    trainer: str = Field(min_length=1, max_length=100)
    hours: Decimal = Field(gt=0, le=99)
    content: str = ""
    location: str = ""
    attendees: list[int] = Field(default=[], description="User ids.")
    external: list[ExternalIn] = Field(default=[], description="People without a login.")


class AttendeeOut(Schema):
    id: int
    user: int | None = Field(None, alias="user_id")
    name: str
    organisation: str
    attended: bool
    score: int | None
    passed: bool | None
    assessment_note: str


class TrainingOut(Schema):
    id: int
    title: str
    held_on: date
    trainer: str
    hours: Decimal
    content: str
    location: str
    status: str
    held_at: LocalDateTime | None
    attendees: list[AttendeeOut] = []

    @staticmethod
    def resolve_attendees(obj) -> list:
        return related(obj, "attendees", "user")


class TrainingResultIn(Schema):
    id: int = Field(description="Attendee id.")
    attended: bool
    score: int | None = Field(None, ge=0, le=100)
    passed: bool | None = None
    assessment_note: str = ""


class AttendanceIn(Schema):
    attendees: list[TrainingResultIn]


class TrainingCancelIn(Schema):
    reason: str = Field(min_length=1)
