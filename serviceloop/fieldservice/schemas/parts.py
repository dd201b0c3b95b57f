"""API shapes of parts, requests, the ledger, tags and return forms."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from serviceloop.core.api_read import related
from serviceloop.core.api_support import LocalDateTime
from serviceloop.records.schemas import RetainedOut

from ..models import (
    Disposition,
    RequestKind,
)

# ---------------------------------------------------------------- parts


class PartIn(Schema):
    part_number: str = Field(min_length=1, max_length=60)
    name: str = Field(min_length=1, max_length=200)
    is_assembly: bool = False
    unit: str = "件"
    is_active: bool = True


class PartPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    is_assembly: bool | None = None
    unit: str | None = None
    is_active: bool | None = None


class SparePartOut(Schema):
    id: int
    part_number: str
    name: str
    is_assembly: bool
    unit: str
    is_active: bool


class LineIn(Schema):
    part: int
    quantity: int = Field(gt=0)


class RequestIn(Schema):
    kind: RequestKind
    customer: int
    lines: list[LineIn] = Field(min_length=1)
    holder: int | None = None
    reason: str = ""
    weeks: int = Field(8, ge=1, le=52)
    needed_by: date | None = None


class IssueLineIn(Schema):
    line: int
    quantity: int = Field(ge=0)


class IssueIn(Schema):
    lines: list[IssueLineIn] = []
    note: str = ""


class RequestLineOut(Schema):
    id: int
    part: int = Field(alias="part_id")
    part_number: str
    quantity: int
    failures_seen: int | None
    suggested: int | None
    issued_quantity: int | None

    @staticmethod
    def resolve_part_number(obj) -> str:
        return obj.part.part_number


class RequestOut(Schema):
    id: int
    number: str
    kind: str
    urgent: bool
    status: str
    customer: int = Field(alias="customer_id")
    requested_by: int = Field(alias="requested_by_id")
    requested_at: LocalDateTime
    holder: int = Field(alias="holder_id")
    reason: str
    weeks_basis: int
    needed_by: date | None
    decided_by: int | None = Field(None, alias="decided_by_id")
    decided_at: LocalDateTime | None
    decision_note: str
    issued_at: LocalDateTime | None
    closed_at: LocalDateTime | None
    lines: list[RequestLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return related(obj, "lines", "part")


class FrequencyOut(Schema):
    part: int
    part_number: str
    records: int
    failed_units: int
    per_week: list[int]
    balance: int
    suggested: int


class BalanceOut(Schema):
    holder: int
    holder_name: str
    part: int
    part_number: str
    issued: int
    used: int
    returned: int
    balance: int


class MovementOut(Schema):
    id: int
    holder: int = Field(alias="holder_id")
    part: int = Field(alias="part_id")
    kind: str
    quantity: int
    signed_quantity: int
    at: LocalDateTime
    service_record: int | None = Field(None, alias="service_record_id")
    note: str


class PartsReturnIn(Schema):
    holder: int
    part: int
    quantity: int = Field(gt=0)
    note: str = ""


class TagIn(Schema):
    customer: int
    part: int
    quantity: int = Field(gt=0)
    location: str = Field(min_length=1)
    found_on: date
    nonconformity: str = Field(min_length=1)
    disposition: Disposition
    lot: str = ""
    parts_request: int | None = None


class TagPatch(Schema):
    lot: str | None = None
    quantity: int | None = Field(None, gt=0)
    location: str | None = Field(None, min_length=1)
    nonconformity: str | None = Field(None, min_length=1)
    disposition: Disposition | None = None
    reason: str = ""


class ResolveIn(Schema):
    resolution: str = Field(min_length=1)


class TagOut(Schema):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    part: int = Field(alias="part_id")
    lot: str
    quantity: int
    location: str
    found_on: date
    nonconformity: str
    disposition: str
    parts_request: int | None = Field(None, alias="parts_request_id")
    status: str
    resolution: str
    resolved_at: LocalDateTime | None


# ---------------------------------------------------------------- return forms


class ReturnLineIn(Schema):
    part: int
    quantity: int = Field(gt=0)
    lot: str = ""
    fault: str = ""


class ReturnIn(Schema):
    customer: int
    return_date: date
    reason: str = Field(min_length=1)
    lines: list[ReturnLineIn] = Field(min_length=1)
    customer_signatory: str = ""
    service_record: int | None = None
    engineer: int | None = None


class ReturnPatch(Schema):
    return_date: date | None = None
    reason: str | None = Field(None, min_length=1)
    customer_signatory: str | None = None
    lines: list[ReturnLineIn] | None = None


class CountIn(Schema):
    line: int
    counted: int


class CheckIn(Schema):
    lines: list[CountIn]
    signatures_ok: bool


class CorrectLineIn(Schema):
    line: int
    quantity: int = Field(ge=0)


class CorrectIn(Schema):
    note: str = Field(min_length=1)
    lines: list[CorrectLineIn] = []
    customer_signatory: str | None = None


class ReturnLineOut(Schema):
    id: int
    part: int = Field(alias="part_id")
    part_number: str
    lot: str
    quantity: int
    counted_quantity: int | None
    fault: str

    @staticmethod
    def resolve_part_number(obj) -> str:
        return obj.part.part_number


class ReturnOut(RetainedOut):
    id: int
    number: str
    customer: int = Field(alias="customer_id")
    engineer: int = Field(alias="engineer_id")
    service_record: int | None = Field(None, alias="service_record_id")
    return_date: date
    reason: str
    customer_signatory: str
    status: str
    signed_by: int | None = Field(None, alias="signed_by_id")
    signed_at: LocalDateTime | None
    checked_by: int | None = Field(None, alias="checked_by_id")
    checked_at: LocalDateTime | None
    signatures_ok: bool | None
    discrepancy: str
    received_at: LocalDateTime | None
    correction_note: str
    lines: list[ReturnLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return related(obj, "lines", "part")
