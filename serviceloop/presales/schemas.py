"""API schemas of pre-sale service and orders (interface.md)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from ninja import Schema
from pydantic import AwareDatetime, Field

from serviceloop.core.api_read import related
from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import DepartmentCodeOut, DepartmentRowOut, StoredFileOut

from .models import MilestoneCode, SpecialKind, Verdict


class RequirementIn(Schema):
    customer: int
    received_at: AwareDatetime
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    evaluators: list[str] | None = Field(
        default=None, description="Department codes; default rnd, production_quality, purchasing."
    )
    contact: int | None = None
    due_days: int | None = Field(default=None, description="Working days to evaluate (default 3).")


class EvaluationIn(Schema):
    department: str = Field(description="Department code.")
    verdict: Verdict
    note: str = ""
    conditions: str = ""
    cost_impact: str = ""
    lead_time_impact: str = ""


class ConcludeIn(Schema):
    outcome: str
    order: int | None = None
    contract_reference: str = ""
    improvement_reference: str = ""


class EvaluationOut(DepartmentCodeOut):
    due_at: LocalDateTime
    verdict: str
    note: str
    conditions: str
    cost_impact: str
    lead_time_impact: str
    evaluated_at: LocalDateTime | None
    late: bool

    @staticmethod
    def resolve_late(obj) -> bool:
        return obj.is_late()


class RequirementAttachmentOut(StoredFileOut):
    department: str | None = Field(
        None, description="Code of the department whose evaluation it belongs to; null = Sales."
    )
    uploaded_at: LocalDateTime
    uploaded_by: int = Field(alias="uploaded_by_id")
    url: str

    @staticmethod
    def resolve_department(obj) -> str | None:
        return obj.evaluation.department.code if obj.evaluation_id else None

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse(
            "api:presales_requirement_attachment",
            kwargs={"req_id": obj.requirement_id, "attachment_id": obj.pk},
        )


class RequirementOut(Schema):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    contact: int | None = Field(None, alias="contact_id")
    received_at: LocalDateTime
    subject: str
    description: str
    owner: int = Field(alias="owner_id")
    status: str
    evaluation_due_at: LocalDateTime
    evaluations: list[EvaluationOut]
    late: bool
    outcome: str
    concluded_at: LocalDateTime | None
    order: int | None = Field(None, alias="order_id")
    contract_reference: str
    improvement_reference: str

    @staticmethod
    def resolve_evaluations(obj) -> list:
        return list(obj.evaluations.all())


class SampleIn(Schema):
    customer: int
    part_number: str = Field(min_length=1, max_length=60)
    part_name: str = ""
    quantity: int
    drawing_revision: str = ""
    needed_by: date
    purpose: str = Field(min_length=1)
    approvers: list[str] | None = Field(
        default=None, description="Department codes; default technical, production_quality."
    )


class DepartmentIn(Schema):
    department: str


class RejectIn(Schema):
    department: str
    reason: str


class ScheduleIn(Schema):
    planned_date: date


class MadeIn(Schema):
    lot: str
    inspection_result: str
    at: AwareDatetime | None = None


class DeliverIn(Schema):
    delivered_at: AwareDatetime
    shipping_note: str = ""


class ConfirmIn(Schema):
    accepted: bool
    note: str = ""
    open_requirement: bool = False
    open_complaint: bool = False


class ApprovalOut(Schema):
    department: str
    approved: bool | None
    reason: str
    decided_at: LocalDateTime | None

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code


class SampleOut(Schema):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    part_number: str
    part_name: str
    quantity: int
    drawing_revision: str
    needed_by: date
    purpose: str
    status: str
    step_due_at: LocalDateTime | None
    overdue: bool
    approvals: list[ApprovalOut]
    planned_date: date | None
    lot: str
    inspection_result: str
    delivered_at: LocalDateTime | None
    shipping_note: str
    customer_note: str
    follow_up_requirement: int | None = Field(None, alias="follow_up_requirement_id")
    follow_up_complaint: int | None = Field(None, alias="follow_up_complaint_id")

    @staticmethod
    def resolve_approvals(obj) -> list:
        return related(obj, "approvals", "department")


class SpecialIn(Schema):
    customer: int
    kind: SpecialKind
    description: str = Field(min_length=1)


class DecideIn(Schema):
    feasible: bool
    note: str = ""


class FulfilIn(Schema):
    note: str
    valid_from: date | None = None
    valid_to: date | None = None


class PresalesTextIn(Schema):
    text: str


class SpecialOut(Schema):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    kind: str
    description: str
    department: str
    status: str
    step_due_at: LocalDateTime | None
    overdue: bool
    decided_at: LocalDateTime | None
    decision_note: str
    fulfilled_at: LocalDateTime | None
    fulfil_note: str
    valid_from: date | None
    valid_to: date | None
    explanation: str

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code


class OrderLineIn(Schema):
    part_number: str = Field(min_length=1, max_length=60)
    description: str = Field("", max_length=100)
    quantity: int
    due_date: date | None = Field(None, description="Default: the order's promised date.")


class OrderIn(Schema):
    customer: int
    order_number: str = Field(min_length=1, max_length=60)
    part_number: str | None = Field(
        None, max_length=60, description="A single-part order (instead of `lines`)."
    )
    part_name: str = ""
    quantity: int | None = Field(None, description="A single-part order (instead of `lines`).")
    lines: list[OrderLineIn] | None = Field(
        None, description="The order's part lines (several parts); each has its own due date."
    )
    promised_date: date
    ordered_on: date | None = None
    milestones: dict[MilestoneCode, date | None] | None = Field(
        default=None, description="Planned dates by milestone code."
    )


class ProgressIn(Schema):
    milestone: MilestoneCode | None = None
    line: int | None = Field(
        None, description="Id of the order line it concerns (`delivered` delivers that line)."
    )
    at: AwareDatetime
    note: str = ""
    customer_told: bool = False


class MilestoneOut(Schema):
    code: str
    planned_date: date | None
    actual_at: LocalDateTime | None
    late: bool

    @staticmethod
    def resolve_late(obj) -> bool:
        return obj.is_late()


class PresalesProgressOut(Schema):
    id: int
    line: int | None = Field(None, alias="line_id")
    milestone: str
    at: LocalDateTime
    note: str
    customer_told: bool


class OrderLineOut(Schema):
    id: int
    position: int
    part_number: str
    description: str
    quantity: int
    due_date: date
    delivered_at: LocalDateTime | None
    late: bool

    @staticmethod
    def resolve_late(obj) -> bool:
        return obj.is_late()


class OrderRoutingIn(Schema):
    departments: list[int]
    instruction: str
    due_date: date | None = None
    line: int | None = None


class OrderAcknowledgeIn(Schema):
    note: str = ""


class OrderRoutingOut(DepartmentRowOut):
    line: int | None = Field(None, alias="line_id")
    instruction: str
    due_date: date
    routed_at: LocalDateTime
    routed_by: int = Field(alias="routed_by_id")
    state: str
    late: bool
    # core.routing's answer, under the names orders have always given it
    acknowledged_at: LocalDateTime | None = Field(None, alias="responded_at")
    acknowledged_by: int | None = Field(None, alias="responded_by_id")
    note: str = Field(alias="response")


class OrderOut(Schema):
    id: int
    order_number: str
    customer: int = Field(alias="customer_id")
    lines: list[OrderLineOut]
    ordered_on: date | None
    promised_date: date
    status: str
    late: bool
    milestones: list[MilestoneOut]
    updates: list[PresalesProgressOut]
    routings: list[OrderRoutingOut]

    @staticmethod
    def resolve_routings(obj) -> list:
        return list(obj.routings.all())

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_updates(obj) -> list:
        return list(obj.updates.all())


class PresalesResultIn(Schema):
    communication: int | None = None
    requirement: int | None = None
    subject: str = ""
    body: str = ""
    improvement_reference: str = ""
    sent: bool = False


class ResultOut(Schema):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    communication: int | None = Field(None, alias="communication_id")
    requirement: int | None = Field(None, alias="requirement_id")
    subject: str
    body: str
    improvement_reference: str
    sent_at: LocalDateTime | None
