"""Every write to a warranty claim goes through these services (R-5.6, R-5.3.4.2).

Each checks the permission, validates (errors keyed by field), saves, records the decision
history and writes the audit entry in one transaction. The state machine is in
`models.TRANSITIONS`; `_transition` is the only place a claim's status changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.audit import AuditAction, actor_label, audit_create, audit_update, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition
from serviceloop.core.validation import required_text
from serviceloop.customers.models import Customer, ServiceAgreement

from ..models import (
    FINAL,
    INPUTS_OPEN,
    TRANSITIONS,
    Decision,
    DecisionKind,
    Remedy,
    Status,
    WarrantyClaim,
    WarrantyDecisionRecord,
)
from . import deciding

NUMBER_PREFIX = "WC"
INPUT_FIELDS = ("purchase_date", "failure_date", "mileage_km", "findings", "repairable")
DETAIL_FIELDS = (
    "reported_on",
    "part_number",
    "part_name",
    "serial_number",
    "lot",
    "build_month",
    "oem",
    "vin",
    "vehicle_model",
    "failure_mode",
    "description",
    "replacement_serial",
)
COST_FIELDS = ("cost_parts", "cost_labour", "cost_travel")
# Fields the rule fills in; excluded from validation before the rule has run.
RULE_FIELDS = (
    "number",
    "rule_decision",
    "km_limit",
    "warranty_months",
    "terms_from_agreement",
    "rule_version",
    "decided_at",
    "decision",
    "reasons",
)


def _set_fields(claim: WarrantyClaim, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for key in allowed:
        if key in data:
            value = data[key]
            if key in COST_FIELDS:
                value = _money(value)
            elif value is None and key != "reported_on":
                value = ""
            if key == "reported_on" and value is None:
                value = timezone.localdate()
            setattr(claim, key, value.strip() if isinstance(value, str) else value)
    claim.cost_total = _total(claim)


def _money(value: Any) -> Any:
    """Decimal to the cent where that loses nothing; anything else is left to validation."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
        cents = amount.quantize(Decimal("0.01"))
    except ArithmeticError:
        return value
    return cents if cents == amount else amount


def _total(claim: WarrantyClaim) -> Decimal:
    try:
        return sum(
            (Decimal(str(getattr(claim, f) or 0)) for f in COST_FIELDS), start=Decimal("0")
        ).quantize(Decimal("0.01"))
    except ArithmeticError:
        return Decimal("0")


def _merge(errors: dict[str, Any], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, messages)


def find_duplicate(claim: WarrantyClaim) -> WarrantyClaim | None:
    """Another claim for the same part (customer + serial number) failing on the same day."""
    if not claim.serial_number or claim.failure_date is None:
        return None
    return (
        WarrantyClaim.objects.filter(
            customer_id=claim.customer_id,
            serial_number=claim.serial_number,
            failure_date=claim.failure_date,
        )
        .exclude(pk=claim.pk)
        .first()
    )


def _check_duplicate(claim: WarrantyClaim) -> None:
    other = find_duplicate(claim)
    if other is not None:
        raise ValidationError(
            {
                "serial_number": _(
                    "This part already has a claim for a failure on the same day: %(number)s."
                )
                % {"number": other.number}
            }
        )


def _agreements(customer_id: int) -> list[ServiceAgreement]:
    return list(ServiceAgreement.objects.filter(customer_id=customer_id))


def _next_seq(claim: WarrantyClaim) -> int:
    last = claim.decisions.aggregate(m=Max("seq"))["m"]
    return (last or 0) + 1


@transaction.atomic
def claim_create(
    *,
    actor: User | None,
    customer: Customer | int | None,
    failure_date: Any,
    purchase_date: Any = None,
    mileage_km: Any = None,
    findings: Any = (),
    repairable: bool | None = None,
    system: str = "",
    **details: Any,
) -> WarrantyClaim:
    """Register a claim and decide it by the rule at once (R-5.6). It starts as *registered*
    when the rule needs a human, else as *decided*."""
    if actor is not None:
        require(actor, "warranty.create")
    unknown = [k for k in details if k not in DETAIL_FIELDS + COST_FIELDS]
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    cust = customer_for(actor, customer)
    inputs, errors = deciding.make_inputs(
        purchase_date=purchase_date,
        failure_date=failure_date,
        mileage_km=mileage_km,
        findings=findings,
        repairable=repairable,
    )
    claim = WarrantyClaim(customer=cust, created_by=actor, number="pending")
    _set_fields(claim, details, DETAIL_FIELDS + COST_FIELDS)
    claim.purchase_date, claim.mileage_km = inputs.purchase_date, inputs.mileage_km
    claim.failure_date = inputs.failure_date  # type: ignore[assignment]
    claim.findings, claim.repairable = list(inputs.findings), inputs.repairable
    try:
        claim.full_clean(exclude=[*RULE_FIELDS, *errors])
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    result, agreement = deciding.run_rule(inputs, _agreements(cust.pk))
    deciding.apply_rule(claim, inputs, result, agreement, now)
    claim.status = deciding.status_for(claim.decision)
    _check_duplicate(claim)
    claim.number = next_number(NUMBER_PREFIX, now)
    claim.save()
    audit_create(actor=actor, obj=claim, system=system)
    deciding.rule_record(
        claim,
        seq=1,
        inputs=inputs,
        result=result,
        agreement=agreement,
        actor=actor,
        actor_label=actor_label(actor, system),
        now=now,
    ).save()
    return claim


def _locked(claim: WarrantyClaim) -> WarrantyClaim:
    return WarrantyClaim.objects.select_for_update().select_related("customer").get(pk=claim.pk)


def _refuse_final(claim: WarrantyClaim) -> None:
    if claim.status in FINAL:
        raise ValidationError(
            {"status": _("A settled or closed claim cannot be changed any more.")}
        )


def _redecide(
    claim: WarrantyClaim, inputs: deciding.Inputs, actor: User | None, note: str, system: str
) -> WarrantyDecisionRecord:
    now = timezone.now()
    result, agreement = deciding.run_rule(inputs, _agreements(claim.customer_id))
    deciding.apply_rule(claim, inputs, result, agreement, now)
    transition(
        claim,
        deciding.status_for(claim.decision),
        actor=actor,
        table=TRANSITIONS,
        may_stay=True,
        save=False,
    )
    record = deciding.rule_record(
        claim,
        seq=_next_seq(claim),
        inputs=inputs,
        result=result,
        agreement=agreement,
        actor=actor,
        actor_label=actor_label(actor, system),
        now=now,
        note=note,
    )
    record.save()
    return record


@transaction.atomic
def claim_update(
    *, actor: User, claim: WarrantyClaim, reason: str = "", system: str = "", **data: Any
) -> WarrantyClaim:
    """Correct a claim. A change of the customer or of a decision input re-decides by the rule
    (kept in the history; an earlier override no longer applies) — allowed only while the
    claim is registered or decided. Part, vehicle and cost details may change until the claim
    is settled or closed."""
    require(actor, "warranty.change")
    claim = _locked(claim)
    _refuse_final(claim)
    allowed = ("customer", *INPUT_FIELDS, *DETAIL_FIELDS, *COST_FIELDS)
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    before = snapshot(claim)
    current = deciding.Inputs.of(claim)
    merged = {name: data.get(name, getattr(current, name)) for name in INPUT_FIELDS}
    inputs, errors = deciding.make_inputs(**merged)
    customer_changed = "customer" in data and _pk_of(data["customer"]) != claim.customer_id
    if (inputs != current or customer_changed) and claim.status not in INPUTS_OPEN:
        field = (
            "customer"
            if customer_changed
            else next(
                (n for n in INPUT_FIELDS if getattr(inputs, n) != getattr(current, n)), "status"
            )
        )
        errors.setdefault(
            field,
            _("The decision inputs can only change before approval; reopen the claim first."),
        )
    if customer_changed:
        try:
            claim.customer = customer_for(actor, data["customer"])
        except ValidationError as exc:
            _merge(errors, exc)
    _set_fields(claim, data, DETAIL_FIELDS + COST_FIELDS)
    if not errors:  # so that the field checks see the new dates
        claim.purchase_date, claim.mileage_km = inputs.purchase_date, inputs.mileage_km
        claim.failure_date = inputs.failure_date  # type: ignore[assignment]
    try:
        claim.full_clean(exclude=[*RULE_FIELDS, *errors, *INPUT_FIELDS])
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    if inputs != current or customer_changed:
        _redecide(claim, inputs, actor, reason, system)
    _check_duplicate(claim)
    claim.save()
    status_changed = before["status"] != claim.status
    audit_update(
        actor=actor,
        obj=claim,
        before=before,
        reason=reason,
        system=system,
        action=AuditAction.TRANSITION if status_changed else AuditAction.UPDATE,
    )
    return claim


def _pk_of(value: Any) -> Any:
    return value.pk if isinstance(value, Customer) else value


@transaction.atomic
def claim_redecide(*, actor: User, claim: WarrantyClaim, reason: str = "") -> bool:
    """Run the rule again on the unchanged inputs, e.g. after the customer's service agreement
    was corrected. Records a new decision only when the outcome or the terms differ."""
    require(actor, "warranty.change")
    claim = _locked(claim)
    if claim.status not in INPUTS_OPEN:
        raise ValidationError(
            {"status": _("Only a registered or decided claim can be decided again.")}
        )
    inputs = deciding.Inputs.of(claim)
    result, agreement = deciding.run_rule(inputs, _agreements(claim.customer_id))
    if result.as_dict() == claim.rule_result and deciding._pk(agreement) == claim.agreement_id:
        return False
    before = snapshot(claim)
    _redecide(claim, inputs, actor, reason or _("Decided again on the same inputs."), "")
    save_audited(claim, actor=actor, before=before, reason=reason, action=AuditAction.TRANSITION)
    return True


@transaction.atomic
def claim_override(
    *,
    actor: User,
    claim: WarrantyClaim,
    reason: str,
    decision: str | None = None,
    remedy: str | None = None,
) -> WarrantyClaim:
    """Quality Management or Sales leadership sets the rule's decision and/or remedy aside,
    with a recorded reason (shown distinctly on the claim). A covered claim keeps or gets a
    remedy — `refund` only this way, as the user's choice (R-3.3); any other has none."""
    require(actor, "warranty.override")
    claim = _locked(claim)
    if claim.status not in INPUTS_OPEN:
        raise ValidationError(
            {"status": _("Reopen an approved or rejected claim before overriding it.")}
        )
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Record why the rule's decision is set aside.")
    if decision and decision not in (Decision.COVERED, Decision.NOT_COVERED):
        errors["decision"] = _("Override to covered or not covered.")
    if remedy and remedy not in Remedy.values:
        errors["remedy"] = _("Unknown remedy.")
    new_decision = decision or claim.decision
    if new_decision == Decision.NEEDS_REVIEW and "decision" not in errors:
        errors["decision"] = _("Decide covered or not covered; a remedy alone cannot settle it.")
    if new_decision == Decision.COVERED:
        new_remedy = remedy or (
            claim.remedy
            if claim.decision == Decision.COVERED
            else deciding.remedy_if_covered(claim)
        )
    else:
        new_remedy = ""
        if remedy and "decision" not in errors:
            errors["remedy"] = _("Only a covered claim gets a remedy.")
    if not errors and (new_decision, new_remedy) == (claim.decision, claim.remedy):
        errors["decision"] = _("This is already the decision in force.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(claim)
    now = timezone.now()
    claim.override_decision, claim.override_remedy = new_decision, new_remedy
    claim.override_reason, claim.overridden_at, claim.overridden_by = reason, now, actor
    claim.decision, claim.remedy = new_decision, new_remedy
    transition(claim, Status.DECIDED, actor=actor, table=TRANSITIONS, may_stay=True, save=False)
    claim.save()
    WarrantyDecisionRecord.objects.create(
        claim=claim,
        seq=_next_seq(claim),
        kind=DecisionKind.OVERRIDE,
        decision=new_decision,
        remedy=new_remedy,
        reasons=list(claim.reasons),
        inputs={"customer": claim.customer_id, **deciding.Inputs.of(claim).as_json()},
        result={
            "decision": new_decision,
            "remedy": new_remedy or None,
            "rule_decision": claim.rule_decision,
            "rule_remedy": claim.rule_remedy or None,
        },
        rule_version=claim.rule_version,
        note=reason,
        decided_at=now,
        decided_by=actor,
        actor_label=actor_label(actor),
    )
    audit_update(
        actor=actor,
        obj=claim,
        before=before,
        reason=reason,
        action=AuditAction.TRANSITION if before["status"] != claim.status else AuditAction.UPDATE,
    )
    return claim


def _review(actor: User, claim: WarrantyClaim, to: str, need: str, note: str) -> WarrantyClaim:
    require(actor, "warranty.approve")
    claim = _locked(claim)
    if claim.status != Status.DECIDED:
        transition(
            claim, to, actor=actor, table=TRANSITIONS, save=False
        )  # raises: names the states
    if claim.decision != need:
        message = (
            _("Only a covered claim can be approved; override the decision first.")
            if to == Status.APPROVED
            else _("Only a claim decided as not covered can be rejected; override it first.")
        )
        raise ValidationError({"decision": message})
    before = snapshot(claim)
    transition(claim, to, actor=actor, table=TRANSITIONS, save=False)
    claim.reviewed_at, claim.reviewed_by, claim.review_note = timezone.now(), actor, note.strip()
    return save_audited(claim, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def claim_approve(*, actor: User, claim: WarrantyClaim, note: str = "") -> WarrantyClaim:
    """Accept a covered claim under the warranty; its remedy is then carried out."""
    return _review(actor, claim, Status.APPROVED, Decision.COVERED, note or "")


@transaction.atomic
def claim_reject(*, actor: User, claim: WarrantyClaim, note: str = "") -> WarrantyClaim:
    """Decline a claim decided as not covered; the customer is then told why."""
    return _review(actor, claim, Status.REJECTED, Decision.NOT_COVERED, note or "")


@transaction.atomic
def claim_reopen(*, actor: User, claim: WarrantyClaim, reason: str) -> WarrantyClaim:
    """Take an approved or rejected claim back to *decided*, e.g. on new evidence."""
    require(actor, "warranty.approve")
    claim = _locked(claim)
    required_text("reason", reason, _("Record why the claim is reopened."))
    before = snapshot(claim)
    transition(claim, Status.DECIDED, actor=actor, table=TRANSITIONS, save=False)
    claim.reviewed_at, claim.reviewed_by, claim.review_note = None, None, ""
    return save_audited(
        claim, actor=actor, before=before, reason=reason.strip(), action=AuditAction.TRANSITION
    )


@transaction.atomic
def claim_settle(
    *,
    actor: User,
    claim: WarrantyClaim,
    note: str = "",
    replacement_serial: str | None = None,
    **costs: Any,
) -> WarrantyClaim:
    """Record that the remedy was carried out and the costs booked (final). A replaced part
    needs the replacement's serial number."""
    require(actor, "warranty.settle")
    claim = _locked(claim)
    unknown = [k for k in costs if k not in COST_FIELDS]
    if unknown:
        raise ValidationError({k: _("This field cannot be set here.") for k in unknown})
    before = snapshot(claim)
    transition(claim, Status.SETTLED, actor=actor, table=TRANSITIONS, save=False)
    if replacement_serial is not None:
        claim.replacement_serial = replacement_serial.strip()
    _set_fields(claim, {k: v for k, v in costs.items() if v is not None}, COST_FIELDS)
    if claim.remedy == Remedy.REPLACE and not claim.replacement_serial:
        raise ValidationError(
            {"replacement_serial": _("Give the serial number of the part sent as replacement.")}
        )
    claim.settled_at, claim.settled_by, claim.settlement_note = timezone.now(), actor, note.strip()
    claim.full_clean(exclude=["number"])
    return save_audited(claim, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def claim_close(*, actor: User, claim: WarrantyClaim, reason: str) -> WarrantyClaim:
    """Close a rejected claim once the customer has been told, or withdraw an undecided or
    decided one (final). The note says how the customer was told, or why it was withdrawn."""
    require(actor, "warranty.settle")
    claim = _locked(claim)
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say how the customer was told, or why the claim is withdrawn.")}
        )
    before = snapshot(claim)
    transition(claim, Status.CLOSED, actor=actor, table=TRANSITIONS, save=False)
    claim.closed_at, claim.closed_by, claim.close_reason = timezone.now(), actor, reason.strip()
    return save_audited(
        claim, actor=actor, before=before, reason=reason.strip(), action=AuditAction.TRANSITION
    )
