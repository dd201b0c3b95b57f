"""The retention policy in one place (R-7, ADR 0007): each record type the product keeps,
which model holds it, when it closes, how long it is kept after that, and how it is disposed.

Periods: R-7.1–R-7.6 are fixed by the procedure (SJ/QP-021 §7); the other types have a
default here that the administrator changes on the retention page (`RetentionPeriod`).
A type whose app is not installed (yet) is simply absent: types name their model by label.
The customer archive is kept permanently; the audit log is never disposed by the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Literal

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from serviceloop.core.deadlines import local_date, years_after

PERMANENT: Final = "permanent"
Retain = date | Literal["permanent"] | None
# What a free-text field reads once its record is anonymised (ADR 0007).
ANONYMISED = "—"


@dataclass(frozen=True)
class RecordType:
    key: str  # the name used in the API (`record_type`), as the resource is called
    label: str | Promise
    model: str  # "app_label.ModelName"
    years: int | None  # None: kept permanently
    rule: str = ""  # "R-7.1" … for a period the procedure fixes; "" when the admin sets it
    closed: tuple[str, ...] = ()  # closing-date fields (first one set wins; "a__b" follows FKs)
    open_statuses: tuple[str, ...] = ()  # while in one of these, the record is open
    customer: str | None = "customer_id"  # path to the customer's id (for customer holds)
    keep_fields: tuple[str, ...] = ("number",)  # free text that anonymising leaves alone

    @property
    def permanent(self) -> bool:
        return self.years is None

    @property
    def admin_set(self) -> bool:
        return not self.rule and not self.permanent

    def model_class(self) -> type[models.Model] | None:
        try:
            return apps.get_model(self.model)
        except LookupError:
            return None

    def closed_fields(self) -> tuple[str, ...]:
        """The closing-date fields this model really has (a type registered ahead of its app
        may list candidates)."""
        model = self.model_class()
        if model is None:
            return ()
        out = []
        for path in self.closed:
            try:
                _field_at(model, path)
            except Exception:
                continue
            out.append(path)
        return tuple(out)


def _field_at(model: type[models.Model], path: str) -> models.Field:
    parts = path.split("__")
    for name in parts[:-1]:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model._meta.get_field(parts[-1])  # type: ignore[return-value]


def _value_at(obj: Any, path: str) -> Any:
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


TYPES: dict[str, RecordType] = {}


def register(record_type: RecordType) -> RecordType:
    TYPES[record_type.key] = record_type
    return record_type


CUSTOMERS = register(
    RecordType(
        "customers", _("customer archive"), "customers.Customer", None, "R-7.2", customer="pk"
    )
)
register(
    RecordType(
        "visit-records",
        _("visit/interview report"),
        "visits.VisitRecord",
        2,
        "R-7.1",
        closed=("reviewed_at",),
    )
)
register(
    RecordType(
        "complaints", _("complaint register"), "complaints.Complaint", 2, "R-7.3", ("closed_at",)
    )
)
register(
    RecordType(
        "service-summaries",
        _("service work summary report"),
        "summaries.ServiceSummary",
        3,
        "R-7.4",
        closed=("approved_at",),
        customer=None,
    )
)
register(
    RecordType(
        "eight-d-reports",
        _("8D report"),
        "complaints.EightDReport",
        3,
        "R-7.5",
        closed=("closed_at",),
        customer="complaint__customer_id",
    )
)
register(
    RecordType(
        "information-feedback-forms",
        _("information feedback form"),
        "fieldservice.InformationFeedbackForm",
        2,
        "R-7.6",
        closed=("acknowledged_at",),
        customer=None,
    )
)
# Periods the administrator sets (defaults documented in docs/records.md).
register(
    RecordType(
        "communications",
        _("customer communication"),
        "communications.Communication",
        2,
        closed=("feedback_at",),
    )
)
register(
    RecordType(
        "warranty-claims",
        _("warranty claim"),
        "warranty.WarrantyClaim",
        3,
        closed=("closed_at", "settled_at"),
        keep_fields=("number", "serial_number"),
    )
)
register(
    RecordType(
        "service-records",
        _("service record"),
        "fieldservice.ServiceRecord",
        3,
        closed=("service_date",),
    )
)
register(
    RecordType(
        "return-forms",
        _("return-for-repair form"),
        "fieldservice.ReturnForRepairForm",
        3,
        closed=("received_at", "updated_at"),
        open_statuses=("draft", "signed", "held"),
    )
)
register(
    RecordType(
        "early-warning-reports",
        _("failure-analysis report"),
        "earlywarning.FailureAnalysisReport",
        3,
        closed=("alert__closed_at", "alert__dismissed_at"),
        customer="alert__customer_id",
    )
)


@dataclass(frozen=True)
class FixedRow:
    """A row of the policy table that is not a disposable record type."""

    label: str | Promise
    period: str | Promise
    note: str | Promise = field(default="")


AUDIT_LOG = FixedRow(
    _("audit log"),
    _("permanently"),
    _("Never offered for disposal; entries about a disposed record are redacted, not removed."),
)


def available() -> list[RecordType]:
    """The types whose app is installed."""
    return [t for t in TYPES.values() if t.model_class() is not None]


def get_type(key: str) -> RecordType | None:
    t = TYPES.get(key)
    return t if t is not None and t.model_class() is not None else None


def type_of(obj: models.Model) -> RecordType | None:
    label = obj._meta.label
    for t in TYPES.values():
        if t.model == label:
            return t
    return None


def years_of(t: RecordType) -> int | None:
    """The period in force: the administrator's for the types that have one, else the policy's."""
    if t.admin_set:
        from .models import RetentionPeriod

        row = RetentionPeriod.objects.filter(record_type=t.key).first()
        if row is not None:
            return row.years
    return t.years


def closed_on(t: RecordType, obj: models.Model) -> date | None:
    """The day the record closed (in the company's zone); None while it is open."""
    if t.open_statuses and getattr(obj, "status", None) in t.open_statuses:
        return None
    for path in t.closed_fields():
        value = _value_at(obj, path)
        if value:
            return local_date(value)
    return None


def computed_retain_until(t: RecordType, obj: models.Model, years: int | None = None) -> Retain:
    if t.permanent:
        return PERMANENT
    closed = closed_on(t, obj)
    if closed is None:
        return None
    return years_after(closed, years if years is not None else years_of(t) or 0)


# Names of the annotations `with_retention` puts on a list's rows (read by `retain_until`).
YEARS_ANNOTATION, KEPT_ANNOTATION = "retention_years_in_force", "retention_kept_until"


def with_retention(qs: models.QuerySet) -> models.QuerySet:
    """A list's queryset with what `retain_until` reads per row (the period in force, the
    latest disposal-review keep) as two subqueries, so a page costs no query per row."""
    from .models import DisposalReview, RetentionPeriod

    label = qs.model._meta.label
    t = next((t for t in TYPES.values() if t.model == label), None)
    if t is None or t.permanent:
        return qs
    kept = (
        DisposalReview.objects.filter(
            record_type=t.key, record_id=models.OuterRef("pk"), kept_until__isnull=False
        )
        .order_by("-kept_until")
        .values("kept_until")[:1]
    )
    years: Any = models.Value(None, output_field=models.IntegerField())
    if t.admin_set:
        years = models.Subquery(
            RetentionPeriod.objects.filter(record_type=t.key).values("years")[:1]
        )
    return qs.annotate(**{YEARS_ANNOTATION: years, KEPT_ANNOTATION: models.Subquery(kept)})


def retain_until(obj: models.Model) -> Retain:
    """`retain_until` of a record: closing date + period, or the later date a disposal review
    kept it until; None while open; "permanent" for the customer archive. Reads the
    annotations of `with_retention` when the row has them (lists), else queries."""
    t = type_of(obj)
    if t is None:
        return None
    primed = hasattr(obj, KEPT_ANNOTATION)
    years = getattr(obj, YEARS_ANNOTATION, None) if primed else None
    if primed and years is None:
        years = t.years or 0  # no administrator's period: the policy's (as years_of)
    value = computed_retain_until(t, obj, years)
    if isinstance(value, date):
        from .models import DisposalReview

        if primed:
            kept = getattr(obj, KEPT_ANNOTATION)
        else:
            kept = (
                DisposalReview.objects.filter(
                    record_type=t.key, record_id=obj.pk, kept_until__isnull=False
                )
                .order_by("-kept_until")
                .values_list("kept_until", flat=True)
                .first()
            )
        if kept and kept > value:
            return kept
    return value


def customer_id_of(t: RecordType, obj: models.Model) -> int | None:
    if t.customer is None:
        return None
    return _value_at(obj, t.customer)


def past_due_candidates(t: RecordType, today: date) -> models.QuerySet:
    """Records whose closing day is before `today` minus the period (plus a day of slack for
    29 February: the caller checks each against `retain_until`)."""
    model = t.model_class()
    years = years_of(t)
    if model is None or years is None:
        return models.QuerySet().none()
    cutoff = years_after(today, -years) + timedelta(days=1)
    condition = Q()
    earlier: list[str] = []
    for path in t.closed_fields():
        f = _field_at(model, path)
        limit: Any = cutoff
        if isinstance(f, models.DateTimeField):
            from serviceloop.core.deadlines import end_of_day

            limit = end_of_day(cutoff)
        q = Q(**{f"{path}__lte": limit})
        for p in earlier:
            q &= Q(**{f"{p}__isnull": True})
        condition |= q
        earlier.append(path)
    if not earlier:
        return model._default_manager.none()
    qs = model._default_manager.filter(condition)
    if t.open_statuses:
        qs = qs.exclude(status__in=t.open_statuses)
    return qs
