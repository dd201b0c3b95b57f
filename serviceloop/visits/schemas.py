from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import AwareDatetime, Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import CustomerNameOut, DepartmentCodeOut
from serviceloop.records.schemas import RetainedOut


class VisitRecordIn(Schema):
    customer: int
    visited_at: AwareDatetime
    summary: str = Field(min_length=1)
    opinions: str = ""
    product_quality: str = ""
    service_quality: str = ""
    satisfaction: int = Field(ge=1, le=5)
    problems: str = ""
    visitors: str = ""
    customer_people: str = ""
    plan_item: int | None = None


class CopyOut(DepartmentCodeOut):
    distributed_at: LocalDateTime
    read_at: LocalDateTime | None
    read_by: int | None = Field(None, alias="read_by_id")


class VisitActionOut(Schema):
    id: int
    record: int = Field(alias="record_id")
    description: str
    owner: int = Field(alias="owner_id")
    department: str
    due_date: date
    status: str
    overdue: bool
    closed_at: LocalDateTime | None
    closure_note: str
    verified_at: LocalDateTime | None
    verification_note: str

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code


class VisitRecordOut(RetainedOut):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    plan_item: int | None = Field(None, alias="plan_item_id")
    visited_at: LocalDateTime
    visitors: str
    customer_people: str
    summary: str
    opinions: str
    product_quality: str
    service_quality: str
    satisfaction: int
    problems: str
    status: str
    reviewed_at: LocalDateTime | None
    review_note: str
    copies: list[CopyOut] = []
    communications: list[str] = []
    actions: list[VisitActionOut] = []

    @staticmethod
    def resolve_copies(obj) -> list:
        return list(obj.copies.select_related("department"))

    @staticmethod
    def resolve_communications(obj) -> list[str]:
        return [c.number for c in obj.communications.all()]

    @staticmethod
    def resolve_actions(obj) -> list:
        return list(obj.actions.select_related("department"))


class VisitNoteIn(Schema):
    note: str = ""


class DistributeIn(Schema):
    departments: list[str] = Field(min_length=1, description="Department codes.")


class RaiseIn(Schema):
    subject: str = Field(min_length=1, max_length=200)
    body: str = ""


class VisitActionIn(Schema):
    description: str = Field(min_length=1)
    owner: int
    department: str = Field(description="Department code.")
    due_date: date


class VisitCloseIn(Schema):
    note: str = Field(min_length=1)


class VisitVerifyIn(Schema):
    effective: bool
    note: str = ""


class PlanItemIn(Schema):
    customer: int
    planned_month: int = Field(ge=1, le=12)
    purpose: str = ""
    visitors: str = ""


class PlanItemOut(CustomerNameOut):
    id: int
    customer: int = Field(alias="customer_id")
    customer_name: str
    planned_month: int
    purpose: str
    visitors: str
    visits: list[int] = []

    @staticmethod
    def resolve_visits(obj) -> list[int]:
        return [v.pk for v in obj.visits.all()]


class VisitPlanIn(Schema):
    year: int
    items: list[PlanItemIn] | None = Field(
        None, description="Omit to have the items proposed from the customer archive."
    )
    note: str = ""


class ItemsIn(Schema):
    items: list[PlanItemIn]


class ReviewIn(Schema):
    comment: str = ""
    send_back: bool = False


class VisitPlanOut(Schema):
    id: int
    year: int
    status: str
    approval_due: date
    overdue: bool
    note: str
    submitted_at: LocalDateTime | None
    reviewed_at: LocalDateTime | None
    review_comment: str
    approved_at: LocalDateTime | None
    approval_comment: str
    items: list[PlanItemOut] = []

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.select_related("customer").prefetch_related("visits"))


class ProgressRowOut(Schema):
    customer: int
    customer_name: str
    planned: int
    planned_done: int
    visits: int
    unplanned: int
    months: list[dict]


class VisitProgressOut(Schema):
    year: int
    planned: int
    planned_done: int
    visits: int
    unplanned: int
    completion_rate: float | None
    rows: list[ProgressRowOut]
