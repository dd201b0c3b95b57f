"""Claim baselines given per part and month in service (issue 14): set (create or replace)
and delete, permission-checked and audited."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from serviceloop.core.audit import snapshot
from serviceloop.core.models import User
from serviceloop.core.permissions import require
from serviceloop.core.services import delete_audited, save_audited
from serviceloop.core.statemachine import locked

from ..models import ClaimBaseline


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
        return save_audited(existing, actor=actor, before=before, clean=True)
    baseline = ClaimBaseline(
        part_number=part_number,
        mis=mis,
        rate_per_unit=float(rate_per_unit),
        source=source.strip(),
        created_by=actor,
    )
    return save_audited(baseline, actor=actor, before=None, clean=True)


@transaction.atomic
def claim_baseline_delete(*, actor: User, baseline: ClaimBaseline, reason: str = "") -> None:
    require(actor, "ew.baseline")
    delete_audited(locked(baseline), actor=actor, reason=reason)
