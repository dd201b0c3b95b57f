"""Between a claim and the pure rule (`rules.py`): check the inputs with messages a person
understands, run the rule with the customer's agreements, and write the result onto a claim
and into a `WarrantyDecisionRecord`.

The single-claim services and the bulk import both go through these functions, so a claim
gets the same decision whichever way it arrives (warranty-rules.md: "the same answer through
the web form, the API, a bulk import and a re-run months later").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..domain import rules
from ..models import Decision, DecisionKind, Remedy, Status, WarrantyClaim, WarrantyDecisionRecord

KM_STEP = Decimal("0.1")  # odometer readings are kept to 0.1 km (the field's precision)
MAX_KM = Decimal("99999999.9")
FINDING_ORDER = [f.value for f in rules.Finding]
# Fields of the rule's errors that are not claim fields, and the claim field to name instead.
RULE_FIELD_TO_CLAIM = {
    "agreements": "customer",
    "warranty_months": "customer",
    "warranty_km": "customer",
    "agreement_terms": "customer",
}


@dataclass(frozen=True, slots=True)
class Inputs:
    """The rule's inputs as a claim stores them (mileage rounded to 0.1 km, findings as a
    sorted tuple of codes), so that the decision is made on exactly what is kept."""

    purchase_date: date | None
    failure_date: date | None
    mileage_km: Decimal | None
    findings: tuple[str, ...]
    repairable: bool | None

    @classmethod
    def of(cls, claim: WarrantyClaim) -> Inputs:
        return cls(
            claim.purchase_date,
            claim.failure_date,
            claim.mileage_km,
            tuple(claim.findings or ()),
            claim.repairable,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "purchase_date": self.purchase_date.isoformat() if self.purchase_date else None,
            "failure_date": self.failure_date.isoformat() if self.failure_date else None,
            "mileage_km": None if self.mileage_km is None else str(self.mileage_km),
            "findings": list(self.findings),
            "repairable": self.repairable,
        }


def to_mileage(value: Any) -> Decimal | None:
    """A reading as Decimal to 0.1 km; ValueError for what is not a finite number."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number.quantize(KM_STEP, rounding=ROUND_HALF_UP)


def sorted_findings(codes: Iterable[str]) -> tuple[str, ...]:
    unique = set(codes)
    known = [c for c in FINDING_ORDER if c in unique]
    return tuple(known + sorted(unique - set(known)))


def make_inputs(
    *,
    purchase_date: date | None,
    failure_date: date | None,
    mileage_km: Any,
    findings: Iterable[str] | None,
    repairable: bool | None,
) -> tuple[Inputs, dict[str, str]]:
    """Normalise the inputs and check them (decision step 1); errors keyed by field."""
    errors: dict[str, str] = {}
    try:
        mileage = to_mileage(mileage_km)
    except ValueError:
        mileage = None
        errors["mileage_km"] = _("The mileage must be a number of kilometres.")
    if isinstance(findings, str | bytes) or findings is None:
        findings = [] if findings is None or findings in ("", b"") else [str(findings)]
    codes = sorted_findings(str(code).strip() for code in findings if str(code).strip())
    # A time of day means nothing here (the rule refuses datetimes); keep the calendar date.
    if isinstance(purchase_date, datetime):
        purchase_date = purchase_date.date()
    if isinstance(failure_date, datetime):
        failure_date = failure_date.date()
    inputs = Inputs(purchase_date, failure_date, mileage, codes, repairable)
    errors.update(check_inputs(inputs))
    return inputs, errors


def check_inputs(inputs: Inputs) -> dict[str, str]:
    """What the rule would refuse, as messages for people (warranty-rules.md, step 1)."""
    errors: dict[str, str] = {}
    if inputs.failure_date is None:
        errors["failure_date"] = _("The failure date is required.")
    elif inputs.purchase_date is not None and inputs.failure_date < inputs.purchase_date:
        errors["failure_date"] = _(
            "The failure date %(failure)s is before the purchase date %(purchase)s."
        ) % {"failure": inputs.failure_date, "purchase": inputs.purchase_date}
    if inputs.mileage_km is not None:
        if inputs.mileage_km < 0:
            errors["mileage_km"] = _("The mileage cannot be negative.")
        elif inputs.mileage_km > MAX_KM:
            errors["mileage_km"] = _("The mileage is implausibly large.")
    computed = [c for c in inputs.findings if c not in rules.FINDING_CODES]
    if computed:
        rule_made = [c for c in computed if c in rules.Reason._value2member_map_]
        if rule_made:
            errors["findings"] = _(
                "%(codes)s is worked out by the rule from the dates and the mileage; "
                "it is not an inspection finding."
            ) % {"codes": ", ".join(rule_made)}
        else:
            errors["findings"] = _("Unknown finding code %(codes)s. Known codes: %(known)s.") % {
                "codes": ", ".join(computed),
                "known": ", ".join(FINDING_ORDER),
            }
    if inputs.repairable is not None and not isinstance(inputs.repairable, bool):
        errors["repairable"] = _("Say yes, no, or leave it empty.")
    return errors


def run_rule(
    inputs: Inputs, agreements: Iterable[Any]
) -> tuple[rules.WarrantyDecision, Any | None]:
    """The rule's decision with the terms of the agreement in force on the purchase date,
    and that agreement (or None). Raises ValidationError naming the field."""
    try:
        applied = rules.agreement_applied(agreements, inputs.purchase_date)
        agreement, terms = applied if applied is not None else (None, None)
        result = rules.decide(
            purchase_date=inputs.purchase_date,
            failure_date=inputs.failure_date,
            mileage_km=inputs.mileage_km,
            findings=inputs.findings,
            repairable=inputs.repairable,
            agreement_terms=terms,
        )
    except rules.WarrantyInputError as exc:
        field = RULE_FIELD_TO_CLAIM.get(exc.field, exc.field)
        if exc.field == "agreements":
            message = _(
                "Two of the customer's service agreements with different terms start on the "
                "same day; correct the agreements first."
            )
        else:
            message = exc.message
        raise ValidationError({field: message}) from None
    return result, agreement


def status_for(decision: str) -> Status:
    """Registered while the rule needs a human, decided once the decision is definite."""
    return Status.REGISTERED if decision == Decision.NEEDS_REVIEW else Status.DECIDED


def rule_values(
    inputs: Inputs,
    result: rules.WarrantyDecision,
    agreement: Any | None,
    now: datetime | None,
) -> dict[str, Any]:
    """The claim's fields (attribute names) the rule's result sets: the inputs, the rule's
    decision, and no override (an earlier one was made on other inputs and stays in the
    decision history)."""
    return {
        "purchase_date": inputs.purchase_date,
        "failure_date": inputs.failure_date,
        "mileage_km": inputs.mileage_km,
        "findings": list(inputs.findings),
        "repairable": inputs.repairable,
        "rule_decision": result.decision.value,
        "rule_remedy": result.remedy.value if result.remedy else "",
        "reasons": [r.value for r in result.reasons],
        "last_covered_day": result.last_covered_day,
        "km_limit": result.km_limit,
        "warranty_months": result.months,
        "terms_from_agreement": result.terms_from_agreement,
        "agreement_id": _pk(agreement),
        "rule_version": result.rule_version,
        "rule_result": result.as_dict(),
        "decided_at": now,
        "override_decision": "",
        "override_remedy": "",
        "override_reason": "",
        "overridden_at": None,
        "overridden_by_id": None,
        "decision": result.decision.value,
        "remedy": result.remedy.value if result.remedy else "",
    }


def apply_rule(
    claim: WarrantyClaim,
    inputs: Inputs,
    result: rules.WarrantyDecision,
    agreement: Any | None,
    now: datetime,
) -> None:
    """Write the inputs and the rule's result onto the claim (see `rule_values`)."""
    for name, value in rule_values(inputs, result, agreement, now).items():
        setattr(claim, name, value)


def _pk(agreement: Any | None) -> int | None:
    if agreement is None:
        return None
    return agreement["id"] if isinstance(agreement, Mapping) else agreement.pk


def agreement_json(agreement: Any | None) -> dict[str, Any] | None:
    if agreement is None:
        return None

    def get(name: str) -> Any:
        return agreement.get(name) if isinstance(agreement, Mapping) else getattr(agreement, name)

    valid_to = get("valid_to")
    return {
        "id": _pk(agreement),
        "reference": get("reference") or "",
        "valid_from": get("valid_from").isoformat(),
        "valid_to": valid_to.isoformat() if valid_to else None,
        "warranty_months": get("warranty_months"),
        "warranty_km": get("warranty_km"),
    }


def rule_record_values(
    *,
    customer_id: int,
    inputs: Inputs,
    result: rules.WarrantyDecision,
    agreement: Any | None,
    result_dict: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields of a rule's history row that the decision itself gives (`result_dict`:
    `result.as_dict()` when the caller has it already)."""
    return {
        "kind": DecisionKind.RULE,
        "decision": result.decision.value,
        "remedy": result.remedy.value if result.remedy else "",
        "reasons": [r.value for r in result.reasons],
        "inputs": {
            "customer": customer_id,
            **inputs.as_json(),
            "agreement": agreement_json(agreement),
        },
        "result": result_dict if result_dict is not None else result.as_dict(),
        "rule_version": result.rule_version,
    }


def rule_record(
    claim: WarrantyClaim,
    *,
    seq: int,
    inputs: Inputs,
    result: rules.WarrantyDecision,
    agreement: Any | None,
    actor: Any,
    actor_label: str,
    now: datetime,
    note: str = "",
) -> WarrantyDecisionRecord:
    """An unsaved history row for a decision of the rule."""
    return WarrantyDecisionRecord(
        claim=claim,
        seq=seq,
        note=note,
        decided_at=now,
        decided_by=actor,
        actor_label=actor_label,
        **rule_record_values(
            customer_id=claim.customer_id, inputs=inputs, result=result, agreement=agreement
        ),
    )


def remedy_if_covered(claim: WarrantyClaim) -> str:
    """The remedy R-5.3.4.2 gives a covered claim: the rule's, else by `repairable`."""
    if claim.rule_remedy:
        return claim.rule_remedy
    return Remedy.REPAIR if claim.repairable is True else Remedy.REPLACE
