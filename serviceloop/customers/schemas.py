from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from serviceloop.core.api_support import LocalDateTime
from serviceloop.records.schemas import RetainedOut

from .models import Tier


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    title: str = ""
    phone: str = ""
    email: str = ""
    is_primary: bool = False


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class CustomerIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    tier: Tier
    agent: int | None = None
    province: str = ""
    city: str = ""
    mailing_address: str = ""
    postal_code: str = ""
    phone: str = ""
    notes: str = ""
    contacts: list[ContactIn] = []


class CustomerPatch(Schema):
    code: str | None = Field(default=None, min_length=1, max_length=40)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    tier: Tier | None = None
    agent: int | None = None
    province: str | None = None
    city: str | None = None
    mailing_address: str | None = None
    postal_code: str | None = None
    phone: str | None = None
    notes: str | None = None
    is_active: bool | None = None
    reason: str = ""


class CustomerOut(RetainedOut):
    id: int
    code: str
    name: str
    tier: str
    agent: int | None = Field(None, alias="agent_id")
    province: str
    city: str
    mailing_address: str
    postal_code: str
    phone: str
    notes: str
    is_active: bool
    created_at: LocalDateTime
    contacts: list[ContactOut] = []

    @staticmethod
    def resolve_contacts(obj) -> list:
        return list(obj.contacts.all())


class AgreementIn(Schema):
    customer: int
    reference: str = ""
    valid_from: date
    valid_to: date | None = None
    warranty_months: int | None = Field(default=None, ge=1)
    warranty_km: int | None = Field(default=None, ge=1)
    notes: str = ""


class AgreementPatch(Schema):
    reference: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    warranty_months: int | None = Field(default=None, ge=1)
    warranty_km: int | None = Field(default=None, ge=1)
    notes: str | None = None
    reason: str = ""


class AgreementOut(Schema):
    id: int
    customer: int = Field(alias="customer_id")
    reference: str
    valid_from: date
    valid_to: date | None
    warranty_months: int | None
    warranty_km: int | None
    notes: str
    created_at: datetime
