"""Warranty (三包) decision rule, R-5.6 — exactly as written in `spec/warranty-rules.md`.

Pure: no database, no Django, no clock. The same inputs give the same decision through the
web form, the API, a bulk import and a re-run months later; `RULE_VERSION` is stored with
each decision so that a later change of the rule can be told apart in the history.

Reason order is stable and documented: exclusions follow the clauses of R-5.6.2 (clause 1:
improper_installation, improper_use, modification, improper_disassembly; clause 2:
origin_unproven; clause 3: expired_time, expired_mileage; clause 4: appearance_poor_care;
clause 5: non_original_parts); coverage grounds follow R-5.6.1 (material_nonconformity,
then manufacturing_defect). The order and any duplicates of the `findings` input never matter.
"""

from __future__ import annotations

import calendar
import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

RULE_VERSION = "2026.1"
DEFAULT_MONTHS = 12  # R-5.6.1.1: 1 year ...
DEFAULT_KM = 30_000  # ... or 30,000 km, whichever comes first


class Finding(StrEnum):
    """What inspection established — the only codes `decide(findings=...)` accepts."""

    MATERIAL_NONCONFORMITY = "material_nonconformity"  # covered, R-5.6.1.2
    MANUFACTURING_DEFECT = "manufacturing_defect"  # covered, R-5.6.1.3
    IMPROPER_INSTALLATION = "improper_installation"  # excluded, R-5.6.2 clause 1
    IMPROPER_USE = "improper_use"  # clause 1
    MODIFICATION = "modification"  # clause 1
    IMPROPER_DISASSEMBLY = "improper_disassembly"  # clause 1
    ORIGIN_UNPROVEN = "origin_unproven"  # clause 2
    APPEARANCE_POOR_CARE = "appearance_poor_care"  # clause 4
    NON_ORIGINAL_PARTS = "non_original_parts"  # clause 5


class Reason(StrEnum):
    """Codes a decision gives as reasons: the findings plus those the rule computes."""

    MATERIAL_NONCONFORMITY = "material_nonconformity"
    MANUFACTURING_DEFECT = "manufacturing_defect"
    IMPROPER_INSTALLATION = "improper_installation"
    IMPROPER_USE = "improper_use"
    MODIFICATION = "modification"
    IMPROPER_DISASSEMBLY = "improper_disassembly"
    ORIGIN_UNPROVEN = "origin_unproven"
    EXPIRED_TIME = "expired_time"  # clause 3, computed from the dates
    EXPIRED_MILEAGE = "expired_mileage"  # clause 3, computed from the odometer
    APPEARANCE_POOR_CARE = "appearance_poor_care"
    NON_ORIGINAL_PARTS = "non_original_parts"
    PURCHASE_DATE_MISSING = "purchase_date_missing"  # needs_review
    NO_COVERED_DEFECT_CONFIRMED = "no_covered_defect_confirmed"  # needs_review


class Decision(StrEnum):
    COVERED = "covered"
    NOT_COVERED = "not_covered"
    NEEDS_REVIEW = "needs_review"


class Remedy(StrEnum):
    """R-5.3.4.2: repair if repairable, else replace. The rule never suggests `refund`;
    it is recorded only when the user chooses it."""

    REPAIR = "repair"
    REPLACE = "replace"
    REFUND = "refund"


COVERAGE_GROUNDS: tuple[Reason, ...] = (Reason.MATERIAL_NONCONFORMITY, Reason.MANUFACTURING_DEFECT)
# Exclusion reasons in their documented order, each with its clause of.
EXCLUSION_CLAUSES: dict[Reason, int] = {
    Reason.IMPROPER_INSTALLATION: 1,
    Reason.IMPROPER_USE: 1,
    Reason.MODIFICATION: 1,
    Reason.IMPROPER_DISASSEMBLY: 1,
    Reason.ORIGIN_UNPROVEN: 2,
    Reason.EXPIRED_TIME: 3,
    Reason.EXPIRED_MILEAGE: 3,
    Reason.APPEARANCE_POOR_CARE: 4,
    Reason.NON_ORIGINAL_PARTS: 5,
}
EXCLUSION_ORDER = tuple(EXCLUSION_CLAUSES)
FINDING_CODES = frozenset(f.value for f in Finding)
EXCLUSION_FINDINGS = frozenset(Finding(r) for r in EXCLUSION_ORDER if r in FINDING_CODES)
# The requirement each non-exclusion reason cites.
_REFS = {
    Reason.MATERIAL_NONCONFORMITY: "R-5.6.1.2",
    Reason.MANUFACTURING_DEFECT: "R-5.6.1.3",
    Reason.PURCHASE_DATE_MISSING: "R-5.6.1.1",
    Reason.NO_COVERED_DEFECT_CONFIRMED: "R-5.6.1.2/R-5.6.1.3",
}

# Wording for UIs and `explain()`, one table per language: reason, decision and remedy
# codes map to labels, the other keys to sentence templates.
_ZH: dict[str, str] = {
    Reason.MATERIAL_NONCONFORMITY: "材料不符合公司技术文件或标准",
    Reason.MANUFACTURING_DEFECT: "制造缺陷影响正常使用",
    Reason.IMPROPER_INSTALLATION: "未按产品说明书安装",
    Reason.IMPROPER_USE: "使用不当",
    Reason.MODIFICATION: "改装造成损坏",
    Reason.IMPROPER_DISASSEMBLY: "拆卸不当造成损坏",
    Reason.ORIGIN_UNPROVEN: "无法证明为本公司生产和销售的产品",
    Reason.EXPIRED_TIME: "超出三包有效期",
    Reason.EXPIRED_MILEAGE: "超出三包里程",
    Reason.APPEARANCE_POOR_CARE: "保管不善造成的外观缺陷(严重锈蚀、磕碰、跌落裂纹、缺件)",
    Reason.NON_ORIGINAL_PARTS: "经改装或使用非原厂零件装配",
    Reason.PURCHASE_DATE_MISSING: "缺少购买日期",
    Reason.NO_COVERED_DEFECT_CONFIRMED: "未确认属于三包范围的质量缺陷",
    Decision.COVERED: "属于三包范围",
    Decision.NOT_COVERED: "不属于三包范围",
    Decision.NEEDS_REVIEW: "需人工复核",
    Remedy.REPAIR: "维修(能修则修)",
    Remedy.REPLACE: "更换(不能修则退换)",
    Remedy.REFUND: "退货(用户选择)",
    "head": "结论:{label}。",
    "with_remedy": "{label},建议处理方式:{remedy}",
    "reason": "{label}({cite})。",
    "clause": "{ref} 第 {n} 项",
    "late": "{label}:故障日期 {failed} 晚于保修截止日 {last}",
    "far": "{label}:故障时里程 {km} km,超过 {limit} km",
    "term": "购买日期 {bought},保修期 {months} 个月,保修至 {last}(含)。",
    "no_term": "未提供购买日期,无法判断是否超出 {months} 个月保修期。",
    "km": "里程限额 {limit} km(含);故障时里程 {km} km。",
    "no_km": "里程限额 {limit} km(含);未提供里程。",
    "agreement": "保修条款按购买日生效的客户服务协议,协议未规定的条款取默认值(R-5.6.1.1)。",
    "default": "默认保修条款:{months} 个月或 {limit} km,以先到者为准(R-5.6.1.1)。",
    "version": "判定规则版本 {version}。",
}
_EN: dict[str, str] = {
    Reason.MATERIAL_NONCONFORMITY: "Material not conforming to the company's specifications",
    Reason.MANUFACTURING_DEFECT: "Manufacturing defect that impairs normal use",
    Reason.IMPROPER_INSTALLATION: "Not installed per the instructions",
    Reason.IMPROPER_USE: "Improper use",
    Reason.MODIFICATION: "Damage caused by modification",
    Reason.IMPROPER_DISASSEMBLY: "Damage caused by improper disassembly",
    Reason.ORIGIN_UNPROVEN: "Not provably made and sold by the company",
    Reason.EXPIRED_TIME: "Outside the warranty period",
    Reason.EXPIRED_MILEAGE: "Beyond the warranty mileage",
    Reason.APPEARANCE_POOR_CARE: "Appearance defect from poor care (rust, dents, drop cracks, "
    "missing parts)",
    Reason.NON_ORIGINAL_PARTS: "Modified or assembled with non-original parts",
    Reason.PURCHASE_DATE_MISSING: "Purchase date missing",
    Reason.NO_COVERED_DEFECT_CONFIRMED: "No covered defect confirmed",
    Decision.COVERED: "covered by the warranty",
    Decision.NOT_COVERED: "not covered by the warranty",
    Decision.NEEDS_REVIEW: "needs review",
    Remedy.REPAIR: "repair (it can be repaired)",
    Remedy.REPLACE: "replace (it cannot be repaired)",
    Remedy.REFUND: "refund (the user's choice)",
    "head": "Decision: {label}.",
    "with_remedy": "{label}; suggested remedy: {remedy}",
    "reason": "{label} ({cite}).",
    "clause": "{ref} clause {n}",
    "late": "{label}: failed {failed}, after {last}",
    "far": "{label}: {km} km at failure, over {limit} km",
    "term": "Purchased {bought}; {months}-month term; covered through {last} inclusive.",
    "no_term": "No purchase date given, so the {months}-month term cannot be checked.",
    "km": "Mileage limit {limit} km inclusive; {km} km at failure.",
    "no_km": "Mileage limit {limit} km inclusive; no odometer reading given.",
    "agreement": "Terms from the customer's service agreement in force on the purchase date; "
    "a term it does not set keeps the default (R-5.6.1.1).",
    "default": "Default terms: {months} months or {limit} km, whichever comes first (R-5.6.1.1).",
    "version": "Rule version {version}.",
}
REASON_LABELS: dict[str, tuple[str, str]] = {r: (_ZH[r], _EN[r]) for r in Reason}
DECISION_LABELS: dict[str, tuple[str, str]] = {d: (_ZH[d], _EN[d]) for d in Decision}
REMEDY_LABELS: dict[str, tuple[str, str]] = {r: (_ZH[r], _EN[r]) for r in Remedy}


class WarrantyInputError(ValueError):
    """Input the rule refuses (decision step 1); `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Terms:
    """Terms a service agreement sets (R-5.6.1.1): whole numbers ≥ 1; None keeps the default."""

    warranty_months: int | None = None
    warranty_km: int | None = None

    def __post_init__(self) -> None:
        for name in ("warranty_months", "warranty_km"):
            value = getattr(self, name)
            if value is not None and (type(value) is not int or value < 1):
                raise WarrantyInputError(name, f"{name} must be a whole number ≥ 1, not {value!r}")

    @property
    def sets_any(self) -> bool:
        return self.warranty_months is not None or self.warranty_km is not None


def add_months(d: date, months: int) -> date:
    """The date `months` calendar months after `d` (PRC Civil Code arts. 201–202).

    The period ends on the corresponding day of the final month, or on that month's last
    day where it has no such day: 2024-02-29 + 12 → 2025-02-28, 2025-01-31 + 1 → 2025-02-28.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


@dataclass(frozen=True)
class WarrantyDecision:
    """One decision with the terms it used; `as_dict()` is what is stored with the claim."""

    decision: Decision
    reasons: tuple[Reason, ...]
    remedy: Remedy | None
    last_covered_day: date | None  # None when the purchase date is missing
    km_limit: int
    months: int
    terms_from_agreement: bool  # an agreement was in force and set at least one term
    rule_version: str = RULE_VERSION
    # Echo of the dated inputs, so that `explain()` can quote them.
    purchase_date: date | None = None
    failure_date: date | None = None
    mileage_km: float | int | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly: codes as plain strings, dates as ISO strings, reasons as a list."""

        def plain(value: Any) -> Any:
            if isinstance(value, tuple):
                return [plain(v) for v in value]
            if isinstance(value, date):
                return value.isoformat()
            return value.value if isinstance(value, Enum) else value

        return {name: plain(getattr(self, name)) for name in _decision_fields()}

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> WarrantyDecision:
        """Inverse of `as_dict()`, e.g. to explain a decision kept in a claim's history."""

        def _date(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        return WarrantyDecision(
            decision=Decision(data["decision"]),
            reasons=tuple(Reason(r) for r in data["reasons"]),
            remedy=Remedy(data["remedy"]) if data.get("remedy") else None,
            last_covered_day=_date(data.get("last_covered_day")),
            km_limit=int(data["km_limit"]),
            months=int(data["months"]),
            terms_from_agreement=bool(data["terms_from_agreement"]),
            rule_version=str(data["rule_version"]),
            purchase_date=_date(data.get("purchase_date")),
            failure_date=_date(data.get("failure_date")),
            mileage_km=data.get("mileage_km"),
        )


def _as_date(name: str, value: object) -> date:
    # A datetime is refused: comparing it with a date fails, and a time of day means nothing here.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise WarrantyInputError(name, f"{name} must be a calendar date, not {value!r}")
    return value


def _check_mileage(value: object) -> float | int | None:
    """A finite number ≥ 0 or None; Decimal (from a DecimalField) is accepted."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise WarrantyInputError("mileage_km", f"mileage_km must be a number, not {value!r}")
    if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
        raise WarrantyInputError("mileage_km", f"mileage_km must be a finite number, not {value}")
    if value < 0:
        raise WarrantyInputError("mileage_km", f"mileage_km must not be negative, got {value}")
    if isinstance(value, Decimal):  # keep the echo JSON-friendly
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _check_findings(findings: object) -> frozenset[str]:
    if isinstance(findings, str | bytes) or not isinstance(findings, Iterable):
        raise WarrantyInputError(
            "findings", f"findings must be a collection of codes, not {findings!r}"
        )
    codes = set()
    for code in findings:
        if not isinstance(code, str) or code not in FINDING_CODES:
            if isinstance(code, str) and code in Reason._value2member_map_:
                msg = f"{code!r} is worked out by the rule, it is not a finding"
            else:
                msg = f"unknown finding code {code!r}"
            raise WarrantyInputError("findings", msg)
        codes.add(str(code))
    return frozenset(codes)


def decide(
    *,
    purchase_date: date | None,
    failure_date: date | None,
    mileage_km: float | int | Decimal | None,
    findings: Iterable[str],
    repairable: bool | None,
    agreement_terms: Terms | None,
) -> WarrantyDecision:
    """Decide one claim exactly per `warranty-rules.md` (R-5.6.1, R-5.6.2, R-5.3.4.2).

    Raises `WarrantyInputError` (with `.field`) for input the rule refuses.
    """
    if failure_date is None:
        raise WarrantyInputError("failure_date", "failure_date is required")
    failure = _as_date("failure_date", failure_date)
    purchase = None if purchase_date is None else _as_date("purchase_date", purchase_date)
    if purchase is not None and failure < purchase:
        raise WarrantyInputError(
            "failure_date", f"failure date {failure} is before the purchase date {purchase}"
        )
    mileage = _check_mileage(mileage_km)
    found = _check_findings(findings)
    if repairable is not None and not isinstance(repairable, bool):
        raise WarrantyInputError(
            "repairable", f"repairable must be true, false or empty, not {repairable!r}"
        )
    if agreement_terms is not None and not isinstance(agreement_terms, Terms):
        raise WarrantyInputError("agreement_terms", "agreement_terms must be Terms or None")

    terms = agreement_terms or Terms()
    months = terms.warranty_months if terms.warranty_months is not None else DEFAULT_MONTHS
    km_limit = terms.warranty_km if terms.warranty_km is not None else DEFAULT_KM
    last_day = None
    if purchase is not None:
        try:
            last_day = add_months(purchase, months)
        except (ValueError, OverflowError):
            raise WarrantyInputError(
                "purchase_date", f"the warranty period from {purchase} ends beyond the calendar"
            ) from None

    applies = set(found)
    if last_day is not None and failure > last_day:
        applies.add(Reason.EXPIRED_TIME)
    if mileage is not None and mileage > km_limit:  # "以内": the limit itself is covered
        applies.add(Reason.EXPIRED_MILEAGE)
    exclusions = tuple(r for r in EXCLUSION_ORDER if r in applies)
    grounds = tuple(g for g in COVERAGE_GROUNDS if g in found)

    if exclusions:
        decision, reasons = Decision.NOT_COVERED, exclusions
    elif purchase is None:
        decision, reasons = Decision.NEEDS_REVIEW, (Reason.PURCHASE_DATE_MISSING,)
    elif grounds:
        decision, reasons = Decision.COVERED, grounds
    else:
        decision, reasons = Decision.NEEDS_REVIEW, (Reason.NO_COVERED_DEFECT_CONFIRMED,)
    remedy = None
    if decision is Decision.COVERED:
        remedy = Remedy.REPAIR if repairable is True else Remedy.REPLACE

    return WarrantyDecision(
        decision=decision,
        reasons=reasons,
        remedy=remedy,
        last_covered_day=last_day,
        km_limit=km_limit,
        months=months,
        terms_from_agreement=agreement_terms is not None and agreement_terms.sets_any,
        purchase_date=purchase,
        failure_date=failure,
        mileage_km=mileage,
    )


def _km(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def explain(decision: WarrantyDecision, lang: str = "zh-hans") -> list[str]:
    """Plain sentences for the customer: the outcome, each reason with its clause, the terms.

    `lang` is a language code: anything starting with "zh" gives Chinese, "en" English.
    """
    code = lang.lower()
    if not code.startswith(("zh", "en")):
        raise ValueError(f"unsupported language {lang!r}; use 'zh-hans' or 'en'")
    text = _ZH if code.startswith("zh") else _EN

    def t(key: str, **values: object) -> str:
        return text[key].format(**values)

    d = decision
    label = text[d.decision]
    if d.remedy is not None:
        label = t("with_remedy", label=label, remedy=text[d.remedy])
    lines = [t("head", label=label)]
    for reason in d.reasons:
        clause = EXCLUSION_CLAUSES.get(reason)
        cite = _REFS[reason] if clause is None else t("clause", ref="R-5.6.2", n=clause)
        label = text[reason]
        if reason is Reason.EXPIRED_TIME and d.failure_date and d.last_covered_day:
            label = t("late", label=label, failed=d.failure_date, last=d.last_covered_day)
        elif reason is Reason.EXPIRED_MILEAGE and d.mileage_km is not None:
            label = t("far", label=label, km=_km(d.mileage_km), limit=_km(d.km_limit))
        lines.append(t("reason", label=label, cite=cite))

    if d.purchase_date is None or d.last_covered_day is None:
        lines.append(t("no_term", months=d.months))
    else:
        lines.append(t("term", bought=d.purchase_date, months=d.months, last=d.last_covered_day))
    if d.mileage_km is None:
        lines.append(t("no_km", limit=_km(d.km_limit)))
    else:
        lines.append(t("km", limit=_km(d.km_limit), km=_km(d.mileage_km)))
    if d.terms_from_agreement:
        lines.append(t("agreement"))
    else:
        lines.append(t("default", months=DEFAULT_MONTHS, limit=_km(DEFAULT_KM)))
    lines.append(t("version", version=d.rule_version))
    return lines


def _attr(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def agreement_in_force(agreements: Iterable[Any], purchase_date: date | None) -> Terms | None:
    """Terms of the agreement in force on the purchase date (R-5.6.1.1), else None.

    Each agreement (object or dict) has `valid_from`, `valid_to` (None = open-ended; both
    ends inclusive), `warranty_months`, `warranty_km`. Where several are in force, the one
    with the latest `valid_from` wins; two starting the same day with different terms are
    refused (field "agreements") rather than guessed between.
    """
    chosen = agreement_applied(agreements, purchase_date)
    return None if chosen is None else chosen[1]


def agreement_applied(
    agreements: Iterable[Any], purchase_date: date | None
) -> tuple[Any, Terms] | None:
    """The agreement `agreement_in_force` takes its terms from, with those terms, else None.

    Callers that store a decision use it to record *which* agreement set the terms. Where two
    agreements starting the same day set the same terms, the first given is named.
    """
    if purchase_date is None:
        return None
    purchase = _as_date("purchase_date", purchase_date)
    in_force: list[tuple[date, Terms, Any]] = []
    for agreement in agreements:
        start, end = _attr(agreement, "valid_from"), _attr(agreement, "valid_to")
        if (start is None or start <= purchase) and (end is None or purchase <= end):
            terms = Terms(_attr(agreement, "warranty_months"), _attr(agreement, "warranty_km"))
            in_force.append((start or date.min, terms, agreement))
    if not in_force:
        return None
    latest = max(start for start, _, _ in in_force)
    chosen = [(terms, agreement) for start, terms, agreement in in_force if start == latest]
    if len({terms for terms, _ in chosen}) > 1:
        raise WarrantyInputError(
            "agreements",
            f"{len({t for t, _ in chosen})} agreements with different terms take effect on "
            f"{latest}",
        )
    terms, agreement = chosen[0]
    return agreement, terms


@functools.cache
def _decision_fields() -> tuple[str, ...]:
    """The field names of WarrantyDecision, once (dataclasses.fields() is slow in a loop)."""
    return tuple(f.name for f in fields(WarrantyDecision))
