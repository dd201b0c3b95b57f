"""API shapes of placements and escalations."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import AwareDatetime, Field

from serviceloop.core.api_read import related
from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import CustomerNameOut

from ..models import (
    AssignmentKind,
)


class Reason(Schema):
    reason: str = Field(min_length=1)


class OptionalNote(Schema):
    note: str = ""


# ---------------------------------------------------------------- assignments


class AssignmentIn(Schema):
    kind: AssignmentKind
    engineer: int
    customer: int
    start_date: date
    end_date: date | None = None
    site: str = ""
    address: str = ""
    exception_reason: str = ""
    notes: str = ""


class AssignmentPatch(Schema):
    site: str | None = None
    address: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    exception_reason: str | None = None
    notes: str | None = None
    reason: str = ""


class AssignmentEndIn(Schema):
    end_date: date
    reason: str = Field(min_length=1)


class AssignmentOut(CustomerNameOut):
    id: int
    kind: str
    engineer: int = Field(alias="engineer_id")
    engineer_name: str
    customer: int = Field(alias="customer_id")
    customer_name: str
    customer_tier: str
    site: str
    address: str
    start_date: date
    end_date: date | None
    state: str
    exception_reason: str
    end_reason: str
    notes: str

    @staticmethod
    def resolve_engineer_name(obj) -> str:
        return str(obj.engineer)

    @staticmethod
    def resolve_customer_tier(obj) -> str:
        return obj.customer.tier


class CustomerRef(Schema):
    id: int
    code: str
    name: str
    tier: str


class WhoIsWhereOut(Schema):
    day: date
    resident: list[AssignmentOut]
    named: list[AssignmentOut]
    planned: list[AssignmentOut]
    tier1_without_resident: list[CustomerRef]
    key_retail_without_named: list[CustomerRef]


# ---------------------------------------------------------------- escalations


class EscalationIn(Schema):
    customer: int
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    service_record: int | None = None
    raised_at: AwareDatetime | None = None


class CoordinateIn(Schema):
    departments: list[int] = Field(min_length=1)
    due_date: date | None = None
    note: str = ""


class DueIn(Schema):
    due_date: date
    reason: str = Field(min_length=1)


class SolutionIn(Schema):
    solution: str = Field(min_length=1)


class ResultIn(Schema):
    result: str = Field(min_length=1)


class EscalationNoteIn(Schema):
    text: str = Field(min_length=1)


class NoteOut(Schema):
    id: int
    author: int = Field(alias="author_id")
    author_name: str
    at: LocalDateTime
    text: str
    event: str

    @staticmethod
    def resolve_author_name(obj) -> str:
        return str(obj.author)


class EscalationOut(Schema):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    title: str
    description: str
    service_record: int | None = Field(None, alias="service_record_id")
    raised_by: int = Field(alias="raised_by_id")
    raised_at: LocalDateTime
    status: str
    due_date: date
    due_at: LocalDateTime
    overdue: bool
    coordinator: int | None = Field(None, alias="coordinator_id")
    departments: list[int]
    solution: str
    solution_agreed_at: LocalDateTime | None
    result: str
    done_at: LocalDateTime | None
    notes: list[NoteOut]

    @staticmethod
    def resolve_departments(obj) -> list[int]:
        return sorted(d.pk for d in obj.departments.all())

    @staticmethod
    def resolve_notes(obj) -> list:
        return related(obj, "notes", "author")
