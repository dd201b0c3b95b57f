from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from ninja import Schema
from pydantic import Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.core.schemas import CustomerNameOut, StoredFileOut
from serviceloop.records.schemas import RetainedOut

from .models import Decision, Remedy

ERRORS_SHOWN = 100


class ClaimDetailsIn(Schema):
    reported_on: date | None = None
    part_number: str = Field("", max_length=60)
    part_name: str = Field("", max_length=100)
    serial_number: str = Field("", max_length=60)
    lot: str = Field("", max_length=60)
    build_month: str = Field("", max_length=7, description="Production month, YYYY-MM.")
    oem: str = Field("", max_length=200, description="OEM (配套厂家), as text.")
    vin: str = Field("", max_length=30)
    vehicle_model: str = Field("", max_length=100)
    failure_mode: str = Field("", max_length=200)
    description: str = ""
    replacement_serial: str = Field("", max_length=60)
    cost_parts: Decimal = Decimal("0")
    cost_labour: Decimal = Decimal("0")
    cost_travel: Decimal = Decimal("0")


class ClaimIn(ClaimDetailsIn):
    customer: int
    purchase_date: date | None = None
    failure_date: date | None = Field(None, description="Required; null is refused with 422.")
    mileage_km: float | None = None
    findings: list[str] = Field(default=[], description="Finding codes (warranty-rules.md).")
    repairable: bool | None = None


class ClaimPatch(Schema):
    customer: int | None = None
    purchase_date: date | None = None
    failure_date: date | None = None
    mileage_km: float | None = None
    findings: list[str] | None = None
    repairable: bool | None = None
    reported_on: date | None = None
    part_number: str | None = Field(None, max_length=60)
    part_name: str | None = Field(None, max_length=100)
    serial_number: str | None = Field(None, max_length=60)
    lot: str | None = Field(None, max_length=60)
    build_month: str | None = Field(None, max_length=7)
    oem: str | None = Field(None, max_length=200)
    vin: str | None = Field(None, max_length=30)
    vehicle_model: str | None = Field(None, max_length=100)
    failure_mode: str | None = Field(None, max_length=200)
    description: str | None = None
    replacement_serial: str | None = Field(None, max_length=60)
    cost_parts: Decimal | None = None
    cost_labour: Decimal | None = None
    cost_travel: Decimal | None = None
    reason: str = ""


class OverrideIn(Schema):
    decision: Decision | None = None
    remedy: Remedy | None = None
    reason: str = Field(min_length=1)


class ClaimNoteIn(Schema):
    note: str = ""


class ClaimReasonIn(Schema):
    reason: str = Field(min_length=1)


class SettleIn(Schema):
    note: str = ""
    replacement_serial: str | None = Field(None, max_length=60)
    cost_parts: Decimal | None = None
    cost_labour: Decimal | None = None
    cost_travel: Decimal | None = None


def _none_if_blank(value: str) -> str | None:
    return value or None


class ClaimOut(RetainedOut, CustomerNameOut):
    id: int
    number: str
    status: str
    customer: int = Field(alias="customer_id")
    customer_code: str
    customer_name: str
    reported_on: date
    purchase_date: date | None
    failure_date: date
    mileage_km: float | None
    findings: list[str]
    repairable: bool | None
    decision: str
    reasons: list[str]
    remedy: str | None
    last_covered_day: date | None
    km_limit: int
    warranty_months: int
    terms_from_agreement: bool
    agreement: int | None = Field(None, alias="agreement_id")
    rule_version: str
    rule_decision: str
    rule_remedy: str | None
    overridden: bool
    override_decision: str | None
    override_remedy: str | None
    override_reason: str
    overridden_by: int | None = Field(None, alias="overridden_by_id")
    overridden_at: LocalDateTime | None
    explanation: list[str]
    decided_at: LocalDateTime
    part_number: str
    part_name: str
    serial_number: str
    lot: str
    build_month: str
    oem: str
    vin: str
    vehicle_model: str
    failure_mode: str
    description: str
    replacement_serial: str
    cost_parts: Decimal
    cost_labour: Decimal
    cost_travel: Decimal
    cost_total: Decimal
    reviewed_at: LocalDateTime | None
    reviewed_by: int | None = Field(None, alias="reviewed_by_id")
    review_note: str
    settled_at: LocalDateTime | None
    settlement_note: str
    closed_at: LocalDateTime | None
    close_reason: str
    import_batch: int | None = Field(None, alias="import_batch_id")
    created_at: LocalDateTime
    created_by: int | None = Field(None, alias="created_by_id")

    @staticmethod
    def resolve_customer_code(obj: Any) -> str:
        return obj.customer.code

    @staticmethod
    def resolve_mileage_km(obj: Any) -> float | None:
        return None if obj.mileage_km is None else float(obj.mileage_km)

    @staticmethod
    def resolve_remedy(obj: Any) -> str | None:
        return _none_if_blank(obj.remedy)

    @staticmethod
    def resolve_rule_remedy(obj: Any) -> str | None:
        return _none_if_blank(obj.rule_remedy)

    @staticmethod
    def resolve_override_decision(obj: Any) -> str | None:
        return _none_if_blank(obj.override_decision)

    @staticmethod
    def resolve_override_remedy(obj: Any) -> str | None:
        return _none_if_blank(obj.override_remedy)

    @staticmethod
    def resolve_explanation(obj: Any) -> list[str]:
        return list(obj.explanation(get_language() or "zh-hans"))


class DecisionRecordOut(Schema):
    seq: int
    kind: str
    decision: str
    remedy: str | None
    reasons: list[str]
    inputs: dict
    result: dict
    rule_version: str
    note: str
    decided_at: LocalDateTime
    decided_by: int | None = Field(None, alias="decided_by_id")
    actor_label: str

    @staticmethod
    def resolve_remedy(obj: Any) -> str | None:
        return _none_if_blank(obj.remedy)


class AttachmentOut(StoredFileOut):
    uploaded_at: LocalDateTime
    uploaded_by: int | None = Field(None, alias="uploaded_by_id")
    url: str

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse(
            "api:warranty_attachment_download",
            kwargs={"claim_id": obj.claim_id, "attachment_id": obj.pk},
        )
