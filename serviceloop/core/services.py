"""Helpers every app's services use: validate fully, then save; apply partial updates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import audit_create, audit_record, audit_update, snapshot
from .models.audit import AuditAction

M = TypeVar("M", bound=models.Model)

# Integer ranges as PostgreSQL stores them, so that SQLite (which stores 64 bits in every
# integer column) refuses the same values (issue 9: warranty_months = 10**12 was accepted).
INTEGER_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1),
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}
# Characters that show nothing: a name made only of them is blank.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


def odd_values(obj: models.Model) -> dict[str, Any]:
    """What full_clean lets through and the database refuses: null in a NOT NULL column
    that may be blank (text becomes "", other types are refused), integers beyond the
    column's range, required text made only of invisible characters."""
    errors: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or not f.editable:
            continue
        value = getattr(obj, f.attname)
        if value is None and not f.null:
            if isinstance(f, (models.CharField, models.TextField)):
                setattr(obj, f.attname, "")
            elif f.blank:
                errors[f.name] = _("This field cannot be null.")
            continue
        bounds = INTEGER_RANGES.get(f.get_internal_type())
        if bounds and isinstance(value, int) and not bounds[0] <= value <= bounds[1]:
            errors[f.name] = _("Ensure this value is between %(low)s and %(high)s.") % {
                "low": bounds[0],
                "high": bounds[1],
            }
        if (
            isinstance(value, str)
            and value
            and not f.blank
            and not value.translate({ord(c): None for c in INVISIBLE}).strip()
        ):
            errors[f.name] = _("This field cannot be blank.")
    return errors


def validated_save(obj: M, *, exclude: Iterable[str] | None = None) -> M:
    """full_clean (field, model and uniqueness checks) then save; errors name the field."""
    odd = odd_values(obj)
    if odd:
        raise ValidationError(odd)
    obj.full_clean(exclude=list(exclude) if exclude else None)
    obj.save()
    return obj


def apply_fields(obj: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Set the given fields; refuse unknown ones with an error naming them."""
    allowed_set = set(allowed)
    unknown = [k for k in data if k not in allowed_set]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    for key, value in data.items():
        setattr(obj, key, value)


def save_audited(
    obj: M,
    *,
    actor: Any,
    before: dict[str, Any] | None,
    reason: str = "",
    action: str = AuditAction.UPDATE,
    system: str = "",
    clean: bool = False,
) -> M:
    """The end of a service's write: ``clean`` runs full_clean first (errors name the field),
    then the record is saved and audited — what changed since the ``before`` snapshot (with
    ``action``, e.g. a state change), or its creation when ``before`` is None."""
    if clean:
        obj.full_clean()
    obj.save()
    if before is None:
        audit_create(actor=actor, obj=obj, reason=reason, system=system)
    else:
        audit_update(
            actor=actor, obj=obj, before=before, reason=reason, system=system, action=action
        )
    return obj


def delete_audited(obj: models.Model, *, actor: Any, reason: str = "", system: str = "") -> None:
    """Delete a record a service holds, with a "deleted" audit entry of its last values."""
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=obj,
        before=snapshot(obj),
        reason=reason,
        system=system,
    )
    obj.delete()
