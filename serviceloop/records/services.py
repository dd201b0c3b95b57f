"""Every write of retention (R-7): the administrator's periods, legal holds, the disposal-review
sweep and its decisions. Disposal is never silent: a reviewer decides, the record is deleted or
anonymised (ADR 0007), the entries about it in the audit log are redacted, not removed, and
the disposal itself is an audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.audit import (
    AuditAction,
    audit_create,
    audit_record,
    audit_redact,
    snapshot,
)
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import (
    ALLOWED,
    Verdict,
    locked,
    refuse_unless,
    refused,
    transition,
)

from . import policy
from .models import (
    REVIEW_TRANSITIONS,
    DisposalReview,
    LegalHold,
    Outcome,
    RetentionPeriod,
    ReviewStatus,
)
from .policy import RecordType

SYSTEM = "retention_review"


def _required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


def record_repr(obj: models.Model) -> str:
    """How a retention row names its record: by number (no personal data), else by id."""
    number = getattr(obj, "number", "") or getattr(obj, "code", "")
    return str(number or f"#{obj.pk}")[:300]


# --------------------------------------------------------------------------- periods


def period_set(*, actor: Any, record_type: str, years: int) -> RetentionPeriod:
    require(actor, "records.settings")
    t = policy.get_type(record_type)
    if t is None or not t.admin_set:
        raise ValidationError(
            {"record_type": _("The period of this record type is fixed by the procedure.")}
        )
    if not isinstance(years, int) or not 1 <= years <= 100:
        raise ValidationError({"years": _("Enter a whole number of years from 1 to 100.")})
    with transaction.atomic():
        row = RetentionPeriod.objects.select_for_update().filter(record_type=t.key).first()
        if row is None:
            row = RetentionPeriod.objects.create(record_type=t.key, years=years, updated_by=actor)
            audit_create(actor=actor, obj=row)
        else:
            before = snapshot(row)
            row.years, row.updated_by = years, actor
            save_audited(row, actor=actor, before=before)
    return row


# --------------------------------------------------------------------------- legal holds


def find_record(record_type: str, record_id: Any) -> tuple[RecordType, models.Model]:
    t = policy.get_type(record_type)
    if t is None:
        raise ValidationError({"record_type": _("Unknown record type.")})
    model = t.model_class()
    assert model is not None
    try:
        obj = model._default_manager.filter(pk=int(record_id)).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise ValidationError({"record_id": _("No such record.")})
    return t, obj


def active_holds(t: RecordType, obj: models.Model) -> models.QuerySet[LegalHold]:
    """The holds in force on a record: on itself, or on its customer."""
    condition = Q(record_type=t.key, record_id=obj.pk)
    customer_id = policy.customer_id_of(t, obj)
    if customer_id is not None:
        condition |= Q(record_type=policy.CUSTOMERS.key, record_id=customer_id)
    return LegalHold.objects.filter(condition, lifted_at__isnull=True)


def is_held(t: RecordType, obj: models.Model, held: set[tuple[str, int]] | None = None) -> bool:
    """Whether a hold is in force on the record; `held` (from `held_keys`) answers it
    without a query, for lists."""
    if held is None:
        return active_holds(t, obj).exists()
    customer_id = policy.customer_id_of(t, obj)
    return (t.key, obj.pk) in held or (
        customer_id is not None and (policy.CUSTOMERS.key, customer_id) in held
    )


def held_keys() -> set[tuple[str, int]]:
    """(record_type, record_id) of every hold in force (few: holds are exceptional)."""
    rows = LegalHold.objects.filter(lifted_at__isnull=True).values_list("record_type", "record_id")
    return set(rows)


def hold_place(*, actor: Any, record_type: str, record_id: Any, reason: str) -> LegalHold:
    require(actor, "records.hold")
    t, obj = find_record(record_type, record_id)
    reason = _required_text(reason, "reason")
    with transaction.atomic():
        if LegalHold.objects.filter(
            record_type=t.key, record_id=obj.pk, lifted_at__isnull=True
        ).exists():
            raise ValidationError({"record_id": _("This record is already under a legal hold.")})
        hold = LegalHold.objects.create(
            record_type=t.key,
            record_id=obj.pk,
            record_repr=record_repr(obj),
            reason=reason,
            set_by=actor,
        )
        audit_create(actor=actor, obj=hold, reason=reason)
    return hold


def hold_lift(*, actor: Any, hold: LegalHold, reason: str) -> LegalHold:
    require(actor, "records.hold")
    reason = _required_text(reason, "reason")
    with transaction.atomic():
        hold = locked(hold)
        if hold.lifted_at is not None:
            raise ValidationError({"status": _("This legal hold was already lifted.")})
        before = snapshot(hold)
        hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), actor, reason
        save_audited(hold, actor=actor, before=before, reason=reason)
    return hold


# --------------------------------------------------------------------------- the sweep


def _due(obj: models.Model, today: date) -> bool:
    value = policy.retain_until(obj)
    return isinstance(value, date) and value < today


def sweep_disposal_review(today: date | None = None) -> int:
    """Put every record past its `retain_until` (and not held, not already queued or disposed)
    in the disposal-review queue. Idempotent; returns how many reviews it opened."""
    today = today or timezone.localdate()
    opened = 0
    for t in policy.available():
        if t.permanent:
            continue
        for obj in policy.past_due_candidates(t, today).iterator():
            if not _due(obj, today) or is_held(t, obj):
                continue
            taken = DisposalReview.objects.filter(
                record_type=t.key,
                record_id=obj.pk,
                status__in=[ReviewStatus.PENDING, ReviewStatus.DISPOSED],
            )
            if taken.exists():
                continue
            until = policy.retain_until(obj)
            assert isinstance(until, date)
            try:
                with transaction.atomic():
                    review = DisposalReview.objects.create(
                        record_type=t.key,
                        record_id=obj.pk,
                        record_repr=record_repr(obj),
                        customer_id_ref=policy.customer_id_of(t, obj),
                        retain_until=until,
                    )
                    audit_create(actor=None, obj=review, system=SYSTEM)
            except IntegrityError:  # another worker queued it at the same moment
                continue
            opened += 1
    return opened


# --------------------------------------------------------------------------- decisions


def may_dispose(review: DisposalReview, today: date | None = None) -> Verdict:
    """Guard: a pending review of a record that still exists, is past `retain_until`, is not
    permanent and is not under a legal hold."""
    if review.status != ReviewStatus.PENDING:
        return refused(_("This review is already decided."))
    t = policy.get_type(review.record_type)
    if t is None or t.permanent:
        return refused(_("Records of this type are kept permanently."))
    model = t.model_class()
    assert model is not None
    obj = model._default_manager.filter(pk=review.record_id).first()
    if obj is None:
        return refused(_("The record no longer exists."))
    if is_held(t, obj):
        return refused(_("The record is under a legal hold; it cannot be disposed of."))
    if not _due(obj, today or timezone.localdate()):
        return refused(_("The record's retention period has not ended yet."))
    return ALLOWED


def _anonymise(t: RecordType, obj: models.Model) -> None:
    """Blank the free text of a record other records still point to (ADR 0007): every text
    field without choices, except its number and the type's `keep_fields`; contacts unlinked."""
    changed = []
    for f in obj._meta.concrete_fields:
        if f.name in t.keep_fields or f.primary_key:
            continue
        if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.unique:
            value = getattr(obj, f.attname)
            if value:
                setattr(obj, f.attname, "" if f.blank else policy.ANONYMISED[: f.max_length or 10])
                changed.append(f.attname)
        elif (
            isinstance(f, models.ForeignKey)
            and f.null
            and f.related_model._meta.label == "customers.Contact"
            and getattr(obj, f.attname) is not None
        ):
            setattr(obj, f.attname, None)
            changed.append(f.attname)
    if changed:
        type(obj)._default_manager.filter(pk=obj.pk).update(
            **{name: getattr(obj, name) for name in changed}
        )


def _dispose(t: RecordType, obj: models.Model) -> tuple[str, dict[str, list[str]]]:
    """Delete the record (with what cascades from it), or anonymise it when other records
    still point to it; the audit entries of what was touched are to be redacted."""
    label = obj._meta.label_lower
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=obj)
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError):
        _anonymise(t, obj)
        return Outcome.ANONYMISED, {label: [str(obj.pk)]}
    touched: dict[str, list[str]] = {}
    for model, instances in collector.data.items():
        touched.setdefault(model._meta.label_lower, []).extend(str(i.pk) for i in instances)
    for qs in collector.fast_deletes:
        touched.setdefault(qs.model._meta.label_lower, []).extend(
            str(pk) for pk in qs.values_list("pk", flat=True)
        )
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError):
        _anonymise(t, obj)
        return Outcome.ANONYMISED, {label: [str(obj.pk)]}
    return Outcome.DELETED, touched


def review_dispose(*, actor: Any, review: DisposalReview, reason: str) -> DisposalReview:
    require(actor, "records.dispose")
    reason = _required_text(reason, "reason")
    with transaction.atomic():
        review = locked(review)
        refuse_unless(may_dispose(review))
        t = policy.get_type(review.record_type)
        assert t is not None and t.model_class() is not None
        obj = t.model_class()._default_manager.get(pk=review.record_id)  # type: ignore[union-attr]
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
        outcome, touched = _dispose(t, obj)
        note = f"disposal review #{review.pk}"
        redacted = sum(
            audit_redact(actor=actor, object_type=label, object_ids=ids, reason=note)
            for label, ids in touched.items()
        )
        audit_record(
            actor=actor,
            action=AuditAction.DELETE if outcome == Outcome.DELETED else AuditAction.EVENT,
            object_type=object_type,
            object_id=object_id,
            object_repr=review.record_repr,
            after={"disposal": outcome, "review": review.pk, "redacted_entries": redacted},
            reason=reason,
        )
        before = snapshot(review)
        transition(review, ReviewStatus.DISPOSED, actor=actor, table=REVIEW_TRANSITIONS, save=False)
        review.decided_at, review.decided_by = timezone.now(), actor
        review.reason, review.outcome, review.redacted_entries = reason, outcome, redacted
        save_audited(review, actor=actor, before=before, action=AuditAction.TRANSITION)
    return review


def review_keep(
    *, actor: Any, review: DisposalReview, reason: str, until: date | None
) -> DisposalReview:
    """Keep the record longer: a reason and a new date; the sweep asks again after it."""
    require(actor, "records.dispose")
    reason = _required_text(reason, "reason")
    if until is None:
        raise ValidationError({"until": _("This field is required.")})
    if until <= timezone.localdate():
        raise ValidationError({"until": _("The new date must be in the future.")})
    with transaction.atomic():
        review = locked(review)
        before = snapshot(review)
        transition(review, ReviewStatus.KEPT, actor=actor, table=REVIEW_TRANSITIONS, save=False)
        review.decided_at, review.decided_by = timezone.now(), actor
        review.reason, review.kept_until = reason, until
        save_audited(
            review, actor=actor, before=before, reason=reason, action=AuditAction.TRANSITION
        )
    return review
