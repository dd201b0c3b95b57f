"""Entering and correcting the input data by hand: production volumes, purchase volumes and
survey responses (R-5.4.3). Imports (importing.py, core's import engine) store the same
records in bulk."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.audit import snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.permissions import require
from serviceloop.core.services import delete_audited, save_audited
from serviceloop.core.statemachine import locked
from serviceloop.customers.models import Customer

from ..importing import convert_score
from ..models import ProductionVolume, PurchaseVolume, SurveyKind, SurveyResponse


def _check_month(field: str, month: str) -> None:
    if month and month > f"{timezone.localdate():%Y-%m}":
        raise ValidationError({field: _("This month lies in the future.")})


def _check_quantity(value: Any) -> None:
    if value is None:
        raise ValidationError({"quantity": _("This field is required.")})
    if int(value) < 0:
        raise ValidationError({"quantity": _("Must not be negative.")})


# --- production volumes ------------------------------------------------------------------------


@transaction.atomic
def production_volume_create(
    *,
    actor: User,
    part_number: str,
    build_month: str,
    quantity: int,
    part_name: str = "",
    notes: str = "",
) -> ProductionVolume:
    """Record the units of a part built (or shipped) in a build month."""
    require(actor, "ew.data")
    part_number = (part_number or "").strip()
    _check_quantity(quantity)
    _check_month("build_month", build_month)
    if ProductionVolume.objects.filter(part_number=part_number, build_month=build_month).exists():
        raise ValidationError(
            {"build_month": _("This part already has a volume for this month; edit that one.")}
        )
    volume = ProductionVolume(
        part_number=part_number,
        part_name=(part_name or "").strip(),
        build_month=build_month,
        quantity=quantity,
        notes=notes or "",
        created_by=actor,
    )
    return save_audited(volume, actor=actor, before=None, clean=True)


@transaction.atomic
def production_volume_update(
    *, actor: User, volume: ProductionVolume, reason: str = "", **data: Any
) -> ProductionVolume:
    require(actor, "ew.data")
    volume = locked(volume)
    before = snapshot(volume)
    allowed = {"part_name", "quantity", "notes"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    if "quantity" in data:
        _check_quantity(data["quantity"])
    for key, value in data.items():
        setattr(volume, key, value if value is not None else "")
    return save_audited(volume, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def production_volume_delete(*, actor: User, volume: ProductionVolume, reason: str = "") -> None:
    require(actor, "ew.data")
    delete_audited(locked(volume), actor=actor, reason=reason)


# --- purchase volumes --------------------------------------------------------------------------


@transaction.atomic
def purchase_volume_create(
    *,
    actor: User,
    customer: Customer | int,
    month: str,
    quantity: int,
    amount: Decimal | None = None,
) -> PurchaseVolume:
    """Record what a customer bought in a month (R-5.4.3 (b))."""
    require(actor, "ew.data")
    cust = customer_for(actor, customer)
    _check_quantity(quantity)
    _check_month("month", month)
    if PurchaseVolume.objects.filter(customer=cust, month=month).exists():
        raise ValidationError(
            {"month": _("This customer already has a volume for this month; edit that one.")}
        )
    volume = PurchaseVolume(
        customer=cust, month=month, quantity=quantity, amount=amount, created_by=actor
    )
    return save_audited(volume, actor=actor, before=None, clean=True)


@transaction.atomic
def purchase_volume_update(
    *, actor: User, volume: PurchaseVolume, reason: str = "", **data: Any
) -> PurchaseVolume:
    require(actor, "ew.data")
    volume = locked(volume)
    before = snapshot(volume)
    unknown = set(data) - {"quantity", "amount"}
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    if "quantity" in data:
        _check_quantity(data["quantity"])
    for key, value in data.items():
        setattr(volume, key, value)
    return save_audited(volume, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def purchase_volume_delete(*, actor: User, volume: PurchaseVolume, reason: str = "") -> None:
    require(actor, "ew.data")
    delete_audited(locked(volume), actor=actor, reason=reason)


# --- survey responses --------------------------------------------------------------------------


def _survey_values(
    actor: User,
    kind: str,
    customer: Customer | int | None,
    raw_score: Decimal,
    scale: int,
    day: date,
) -> dict[str, Any]:
    if kind not in SurveyKind.values:
        raise ValidationError({"kind": _("Unknown survey.")})
    cust = None
    if customer not in (None, ""):
        cust = customer_for(actor, customer)
    elif kind == SurveyKind.CUSTOMER_SATISFACTION:
        raise ValidationError({"customer": _("A customer-satisfaction survey names its customer.")})
    if scale not in (100, 5):
        raise ValidationError({"scale": _("Write 100 or 5.")})
    if raw_score is None:
        raise ValidationError({"raw_score": _("This field is required.")})
    raw = Decimal(str(raw_score))
    low, high = (Decimal(1), Decimal(5)) if scale == 5 else (Decimal(0), Decimal(100))
    if not low <= raw <= high:
        raise ValidationError(
            {"raw_score": _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}}
        )
    if day is None:
        raise ValidationError({"date": _("This field is required.")})
    if day > timezone.localdate():
        raise ValidationError({"date": _("This date lies in the future.")})
    return {
        "kind": kind,
        "customer": cust,
        "raw_score": raw,
        "scale": scale,
        "score": convert_score(raw, scale),
        "date": day,
    }


@transaction.atomic
def survey_response_create(
    *,
    actor: User,
    kind: str,
    date: date,
    raw_score: Decimal,
    scale: int = 100,
    customer: Customer | int | None = None,
    respondent: str = "",
    comments: str = "",
) -> SurveyResponse:
    """Record one answered survey; a 1-5 answer is kept and converted to 0-100."""
    require(actor, "ew.data")
    values = _survey_values(actor, kind, customer, raw_score, scale, date)
    response = SurveyResponse(
        **values, respondent=respondent or "", comments=comments or "", created_by=actor
    )
    return save_audited(response, actor=actor, before=None, clean=True)


@transaction.atomic
def survey_response_update(
    *, actor: User, response: SurveyResponse, reason: str = "", **data: Any
) -> SurveyResponse:
    require(actor, "ew.data")
    response = locked(response)
    before = snapshot(response)
    allowed = {"kind", "customer", "date", "raw_score", "scale", "respondent", "comments"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    merged = {
        "kind": response.kind,
        "customer": response.customer_id,
        "raw_score": response.raw_score,
        "scale": response.scale,
        "date": response.date,
        **data,
    }
    values = _survey_values(
        actor,
        merged["kind"],
        merged["customer"],
        merged["raw_score"],
        merged["scale"],
        merged["date"],
    )
    for key, value in values.items():
        setattr(response, key, value)
    for key in ("respondent", "comments"):
        if key in data:
            setattr(response, key, data[key] or "")
    return save_audited(response, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def survey_response_delete(*, actor: User, response: SurveyResponse, reason: str = "") -> None:
    require(actor, "ew.data")
    delete_audited(locked(response), actor=actor, reason=reason)
