"""API inputs of the 8D workflow and of the letter forms (see schemas.py for the outputs)."""

from __future__ import annotations

from ninja import Schema
from pydantic import AwareDatetime, Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import CustomerNameOut

from ..models import (
    CODES,
    ActionKind,
    CauseCategory,
    CauseKind,
    Location,
    NegotiationOutcome,
    Responsibility,
    SendMethod,
    TeamRole,
)

# --- inputs for the 8D workflow ---------------------------------------------------------


class EightDPatch(Schema):
    leader: int


class DisciplineIn(Schema):
    summary: str | None = None
    owner: int | None = None
    due_at: AwareDatetime | None = None
    problem_statement: str | None = None
    d2_what: str | None = None
    d2_why: str | None = None
    d2_where: str | None = None
    d2_when: str | None = None
    d2_who: str | None = None
    d2_how: str | None = None
    d2_how_many: str | None = None
    reason: str = ""


class EightDReasonIn(Schema):
    reason: str = ""


class TeamIn(Schema):
    user: int
    role: TeamRole = TeamRole.MEMBER
    responsibility: str = ""


class ContainmentIn(Schema):
    location: Location
    action: str = ""
    owner: int | None = None
    department: int | None = None
    due_at: AwareDatetime | None = None
    quantity_checked: int = 0
    quantity_found: int = 0
    quantity_isolated: int = 0
    quantity_tagged: int = 0
    quantity_reworked: int = 0


class ContainmentPatch(Schema):
    location: Location | None = None
    action: str | None = None
    owner: int | None = None
    department: int | None = None
    due_at: AwareDatetime | None = None
    quantity_checked: int | None = None
    quantity_found: int | None = None
    quantity_isolated: int | None = None
    quantity_tagged: int | None = None
    quantity_reworked: int | None = None
    result: str | None = None
    reason: str = ""


class ContainmentDoneIn(Schema):
    result: str = ""
    at: AwareDatetime | None = None
    reason: str = ""  # needed when `at` is more than 15 minutes back (a late entry)
    quantity_checked: int | None = None
    quantity_found: int | None = None
    quantity_isolated: int | None = None
    quantity_tagged: int | None = None
    quantity_reworked: int | None = None


class ReinspectIn(Schema):
    passed: bool
    note: str = ""


class CauseIn(Schema):
    kind: CauseKind
    category: CauseCategory
    description: str = ""
    why_analysis: str = ""
    responsibility: Responsibility = Responsibility.COMPANY
    department: int | None = None
    work_station: str = ""
    operator: str = ""
    inspector: str = ""
    process_card_ref: str = ""
    production_report_ref: str = ""
    inspection_record_ref: str = ""
    verified: bool = False


class CausePatch(Schema):
    kind: CauseKind | None = None
    category: CauseCategory | None = None
    description: str | None = None
    why_analysis: str | None = None
    responsibility: Responsibility | None = None
    department: int | None = None
    work_station: str | None = None
    operator: str | None = None
    inspector: str | None = None
    process_card_ref: str | None = None
    production_report_ref: str | None = None
    inspection_record_ref: str | None = None
    verified: bool | None = None
    reason: str = ""


class ActionIn(Schema):
    discipline: str = Field(description=f"one of {', '.join(CODES[:-1])}")
    kind: ActionKind
    description: str = ""
    owner: int | None = None
    department: int | None = None
    due_at: AwareDatetime
    root_cause: int | None = None
    document_ref: str = ""
    trainees: str = ""
    needs_verification: bool | None = None


class ActionPatch(Schema):
    description: str | None = None
    owner: int | None = None
    department: int | None = None
    due_at: AwareDatetime | None = None
    root_cause: int | None = None
    document_ref: str | None = None
    trainees: str | None = None
    needs_verification: bool | None = None
    reason: str = ""


class CompleteIn(Schema):
    result: str = ""
    at: AwareDatetime | None = None
    reason: str = ""  # needed when `at` is more than 15 minutes back (a late entry)
    document_ref: str | None = None
    trainees: str | None = None


class VerifyIn(Schema):
    effective: bool
    note: str = ""


class CancelIn(Schema):
    reason: str = ""


class NegotiationIn(Schema):
    outcome: NegotiationOutcome
    text: str = ""


class CloseIn(Schema):
    summary: str = ""
    at: AwareDatetime | None = Field(None, description="when it was closed (default: now)")


class ReplyIn(Schema):
    title: str | None = None
    subject: str | None = None
    body: str | None = None
    attach_8d: bool | None = None
    regenerate: bool = False


class SendIn(Schema):
    sent_to: str = ""
    method: SendMethod
    at: AwareDatetime | None = None


class AcknowledgeIn(Schema):
    note: str = ""


class TemplateIn(Schema):
    customer: int
    title: str = ""
    subject: str = ""
    body: str = ""
    attach_8d: bool = False
    notes: str = ""


class TemplateOut(CustomerNameOut):
    id: int
    customer: int = Field(alias="customer_id")
    customer_name: str
    title: str
    subject: str
    body: str
    attach_8d: bool
    notes: str
    updated_at: LocalDateTime
