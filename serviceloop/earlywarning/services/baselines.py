"""Claim baselines given per part and month in service (issue 14): set (create or replace)
and delete, permission-checked and audited."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from serviceloop.core.audit import audit_create, audit_update, snapshot
from serviceloop.core.models import User
from serviceloop.core.permissions import require

from ..models import ClaimBaseline
from .data import _delete


@transaction.atomic
def claim_baseline_set(
    *, actor: User, part_number: str, mis: int, rate_per_unit: float, source: str
) -> ClaimBaseline:
    """Give (or replace) the expected claims per unit at risk of a part at one MIS."""
    require(actor, "ew.baseline")
    part_number = (part_number or "").strip()
    errors = {}
    if not part_number:
        errors["part_number"] = _("This field is required.")
    if not (source or "").strip():
        errors["source"] = _("Say where the rate comes from.")
    if rate_per_unit is None or not math.isfinite(float(rate_per_unit)):
        errors["rate_per_unit"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    existing = (
        ClaimBaseline.objects.select_for_update().filter(part_number=part_number, mis=mis).first()
    )
    if existing is not None:
        before = snapshot(existing)
        existing.rate_per_unit = float(rate_per_unit)
        existing.source = source.strip()
        existing.full_clean()
        existing.save()
        audit_update(actor=actor, obj=existing, before=before)
        return existing
    baseline = ClaimBaseline(
        part_number=part_number,
        mis=mis,
        rate_per_unit=float(rate_per_unit),
        source=source.strip(),
        created_by=actor,
    )
    baseline.full_clean()
    baseline.save()
    audit_create(actor=actor, obj=baseline)
    return baseline


@transaction.atomic
def claim_baseline_delete(*, actor: User, baseline: ClaimBaseline, reason: str = "") -> None:
    require(actor, "ew.baseline")
    _delete(actor, ClaimBaseline.objects.select_for_update().get(pk=baseline.pk), reason)
