"""Service records (R-5.9.4), the repair-or-replace decision (R-5.3.4.2) and major quality
problems (R-5.3.4.2, R-5.9.5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core import deadlines
from serviceloop.core.audit import snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.notifications import Message
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import has_role, require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.customers.models import Customer

from ..domain import rules
from ..models import (
    FailureMode,
    FeedbackStatus,
    Handling,
    HandlingDecision,
    Outcome,
    Part,
    ServiceRecord,
    Source,
)
from ._common import (
    announce_major,
    check_past_date,
    is_sales_side,
    local_noon,
    part_for,
    positive,
    required_text,
)

EDITABLE = (
    "service_date",
    "customer",
    "oem",
    "part",
    "vehicle",
    "mileage_km",
    "quantity",
    "defect",
    "failure_mode",
    "outcome",
    "outcome_note",
)
RESOLVED_FKS = ("engineer", "customer", "part", "created_by", "import_batch")
HANDLING_OUTCOME = {
    Handling.REPAIR: Outcome.REPAIRED,
    Handling.REPLACE: Outcome.REPLACED,
    Handling.RETURN: Outcome.RETURNED,
}


def may_record_service(user: Any) -> bool:
    """Service engineers and agents keep service records (R-5.9.4, R-5.3.5)."""
    return has_role(user, RoleCode.SERVICE_ENGINEER, RoleCode.AGENT)


def _engineer_for_record(actor: User, engineer: User | int | None) -> User:
    if engineer is None:
        engineer = actor
    pk = engineer.pk if isinstance(engineer, User) else engineer
    if pk == actor.pk:
        person = actor
    else:
        found = User.objects.filter(pk=pk, is_active=True).first()
        if found is None:
            raise ValidationError({"engineer": _("Unknown service person.")})
        person = found
        if not (is_sales_side(actor) or has_role(actor, RoleCode.ADMIN)):
            raise ValidationError({"engineer": _("You can only record your own service work.")})
    if not may_record_service(person):
        raise ValidationError(
            {"engineer": _("%s is neither a service engineer nor an agent.") % person}
        )
    return person


def _validate(record: ServiceRecord) -> None:
    check_past_date("service_date", record.service_date)
    required_text("defect", record.defect, _("Describe the defect."))
    if record.failure_mode not in FailureMode.values:
        raise ValidationError({"failure_mode": _("Choose a failure mode.")})
    if record.outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    record.quantity = positive("quantity", record.quantity)
    if record.mileage_km is not None and record.mileage_km < 0:
        raise ValidationError({"mileage_km": _("The mileage cannot be negative.")})
    record.week_start = deadlines.week_start(record.service_date)


def build_record(
    *,
    actor: User,
    engineer: User,
    customer: Customer,
    part: Part,
    service_date: date,
    defect: str,
    failure_mode: str,
    outcome: str,
    oem: str = "",
    vehicle: str = "",
    mileage_km: int | None = None,
    quantity: int = 1,
    outcome_note: str = "",
    major_problem: bool = False,
    source: str = Source.FORM,
) -> ServiceRecord:
    """Create one record from checked inputs (the create services; imports store in bulk)."""
    record = ServiceRecord(
        engineer=engineer,
        customer=customer,
        part=part,
        service_date=service_date,
        oem=(oem or "").strip(),
        vehicle=(vehicle or "").strip(),
        mileage_km=mileage_km,
        quantity=quantity,
        defect=(defect or "").strip(),
        failure_mode=failure_mode,
        outcome=outcome,
        outcome_note=(outcome_note or "").strip(),
        source=source,
        created_by=actor,
        number="pending",
    )
    _validate(record)
    # The related objects were resolved (and scoped) by the caller: skip Django's per-field
    # existence queries, which would otherwise dominate a bulk import.
    save_numbered(
        record, "FSR", local_noon(service_date), actor=actor, exclude=["week_start", *RESOLVED_FKS]
    )
    if major_problem:
        _flag_major(record, actor, "")
        record.save(update_fields=["major_problem", "major_flagged_at", "major_flagged_by"])
    return record


@transaction.atomic
def service_record_create(
    *,
    actor: User,
    customer: Customer | int,
    part: Part | int,
    service_date: date,
    defect: str,
    failure_mode: str,
    outcome: str,
    engineer: User | int | None = None,
    oem: str = "",
    vehicle: str = "",
    mileage_km: int | None = None,
    quantity: int = 1,
    outcome_note: str = "",
    major_problem: bool = False,
    source: str = Source.FORM,
) -> ServiceRecord:
    """Record one service case: defect, failure mode, OEM, part, vehicle, outcome (R-5.9.4)."""
    require(actor, "record.create")
    person = _engineer_for_record(actor, engineer)
    cust = customer_for(actor, customer)
    if major_problem:
        require(actor, "record.flag_major")
    return build_record(
        actor=actor,
        engineer=person,
        customer=cust,
        part=part_for(part),
        service_date=service_date,
        defect=defect,
        failure_mode=failure_mode,
        outcome=outcome,
        oem=oem,
        vehicle=vehicle,
        mileage_km=mileage_km,
        quantity=quantity,
        outcome_note=outcome_note,
        major_problem=major_problem,
        source=source,
    )


def record_locked(record: ServiceRecord) -> bool:
    """A record that went to Sales in a submitted weekly feedback is the engineer's no more."""
    fb = record.weekly_feedback
    return fb is not None and fb.status != FeedbackStatus.DRAFT


@transaction.atomic
def service_record_update(
    *, actor: User, record: ServiceRecord, reason: str = "", **data: Any
) -> ServiceRecord:
    """Correct a record. Engineers and agents correct their own until the week's feedback
    is submitted; after that only Sales may, with a reason."""
    require(actor, "record.change")
    rec = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("weekly_feedback")
        .get(pk=record.pk)
    )
    unknown = [k for k in data if k not in EDITABLE]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    sales = is_sales_side(actor)
    if not sales and rec.engineer_id != actor.pk:
        raise ValidationError({"engineer": _("You can only correct your own service records.")})
    if record_locked(rec):
        if not sales:
            raise ValidationError(
                {
                    "service_date": _(
                        "This record was submitted to Sales in the weekly feedback; "
                        "ask Sales to correct it."
                    )
                }
            )
        required_text("reason", reason, _("Say why a submitted record is changed."))
        if "service_date" in data and deadlines.week_start(data["service_date"]) != rec.week_start:
            raise ValidationError(
                {"service_date": _("A submitted record cannot move to another week.")}
            )
    before = snapshot(rec)
    for key, value in data.items():
        if key == "customer":
            value = customer_for(actor, value)
        elif key == "part":
            value = part_for(value)
        setattr(rec, key, value.strip() if isinstance(value, str) else value)
    _validate(rec)
    return save_audited(rec, actor=actor, before=before, reason=reason, clean=True)


def _flag_major(record: ServiceRecord, actor: User | None, reason: str) -> None:
    record.major_problem = True
    record.major_flagged_at = timezone.now()
    record.major_flagged_by = actor
    summary = _("%(part)s at %(customer)s (%(oem)s): %(defect)s") % {
        "part": record.part.part_number,
        "customer": record.customer.name,
        "oem": record.oem or "—",
        "defect": record.defect,
    }
    if reason:
        summary = f"{summary}\n{reason}"
    announce_major(
        sender=ServiceRecord,
        instance=record,
        actor=actor,
        customer=record.customer,
        summary=summary,
        title=Message(
            gettext_noop("Major quality problem: %(number)s %(customer)s — %(part)s"),
            number=record.number,
            customer=record.customer.name,
            part=record.part.part_number,
        ),
        url=record.get_absolute_url(),
    )


@transaction.atomic
def service_record_flag_major(
    *, actor: User, record: ServiceRecord, reason: str = ""
) -> ServiceRecord:
    """Flag a record as a major (typical) quality problem: Sales leadership, Production
    Quality and leadership hear at once; the complaints app opens the 8D (R-5.9.5)."""
    require(actor, "record.flag_major")
    rec = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("customer", "part")
        .get(pk=record.pk)
    )
    if rec.major_problem:
        return rec
    before = snapshot(rec)
    _flag_major(rec, actor, (reason or "").strip())
    return save_audited(rec, actor=actor, before=before, reason=reason)


@transaction.atomic
def handling_decide(
    *,
    actor: User,
    record: ServiceRecord,
    confirmed_our_problem: bool,
    repairable: bool,
    handling: str,
    quantity: int | None = None,
    notes: str = "",
    major: bool = False,
) -> HandlingDecision:
    """R-5.3.4.2: once confirmed as our product's quality problem, repair what can be repaired,
    otherwise take it back or replace it. A major problem goes to Sales leadership at once."""
    require(actor, "handling.decide")
    rec = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("customer", "part")
        .get(pk=record.pk)
    )
    if not confirmed_our_problem:
        raise ValidationError(
            {
                "confirmed_our_problem": _(
                    "Repair or return/replace is decided once the fault is confirmed as our "
                    "product's quality problem (R-5.3.4.2)."
                )
            }
        )
    if rec.outcome == Outcome.NOT_OURS:
        raise ValidationError(
            {"confirmed_our_problem": _("The record says this is not our quality problem.")}
        )
    if handling not in Handling.values:
        raise ValidationError({"handling": _("Choose repair, return or replace.")})
    if handling not in rules.allowed_handling(bool(repairable)):
        msg = (
            _("It can be repaired, so it is repaired (能修则修).")
            if repairable
            else _("It cannot be repaired: return or replace it (不能修则退换).")
        )
        raise ValidationError({"handling": msg})
    qty = rec.quantity if quantity is None else positive("quantity", quantity)
    if qty > rec.quantity:
        raise ValidationError(
            {"quantity": _("The record has only %d failed unit(s).") % rec.quantity}
        )
    decision = HandlingDecision.objects.filter(record=rec).first()
    before = snapshot(decision) if decision else None
    if decision is None:
        decision = HandlingDecision(record=rec, created_by=actor)
    decision.confirmed_our_problem = True
    decision.repairable = bool(repairable)
    decision.handling = handling
    decision.quantity = qty
    decision.notes = (notes or "").strip()
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    save_audited(decision, actor=actor, before=before, clean=True)
    rec_before = snapshot(rec)
    if rec.outcome == Outcome.PENDING:
        rec.outcome = HANDLING_OUTCOME[Handling(handling)]
    if major and not rec.major_problem:
        _flag_major(rec, actor, decision.notes)
    save_audited(rec, actor=actor, before=rec_before)
    return decision
