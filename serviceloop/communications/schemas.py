from __future__ import annotations

from ninja import Schema
from pydantic import AwareDatetime, Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import DepartmentRowOut
from serviceloop.records.schemas import RetainedOut

from .models import Channel


class CommunicationIn(Schema):
    customer: int
    channel: Channel
    received_at: AwareDatetime
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1)
    major_quality_issue: bool = False
    contact: int | None = Field(None, description="A contact of the customer (customer archive).")
    contact_name: str = Field("", description="A contact not in the archive, as text.")
    add_contact: bool = Field(False, description="Add `contact_name` to the customer archive.")
    owner: int | None = None
    route_to: list[int] = Field(default=[], description="Department ids to route to.")
    instruction: str = ""


class CommunicationPatch(Schema):
    subject: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1)
    channel: Channel | None = None
    received_at: AwareDatetime | None = None
    contact: int | None = None
    contact_name: str | None = None
    owner: int | None = None
    reason: str = ""


class TextIn(Schema):
    text: str = Field(min_length=1)
    at: AwareDatetime | None = None
    reason: str = ""  # needed when `at` is more than 15 minutes back (a late entry)


class ExtendIn(Schema):
    new_due: AwareDatetime
    reason: str = Field(min_length=1)


class RouteIn(Schema):
    departments: list[int] = Field(min_length=1)
    instruction: str = ""
    due_at: AwareDatetime | None = None  # default: the communication's feedback deadline


class FlagIn(Schema):
    reason: str = ""
    # What the 8D starts from; when left out, taken from the communication's text.
    part_number: str | None = None
    part_name: str = ""
    lot: str | None = None
    quantity: int | None = None
    description: str = ""


class RoutingOut(DepartmentRowOut):
    instruction: str
    routed_at: LocalDateTime
    due_at: LocalDateTime | None
    response: str
    responded_at: LocalDateTime | None


class CommunicationOut(RetainedOut):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    channel: str
    received_at: LocalDateTime
    subject: str
    body: str
    contact: int | None = Field(None, alias="contact_id")
    contact_name: str
    taken_by: int = Field(alias="taken_by_id")
    owner: int = Field(alias="owner_id")
    status: str
    major_quality_issue: bool
    answer_due_at: LocalDateTime
    answered_at: LocalDateTime | None
    answer_text: str
    feedback_due_at: LocalDateTime
    feedback_due_original_at: LocalDateTime
    feedback_extended_at: LocalDateTime | None
    feedback_extension_reason: str
    feedback_at: LocalDateTime | None
    feedback_text: str
    answered_entered_at: LocalDateTime | None
    answered_late_reason: str
    feedback_entered_at: LocalDateTime | None
    feedback_late_reason: str
    overdue: bool
    answered_late: bool
    feedback_late: bool
    routings: list[RoutingOut] = []

    @staticmethod
    def resolve_routings(obj) -> list:
        return list(obj.routings.all())
