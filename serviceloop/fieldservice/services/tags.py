"""Nonconforming product found in the customer's stock is tagged and then repaired with parts
sent from the company or reworked as an assembly (R-5.3.4.3; Nonconforming Product
Control procedure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.audit import AuditAction, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition
from serviceloop.customers.models import Customer

from ..models import (
    TAG_TRANSITIONS,
    Disposition,
    NonconformingTag,
    Part,
    PartsRequest,
    TagStatus,
)
from ._common import (
    check_past_date,
    local_noon,
    part_for,
    positive,
    required_text,
)

EDITABLE = ("lot", "quantity", "location", "nonconformity", "disposition", "parts_request")


def _check(tag: NonconformingTag) -> None:
    tag.quantity = positive("quantity", tag.quantity)
    required_text("location", tag.location, _("Say where in the customer's stock it is."))
    required_text("nonconformity", tag.nonconformity, _("Describe the nonconformity."))
    if tag.disposition not in Disposition.values:
        raise ValidationError({"disposition": _("Choose repair with parts or assembly rework.")})
    if tag.parts_request is not None and tag.parts_request.customer_id != tag.customer_id:
        raise ValidationError({"parts_request": _("That request is for another customer.")})


@transaction.atomic
def tag_create(
    *,
    actor: User,
    customer: Customer | int,
    part: Part | int,
    quantity: int,
    location: str,
    found_on: date,
    nonconformity: str,
    disposition: str,
    lot: str = "",
    parts_request: PartsRequest | None = None,
) -> NonconformingTag:
    """Tag nonconforming product in the customer's stock."""
    require(actor, "tag.manage")
    cust = customer_for(actor, customer)
    check_past_date("found_on", found_on)
    tag = NonconformingTag(
        customer=cust,
        part=part_for(part),
        lot=(lot or "").strip(),
        quantity=quantity,
        location=(location or "").strip(),
        found_on=found_on,
        nonconformity=(nonconformity or "").strip(),
        disposition=disposition,
        parts_request=parts_request,
        tagged_by=actor,
        created_by=actor,
        number="pending",
    )
    _check(tag)
    return save_numbered(tag, "NCT", local_noon(found_on), actor=actor)


@transaction.atomic
def tag_update(*, actor: User, tag: NonconformingTag, reason: str = "", **data: Any):
    require(actor, "tag.manage")
    t = NonconformingTag.objects.select_for_update(of=("self",)).get(pk=tag.pk)
    if t.status != TagStatus.TAGGED:
        raise ValidationError({"status": _("A resolved tag cannot be changed.")})
    unknown = [k for k in data if k not in EDITABLE]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    before = snapshot(t)
    for key, value in data.items():
        setattr(t, key, value.strip() if isinstance(value, str) else value)
    _check(t)
    return save_audited(t, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def tag_resolve(*, actor: User, tag: NonconformingTag, resolution: str) -> NonconformingTag:
    """The tagged product was repaired or reworked as disposed; the tag comes off."""
    require(actor, "tag.manage")
    t = NonconformingTag.objects.select_for_update(of=("self",)).get(pk=tag.pk)
    text = required_text("resolution", resolution, _("Say how it was repaired or reworked."))
    before = snapshot(t)
    transition(t, TagStatus.RESOLVED, actor=actor, table=TAG_TRANSITIONS, save=False)
    t.resolution, t.resolved_at, t.resolved_by = text, timezone.now(), actor
    return save_audited(t, actor=actor, before=before, action=AuditAction.TRANSITION)
