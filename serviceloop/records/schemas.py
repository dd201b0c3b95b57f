"""API schemas of retention (interface.md "Records and retention")."""

from datetime import date
from typing import Literal

from ninja import Schema

from serviceloop.core.api_support import LocalDateTime

from .policy import retain_until

# What `retain_until` answers on every record of a retained type: a date once the record is
# closed, null while it is open, "permanent" for the customer archive.
RetainUntil = date | Literal["permanent"] | None


class RetainedOut(Schema):
    """The base of the output schema of every record of a retained type: it answers
    `retain_until` first (R-7), from `serviceloop.records.policy.retain_until`."""

    retain_until: RetainUntil = None

    @staticmethod
    def resolve_retain_until(obj) -> RetainUntil:
        return retain_until(obj)


class DueOut(Schema):
    id: int
    record_type: str
    record_id: int
    record: str
    retain_until: date
    found_at: LocalDateTime
    status: str
    url: str

    @staticmethod
    def resolve_record(obj) -> str:
        return obj.record_repr

    @staticmethod
    def resolve_url(obj) -> str:
        record = getattr(obj, "record", None)
        get_url = getattr(record, "get_absolute_url", None)
        return get_url() if get_url else ""


class DisposeIn(Schema):
    reason: str


class KeepIn(Schema):
    reason: str
    until: date


class ReviewOut(Schema):
    id: int
    record_type: str
    record_id: int
    record: str
    retain_until: date
    status: str
    outcome: str
    reason: str
    kept_until: date | None
    decided_at: LocalDateTime | None
    redacted_entries: int

    @staticmethod
    def resolve_record(obj) -> str:
        return obj.record_repr


class LegalHoldIn(Schema):
    record_type: str
    record_id: int
    reason: str


class LiftIn(Schema):
    reason: str


class LegalHoldOut(Schema):
    id: int
    record_type: str
    record_id: int
    record: str
    reason: str
    set_at: LocalDateTime
    set_by: str
    active: bool
    lifted_at: LocalDateTime | None
    lifted_by: str | None
    lift_reason: str

    @staticmethod
    def resolve_record(obj) -> str:
        return obj.record_repr

    @staticmethod
    def resolve_set_by(obj) -> str:
        return obj.set_by.get_username()

    @staticmethod
    def resolve_lifted_by(obj) -> str | None:
        return obj.lifted_by.get_username() if obj.lifted_by else None


class PolicyOut(Schema):
    record_type: str
    label: str
    rule: str
    years: int | None
    permanent: bool
    set_by_administrator: bool


class PeriodIn(Schema):
    years: int
