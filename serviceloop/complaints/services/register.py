"""Writes to the Customer Complaint Register (R-5.5.1, R-5.5.7, R-5.9.5)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import audit_create, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.notifications import Message
from serviceloop.core.numbering import next_number, save_numbered
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked
from serviceloop.customers.models import Customer

from ..models import Complaint, Kind, Severity, Status
from .common import (
    check_time,
    notify_people,
    quality_people,
    report_url,
    required_text,
)
from .eightd import open_report

log = logging.getLogger(__name__)

EDITABLE_FIELDS = (
    "customer_reference",
    "received_at",
    "part_number",
    "part_name",
    "lot",
    "quantity",
    "description",
    "in_production",
    "severity",
)


def _check_quantity(quantity: Any) -> None:
    if quantity is None or isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ValidationError({"quantity": _("Give the quantity concerned (a whole number).")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})


def _check_choice(field: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("“%(v)s” is not a valid choice.") % {"v": value}})


@transaction.atomic
def complaint_register(
    *,
    actor: User,
    customer: Customer | int | None,
    received_at: datetime | None,
    description: str,
    part_number: str,
    quantity: int | None,
    lot: str = "",
    part_name: str = "",
    in_production: bool = False,
    severity: str = Severity.MEDIUM,
    kind: str = Kind.COMPLAINT,
    customer_reference: str = "",
    leader: User | None = None,
) -> Complaint:
    """Sales enters a complaint or a customer return in the register (R-5.5.1). A return
    opens its 8D at once, with deadlines for Production, Technical and Quality (R-5.5.7)."""
    require(actor, "complaint.create")
    cust = customer_for(actor, customer)
    check_time("received_at", received_at)
    assert received_at is not None
    if kind not in (Kind.COMPLAINT, Kind.RETURN):
        raise ValidationError({"kind": _("Register a complaint or a customer return.")})
    _check_choice("severity", severity, Severity)
    complaint = Complaint(
        kind=kind,
        customer=cust,
        customer_reference=(customer_reference or "").strip(),
        received_at=received_at,
        received_by=actor,
        part_number=required_text("part_number", part_number),
        part_name=(part_name or "").strip(),
        lot=(lot or "").strip(),
        quantity=quantity,
        description=required_text("description", description, _("Describe the problem.")),
        in_production=bool(in_production),
        severity=severity,
        created_by=actor,
        number="pending",
    )
    _check_quantity(quantity)
    save_numbered(complaint, "CMP", received_at, actor=actor)
    if kind == Kind.RETURN:
        open_report(actor=actor, complaint=complaint, leader=leader)
    return complaint


@transaction.atomic
def complaint_update(
    *, actor: User, complaint: Complaint, reason: str = "", **data: Any
) -> Complaint:
    """Correct a register entry. The receipt time is fixed once the 8D has its deadlines."""
    require(actor, "complaint.change")
    complaint = locked(complaint)
    if complaint.status == Status.CLOSED:
        raise ValidationError({"status": _("The complaint is closed; it can no longer change.")})
    unknown = [k for k in data if k not in EDITABLE_FIELDS]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    before = snapshot(complaint)
    if "received_at" in data and data["received_at"] != complaint.received_at:
        if complaint.status != Status.REGISTERED:
            raise ValidationError(
                {"received_at": _("The 8D deadlines were set from this time; it cannot change.")}
            )
        check_time("received_at", data["received_at"])
    for key, value in data.items():
        setattr(complaint, key, value.strip() if isinstance(value, str) else value)
    if "description" in data:
        required_text("description", complaint.description, _("Describe the problem."))
    if "quantity" in data and (complaint.kind != Kind.MAJOR_PROBLEM or data["quantity"]):
        _check_quantity(complaint.quantity)
    if "part_number" in data and complaint.kind != Kind.MAJOR_PROBLEM:
        required_text("part_number", complaint.part_number)
    _check_choice("severity", complaint.severity, Severity)
    save_audited(complaint, actor=actor, before=before, reason=reason, clean=True)
    became_in_production = complaint.in_production and not before["in_production"]
    report = getattr(complaint, "eight_d", None)
    if became_in_production and report is not None:
        notify_people(
            [report.leader] if report.leader else quality_people(),
            kind="containment_required",
            title=Message(
                gettext_noop("Immediate containment required: %(n)s is still in production"),
                n=complaint.number,
            ),
            url=report_url(report, "d3"),
            key=f"complaint:in_production:{complaint.pk}",
        )
    return complaint


def _source_url(instance: models.Model) -> str:
    get_url = getattr(instance, "get_absolute_url", None)
    if callable(get_url):
        return str(get_url())
    try:
        return reverse(f"{instance._meta.app_label}:detail", args=[instance.pk])
    except NoReverseMatch:
        return ""


def complaint_from_major_problem(
    *,
    instance: models.Model,
    actor: User | None,
    customer: Customer | None,
    summary: str = "",
    part_number: str = "",
    part_name: str = "",
    lot: str = "",
    quantity: int | None = None,
) -> Complaint | None:
    """R-5.9.5: a major typical quality problem flagged on another record (a communication, a
    field-service record) goes out at once as an 8D, assigned to Quality. One complaint per
    source record: announcing the same record again returns the complaint made the first time.
    This is the system's reaction to the flag, so it needs no permission of the flagger."""
    source_type, source_id = instance._meta.label_lower, str(instance.pk)
    found = Complaint.objects.filter(source_type=source_type, source_id=source_id).first()
    if found is not None:
        return found
    if customer is None:
        log.warning("major quality problem on %s:%s has no customer", source_type, source_id)
        return None
    try:
        with transaction.atomic():
            part = {
                "part_number": (part_number or "")[:60],
                "part_name": (part_name or "")[:100],
                "lot": (lot or "")[:60],
                "quantity": quantity if quantity and quantity > 0 else None,
            }
            return _create_from_source(instance, actor, customer, summary, part)
    except IntegrityError:  # a concurrent announcement of the same record got there first
        return Complaint.objects.get(source_type=source_type, source_id=source_id)


def _create_from_source(
    instance: models.Model,
    actor: User | None,
    customer: Customer,
    summary: str,
    part: dict[str, Any] | None = None,
) -> Complaint:
    now = timezone.now()
    received_at = getattr(instance, "received_at", None) or now
    label = str(instance)[:300]
    complaint = Complaint(
        kind=Kind.MAJOR_PROBLEM,
        customer=customer,
        received_at=min(received_at, now),
        received_by=actor,
        description=(summary or label).strip() or label,
        severity=Severity.HIGH,
        created_by=actor,
        source_type=instance._meta.label_lower,
        source_id=str(instance.pk),
        source_label=label,
        source_url=_source_url(instance),
        number=next_number("CMP", now),
        **(part or {}),
    )
    complaint.full_clean()
    complaint.save()
    reason = _("R-5.9.5: flagged as a major quality problem on %(src)s") % {"src": label}
    audit_create(actor=actor, obj=complaint, reason=reason, system="major_quality_problem")
    report = open_report(actor=actor, complaint=complaint, system=True)
    notify_people(
        quality_people(),
        kind="major_quality_8d",
        title=Message(
            gettext_noop("Major quality problem: 8D %(r)s opened for %(c)s"),
            r=report.number,
            c=customer.name,
        ),
        body=Message.verbatim(complaint.description),
        url=report.get_absolute_url(),
        key=f"major_8d:{complaint.pk}",
    )
    return complaint
