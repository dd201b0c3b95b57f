"""Tests for the warranty (三包) decision rule, R-5.6 (`warranty-rules.md`).

Plain tests: no database, no Django settings. Example tests pin the rule down case by case
(every finding alone and in every combination, month ends and 29 February, the km limit,
agreements, errors, remedies, explanations); hypothesis properties check its invariants.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import FrozenInstanceError, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serviceloop.warranty.domain.rules import (
    COVERAGE_GROUNDS,
    DEFAULT_KM,
    DEFAULT_MONTHS,
    EXCLUSION_FINDINGS,
    EXCLUSION_ORDER,
    REASON_LABELS,
    RULE_VERSION,
    Decision,
    Finding,
    Reason,
    Remedy,
    Terms,
    WarrantyDecision,
    WarrantyInputError,
    add_months,
    agreement_in_force,
    decide,
    explain,
)

PURCHASE = date(2025, 3, 10)  # covered through 2026-03-10 on default terms
INSIDE = date(2025, 9, 1)
GROUNDS = [Finding.MATERIAL_NONCONFORMITY, Finding.MANUFACTURING_DEFECT]
EXCLUSIONS = [
    Finding.IMPROPER_INSTALLATION,
    Finding.IMPROPER_USE,
    Finding.MODIFICATION,
    Finding.IMPROPER_DISASSEMBLY,
    Finding.ORIGIN_UNPROVEN,
    Finding.APPEARANCE_POOR_CARE,
    Finding.NON_ORIGINAL_PARTS,
]


def claim(**overrides: Any) -> WarrantyDecision:
    """A claim inside both limits with a covered defect, changed by `overrides`."""
    args: dict[str, Any] = {
        "purchase_date": PURCHASE,
        "failure_date": INSIDE,
        "mileage_km": 12_000,
        "findings": [Finding.MANUFACTURING_DEFECT],
        "repairable": True,
        "agreement_terms": None,
    }
    args.update(overrides)
    return decide(**args)


# --- codes and constants -------------------------------------------------------------------


def test_codes_are_exactly_those_of_the_spec() -> None:
    assert RULE_VERSION == "2026.1"
    assert set(Finding) == {
        "material_nonconformity",
        "manufacturing_defect",
        "improper_installation",
        "improper_use",
        "modification",
        "improper_disassembly",
        "origin_unproven",
        "appearance_poor_care",
        "non_original_parts",
    }
    extra = {"expired_time", "expired_mileage", "purchase_date_missing"}
    assert set(Reason) == set(Finding) | extra | {"no_covered_defect_confirmed"}
    assert set(Decision) == {"covered", "not_covered", "needs_review"}
    assert set(Remedy) == {"repair", "replace", "refund"}
    assert set(COVERAGE_GROUNDS) == set(GROUNDS)
    assert set(EXCLUSIONS) == EXCLUSION_FINDINGS
    assert (DEFAULT_MONTHS, DEFAULT_KM) == (12, 30_000)


def test_exclusion_order_follows_the_clauses() -> None:
    assert list(EXCLUSION_ORDER) == [
        "improper_installation",  # clause 1
        "improper_use",
        "modification",
        "improper_disassembly",
        "origin_unproven",  # clause 2
        "expired_time",  # clause 3
        "expired_mileage",
        "appearance_poor_care",  # clause 4
        "non_original_parts",  # clause 5
    ]


def test_reason_labels_cover_every_code_in_both_languages() -> None:
    assert set(REASON_LABELS) == set(Reason)
    for zh, en in REASON_LABELS.values():
        assert zh and en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
        assert en.isascii()


# --- add_months (PRC Civil Code arts. 201–202) -----------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 3, 10), 12, date(2026, 3, 10)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2023, 1, 31), 13, date(2024, 2, 29)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2025, 12, 1), 1, date(2026, 1, 1)),
        (date(2025, 2, 28), 12, date(2026, 2, 28)),
        (date(2025, 3, 31), 24, date(2027, 3, 31)),
        (date(2025, 5, 17), 0, date(2025, 5, 17)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_agrees_with_dateutil() -> None:
    relativedelta = pytest.importorskip("dateutil.relativedelta").relativedelta
    start = date(2023, 1, 1)
    for offset in range(0, 3 * 366, 1):
        d = start + timedelta(days=offset)
        for months in (1, 6, 12, 13, 24, 36):
            assert add_months(d, months) == d + relativedelta(months=months)


# --- time limit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purchase", "last_covered"),
    [
        (date(2025, 3, 10), date(2026, 3, 10)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2023, 2, 28), date(2024, 2, 28)),
        (date(2024, 12, 31), date(2025, 12, 31)),
    ],
)
def test_last_covered_day_is_included_and_the_next_day_is_not(
    purchase: date, last_covered: date
) -> None:
    on_last = claim(purchase_date=purchase, failure_date=last_covered)
    assert on_last.decision == Decision.COVERED
    assert on_last.last_covered_day == last_covered
    day_after = claim(purchase_date=purchase, failure_date=last_covered + timedelta(days=1))
    assert day_after.decision == Decision.NOT_COVERED
    assert day_after.reasons == (Reason.EXPIRED_TIME,)
    assert day_after.remedy is None


def test_failure_on_the_purchase_day_is_covered() -> None:
    assert claim(failure_date=PURCHASE).decision == Decision.COVERED


def test_month_end_purchase_with_a_one_month_agreement() -> None:
    terms = Terms(warranty_months=1, warranty_km=None)
    result = claim(
        purchase_date=date(2025, 1, 31), failure_date=date(2025, 2, 28), agreement_terms=terms
    )
    assert (result.decision, result.last_covered_day) == (Decision.COVERED, date(2025, 2, 28))
    late = claim(
        purchase_date=date(2025, 1, 31), failure_date=date(2025, 3, 1), agreement_terms=terms
    )
    assert late.reasons == (Reason.EXPIRED_TIME,)


# --- mileage limit ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mileage", "expired"),
    [
        (0, False),
        (29_999.9, False),
        (30_000, False),
        (30_000.0, False),
        (Decimal("30000.000"), False),
        (30_000.001, True),
        (Decimal("30000.001"), True),
        (30_001, True),
        (250_000, True),
        (None, False),
    ],
)
def test_km_limit_is_inclusive(mileage: float | None, expired: bool) -> None:
    result = claim(mileage_km=mileage)
    if expired:
        assert (result.decision, result.reasons) == (
            Decision.NOT_COVERED,
            (Reason.EXPIRED_MILEAGE,),
        )
    else:
        assert result.decision == Decision.COVERED
    assert result.km_limit == 30_000


def test_decimal_mileage_is_echoed_as_a_json_number() -> None:
    assert claim(mileage_km=Decimal("12345.00")).mileage_km == 12345
    assert claim(mileage_km=Decimal("12345.5")).mileage_km == 12345.5


def test_time_and_mileage_both_expired_are_both_reported() -> None:
    result = claim(failure_date=date(2026, 3, 11), mileage_km=30_001)
    assert result.reasons == (Reason.EXPIRED_TIME, Reason.EXPIRED_MILEAGE)


# --- findings: every one alone, and every combination -----------------------------------------


@pytest.mark.parametrize("ground", GROUNDS)
def test_each_coverage_ground_alone_is_covered(ground: Finding) -> None:
    result = claim(findings=[ground])
    assert (result.decision, result.reasons, result.remedy) == (
        Decision.COVERED,
        (ground,),
        Remedy.REPAIR,
    )


def test_both_coverage_grounds_are_given_in_spec_order() -> None:
    result = claim(findings=[Finding.MANUFACTURING_DEFECT, Finding.MATERIAL_NONCONFORMITY])
    assert result.reasons == (Reason.MATERIAL_NONCONFORMITY, Reason.MANUFACTURING_DEFECT)


@pytest.mark.parametrize("exclusion", EXCLUSIONS)
@pytest.mark.parametrize("with_ground", [False, True])
def test_each_exclusion_alone_is_not_covered(exclusion: Finding, with_ground: bool) -> None:
    findings = [exclusion, *GROUNDS] if with_ground else [exclusion]
    result = claim(findings=findings)
    assert (result.decision, result.reasons, result.remedy) == (
        Decision.NOT_COVERED,
        (exclusion,),
        None,
    )


def test_every_exclusion_at_once_is_reported_in_clause_order() -> None:
    result = claim(
        findings=list(reversed(list(Finding))), failure_date=date(2027, 1, 1), mileage_km=99_999
    )
    assert result.reasons == EXCLUSION_ORDER


def oracle(
    purchase: date | None, time_out: bool, km_out: bool, findings: set[str], repairable: bool | None
) -> tuple[str, list[str], str | None]:
    """The spec's decision steps, written out independently of the module."""
    order = [
        "improper_installation",
        "improper_use",
        "modification",
        "improper_disassembly",
        "origin_unproven",
        "expired_time",
        "expired_mileage",
        "appearance_poor_care",
        "non_original_parts",
    ]
    applies = set(findings)
    if time_out:
        applies.add("expired_time")
    if km_out:
        applies.add("expired_mileage")
    exclusions = [code for code in order if code in applies]
    grounds = [g for g in ("material_nonconformity", "manufacturing_defect") if g in findings]
    if exclusions:
        return "not_covered", exclusions, None
    if purchase is None:
        return "needs_review", ["purchase_date_missing"], None
    if grounds:
        return "covered", grounds, "repair" if repairable else "replace"
    return "needs_review", ["no_covered_defect_confirmed"], None


def test_every_combination_of_findings_dates_and_mileage() -> None:
    """All 512 subsets of findings × in/out of time × in/out of km × purchase date known."""
    for n in range(len(Finding) + 1):
        for subset in itertools.combinations(list(Finding), n):
            for purchase, time_out, km_out, repairable in itertools.product(
                (PURCHASE, None), (False, True), (False, True), (True, False, None)
            ):
                if purchase is None and time_out:
                    continue  # without a purchase date time cannot run out
                result = claim(
                    purchase_date=purchase,
                    failure_date=date(2026, 3, 11) if time_out else date(2026, 3, 10),
                    mileage_km=30_001 if km_out else 30_000,
                    findings=list(subset),
                    repairable=repairable,
                )
                expected = oracle(purchase, time_out, km_out, set(subset), repairable)
                assert (result.decision, list(result.reasons), result.remedy) == expected, subset


# --- purchase date missing ---------------------------------------------------------------------


def test_missing_purchase_date_needs_review_even_with_a_covered_defect() -> None:
    result = claim(purchase_date=None, failure_date=date(2040, 1, 1))
    assert (result.decision, result.reasons) == (
        Decision.NEEDS_REVIEW,
        (Reason.PURCHASE_DATE_MISSING,),
    )
    assert (result.last_covered_day, result.remedy, result.months) == (None, None, 12)


def test_missing_purchase_date_still_judges_mileage_and_findings() -> None:
    assert claim(purchase_date=None, mileage_km=30_001).reasons == (Reason.EXPIRED_MILEAGE,)
    result = claim(purchase_date=None, findings=[Finding.MODIFICATION])
    assert (result.decision, result.reasons) == (Decision.NOT_COVERED, (Reason.MODIFICATION,))


def test_no_findings_needs_review() -> None:
    result = claim(findings=[])
    assert (result.decision, result.reasons, result.remedy) == (
        Decision.NEEDS_REVIEW,
        (Reason.NO_COVERED_DEFECT_CONFIRMED,),
        None,
    )


# --- agreement terms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "months", "km", "from_agreement"),
    [
        (None, 12, 30_000, False),
        (Terms(None, None), 12, 30_000, False),
        (Terms(24, None), 24, 30_000, True),
        (Terms(None, 100_000), 12, 100_000, True),
        (Terms(6, 10_000), 6, 10_000, True),
    ],
)
def test_agreement_overrides_only_the_terms_it_sets(
    terms: Terms | None, months: int, km: int, from_agreement: bool
) -> None:
    result = claim(agreement_terms=terms)
    assert (result.months, result.km_limit, result.terms_from_agreement) == (
        months,
        km,
        from_agreement,
    )
    assert result.last_covered_day == add_months(PURCHASE, months)


def test_agreement_can_lengthen_and_shorten_the_terms() -> None:
    late, far = date(2026, 6, 1), 45_000
    assert claim(failure_date=late).reasons == (Reason.EXPIRED_TIME,)
    assert claim(failure_date=late, agreement_terms=Terms(24, None)).decision == Decision.COVERED
    assert claim(mileage_km=far).reasons == (Reason.EXPIRED_MILEAGE,)
    assert claim(mileage_km=far, agreement_terms=Terms(None, 50_000)).decision == Decision.COVERED
    short = claim(failure_date=date(2025, 9, 11), agreement_terms=Terms(6, 5_000))
    assert short.reasons == (Reason.EXPIRED_TIME, Reason.EXPIRED_MILEAGE)


# --- remedy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repairable", "remedy"),
    [(True, Remedy.REPAIR), (False, Remedy.REPLACE), (None, Remedy.REPLACE)],
)
def test_remedy_repair_if_repairable_else_replace(repairable: bool | None, remedy: Remedy) -> None:
    assert claim(repairable=repairable).remedy == remedy


@pytest.mark.parametrize(
    "overrides",
    [{"findings": [Finding.IMPROPER_USE]}, {"findings": []}, {"purchase_date": None}],
)
def test_no_remedy_unless_covered(overrides: dict[str, Any]) -> None:
    assert claim(**overrides).remedy is None


# --- invalid input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"failure_date": None}, "failure_date", "required"),
        ({"failure_date": date(2025, 3, 9)}, "failure_date", "before the purchase date"),
        ({"failure_date": "2025-09-01"}, "failure_date", "calendar date"),
        ({"failure_date": datetime(2025, 9, 1, 8)}, "failure_date", "calendar date"),
        ({"purchase_date": "2025-03-10"}, "purchase_date", "calendar date"),
        ({"purchase_date": datetime(2025, 3, 10)}, "purchase_date", "calendar date"),
        (
            {"purchase_date": date(9999, 6, 1), "failure_date": date(9999, 7, 1)},
            "purchase_date",
            "beyond the calendar",
        ),
        ({"mileage_km": -1}, "mileage_km", "negative"),
        ({"mileage_km": -0.001}, "mileage_km", "negative"),
        ({"mileage_km": Decimal("-5")}, "mileage_km", "negative"),
        ({"mileage_km": float("nan")}, "mileage_km", "finite"),
        ({"mileage_km": Decimal("NaN")}, "mileage_km", "finite"),
        ({"mileage_km": float("inf")}, "mileage_km", "finite"),
        ({"mileage_km": "12000"}, "mileage_km", "number"),
        ({"mileage_km": True}, "mileage_km", "number"),
        ({"findings": ["rust"]}, "findings", "'rust'"),
        ({"findings": [Finding.IMPROPER_USE, "dented"]}, "findings", "'dented'"),
        ({"findings": ["Improper_Use"]}, "findings", "'Improper_Use'"),
        ({"findings": ["expired_time"]}, "findings", "not a finding"),
        ({"findings": ["purchase_date_missing"]}, "findings", "not a finding"),
        ({"findings": "improper_use"}, "findings", "collection"),
        ({"findings": None}, "findings", "collection"),
        ({"findings": [None]}, "findings", "unknown finding code None"),
        ({"repairable": "yes"}, "repairable", "repairable"),
        ({"repairable": 1}, "repairable", "repairable"),
        ({"agreement_terms": {"warranty_months": 24}}, "agreement_terms", "Terms"),
    ],
)
def test_invalid_input_names_the_field(overrides: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(WarrantyInputError) as caught:
        claim(**overrides)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert caught.value.message == str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("months", "km", "field"),
    [
        (0, None, "warranty_months"),
        (-3, None, "warranty_months"),
        (1.5, None, "warranty_months"),
        (True, None, "warranty_months"),
        ("12", None, "warranty_months"),
        (None, 0, "warranty_km"),
        (None, -100, "warranty_km"),
        (None, 30_000.0, "warranty_km"),
    ],
)
def test_invalid_terms_name_the_term(months: Any, km: Any, field: str) -> None:
    with pytest.raises(WarrantyInputError) as caught:
        Terms(months, km)
    assert caught.value.field == field


def test_decide_takes_keywords_only() -> None:
    with pytest.raises(TypeError):
        decide(PURCHASE, INSIDE, 0, [], True, None)  # type: ignore[misc]


# --- the decision record ---------------------------------------------------------------------


def test_as_dict_is_plain_json_and_round_trips() -> None:
    result = claim(failure_date=date(2026, 3, 11), findings=["improper_use"], mileage_km=31_000.5)
    data = result.as_dict()
    assert data == {
        "decision": "not_covered",
        "reasons": ["improper_use", "expired_time", "expired_mileage"],
        "remedy": None,
        "last_covered_day": "2026-03-10",
        "km_limit": 30_000,
        "months": 12,
        "terms_from_agreement": False,
        "rule_version": "2026.1",
        "purchase_date": "2025-03-10",
        "failure_date": "2026-03-11",
        "mileage_km": 31_000.5,
    }
    assert all(type(code) is str for code in data["reasons"])
    assert type(data["decision"]) is str
    assert json.loads(json.dumps(data)) == data
    assert WarrantyDecision.from_dict(data) == result
    covered = claim()
    assert covered.as_dict()["remedy"] == "repair"
    assert WarrantyDecision.from_dict(covered.as_dict()) == covered


def test_decision_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        claim().decision = Decision.NOT_COVERED  # type: ignore[misc]


# --- explain -----------------------------------------------------------------------------------


def test_explain_covered_in_both_languages() -> None:
    result = claim(purchase_date=date(2025, 3, 10), failure_date=date(2026, 3, 10))
    assert explain(result) == explain(result, "zh-hans")
    assert explain(result, "zh-hans") == [
        "结论:属于三包范围,建议处理方式:维修(能修则修)。",
        "制造缺陷影响正常使用(R-5.6.1.3)。",
        "购买日期 2025-03-10,保修期 12 个月,保修至 2026-03-10(含)。",
        "里程限额 30,000 km(含);故障时里程 12,000 km。",
        "默认保修条款:12 个月或 30,000 km,以先到者为准(R-5.6.1.1)。",
        "判定规则版本 2026.1。",
    ]
    assert explain(result, "en") == [
        "Decision: covered by the warranty; suggested remedy: repair (it can be repaired).",
        "Manufacturing defect that impairs normal use (R-5.6.1.3).",
        "Purchased 2025-03-10; 12-month term; covered through 2026-03-10 inclusive.",
        "Mileage limit 30,000 km inclusive; 12,000 km at failure.",
        "Default terms: 12 months or 30,000 km, whichever comes first (R-5.6.1.1).",
        "Rule version 2026.1.",
    ]


def test_explain_not_covered_cites_each_clause() -> None:
    result = claim(
        failure_date=date(2026, 3, 11),
        mileage_km=31_000,
        findings=[Finding.NON_ORIGINAL_PARTS, Finding.ORIGIN_UNPROVEN],
        agreement_terms=Terms(None, 30_000),
    )
    zh, en = explain(result, "zh-hans"), explain(result, "en")
    assert zh[:5] == [
        "结论:不属于三包范围。",
        "无法证明为本公司生产和销售的产品(R-5.6.2 第 2 项)。",
        "超出三包有效期:故障日期 2026-03-11 晚于保修截止日 2026-03-10(R-5.6.2 第 3 项)。",
        "超出三包里程:故障时里程 31,000 km,超过 30,000 km(R-5.6.2 第 3 项)。",
        "经改装或使用非原厂零件装配(R-5.6.2 第 5 项)。",
    ]
    assert "R-5.6.2 clause 5" in en[4]
    assert "failed 2026-03-11, after 2026-03-10 (R-5.6.2 clause 3)" in en[2]
    assert any("服务协议" in line for line in zh)
    assert any("service agreement" in line for line in en)


@pytest.mark.parametrize("reason", list(Reason))
def test_explain_gives_every_reason_with_its_label(reason: Reason) -> None:
    overrides: dict[str, Any] = {
        Reason.EXPIRED_TIME: {"failure_date": date(2027, 1, 1), "findings": []},
        Reason.EXPIRED_MILEAGE: {"mileage_km": 40_000, "findings": []},
        Reason.PURCHASE_DATE_MISSING: {"purchase_date": None},
        Reason.NO_COVERED_DEFECT_CONFIRMED: {"findings": []},
    }.get(reason, {"findings": [reason]})
    result = claim(**overrides)
    assert result.reasons == (reason,)
    zh_label, en_label = REASON_LABELS[reason]
    assert zh_label in explain(result, "zh-hans")[1]
    assert en_label in explain(result, "en")[1]
    assert "R-5.6" in explain(result, "en")[1]


def test_explain_without_purchase_date_or_mileage() -> None:
    result = claim(purchase_date=None, mileage_km=None)
    assert "未提供购买日期" in " ".join(explain(result))
    assert "未提供里程" in " ".join(explain(result))
    assert "No purchase date given, so the 12-month term cannot be checked." in explain(
        result, "en"
    )


def test_explain_a_refund_the_user_chose() -> None:
    chosen = replace(claim(), remedy=Remedy.REFUND)
    assert "退货(用户选择)" in explain(chosen)[0]
    assert "refund" in explain(chosen, "en")[0]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh", "zh-cn", "EN", "en-us"])
def test_explain_accepts_language_codes(lang: str) -> None:
    assert explain(claim(), lang)


def test_explain_refuses_other_languages() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        explain(claim(), "fr")


# --- agreement_in_force ------------------------------------------------------------------------


def agreement(start: date | None, end: date | None, months: int | None, km: int | None) -> dict:
    return {"valid_from": start, "valid_to": end, "warranty_months": months, "warranty_km": km}


def test_agreement_in_force_on_the_purchase_date() -> None:
    old = agreement(date(2020, 1, 1), date(2024, 12, 31), 18, None)
    current = agreement(date(2025, 1, 1), None, 24, 60_000)
    assert agreement_in_force([old, current], date(2025, 3, 10)) == Terms(24, 60_000)
    assert agreement_in_force([old, current], date(2024, 12, 31)) == Terms(18, None)
    assert agreement_in_force([old, current], date(2019, 12, 31)) is None
    assert agreement_in_force([old, current], None) is None
    assert agreement_in_force([], date(2025, 3, 10)) is None


def test_agreement_validity_is_inclusive_at_both_ends() -> None:
    one_day = agreement(date(2025, 3, 10), date(2025, 3, 10), 6, None)
    assert agreement_in_force([one_day], date(2025, 3, 10)) == Terms(6, None)
    assert agreement_in_force([one_day], date(2025, 3, 9)) is None
    assert agreement_in_force([one_day], date(2025, 3, 11)) is None


def test_agreements_may_be_objects() -> None:
    row = SimpleNamespace(
        valid_from=date(2025, 1, 1), valid_to=None, warranty_months=None, warranty_km=80_000
    )
    assert agreement_in_force([row], PURCHASE) == Terms(None, 80_000)


def test_overlapping_agreements_the_latest_start_wins_in_any_order() -> None:
    frame = agreement(date(2024, 1, 1), None, 24, 60_000)
    addendum = agreement(date(2025, 2, 1), date(2025, 12, 31), 36, None)
    assert agreement_in_force([frame, addendum], PURCHASE) == Terms(36, None)
    assert agreement_in_force([addendum, frame], PURCHASE) == Terms(36, None)


def test_agreements_starting_the_same_day() -> None:
    a = agreement(date(2025, 1, 1), None, 24, None)
    same = agreement(date(2025, 1, 1), date(2026, 1, 1), 24, None)
    assert agreement_in_force([a, same], PURCHASE) == Terms(24, None)
    clash = agreement(date(2025, 1, 1), None, 36, None)
    with pytest.raises(WarrantyInputError) as caught:
        agreement_in_force([a, clash], PURCHASE)
    assert caught.value.field == "agreements"


def test_agreement_without_a_start_is_in_force_from_the_beginning() -> None:
    assert agreement_in_force([agreement(None, None, 20, None)], PURCHASE) == Terms(20, None)


def test_agreement_with_a_bad_term_names_the_term() -> None:
    with pytest.raises(WarrantyInputError) as caught:
        agreement_in_force([agreement(date(2025, 1, 1), None, 0, None)], PURCHASE)
    assert caught.value.field == "warranty_months"


def test_agreement_setting_no_term_keeps_the_defaults() -> None:
    terms = agreement_in_force([agreement(date(2025, 1, 1), None, None, None)], PURCHASE)
    assert terms == Terms(None, None)
    result = claim(agreement_terms=terms)
    assert (result.months, result.km_limit, result.terms_from_agreement) == (12, 30_000, False)


# --- properties --------------------------------------------------------------------------------

PROPERTY = settings(max_examples=300, deadline=None)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
findings_lists = st.lists(st.sampled_from(list(Finding)), max_size=12)
mileages = st.none() | st.integers(0, 200_000) | st.floats(0, 200_000, allow_nan=False)
terms_or_none = st.none() | st.builds(
    Terms, st.none() | st.integers(1, 120), st.none() | st.integers(1, 300_000)
)


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    purchase = draw(st.none() | dates)
    failure = (purchase or draw(dates)) + timedelta(days=draw(st.integers(0, 3_000)))
    return {
        "purchase_date": purchase,
        "failure_date": failure,
        "mileage_km": draw(mileages),
        "findings": draw(findings_lists),
        "repairable": draw(st.none() | st.booleans()),
        "agreement_terms": draw(terms_or_none),
    }


@PROPERTY
@given(claims(), st.sampled_from(EXCLUSIONS))
def test_any_exclusion_means_not_covered(args: dict[str, Any], exclusion: Finding) -> None:
    result = decide(**{**args, "findings": [*args["findings"], exclusion]})
    assert result.decision == Decision.NOT_COVERED
    assert exclusion in result.reasons
    assert result.remedy is None


@PROPERTY
@given(claims(), st.integers(0, 3_000))
def test_a_later_failure_never_turns_not_covered_into_covered(
    args: dict[str, Any], days: int
) -> None:
    earlier = decide(**args)
    later = decide(**{**args, "failure_date": args["failure_date"] + timedelta(days=days)})
    if earlier.decision == Decision.NOT_COVERED:
        assert later.decision == Decision.NOT_COVERED
        assert set(earlier.reasons) <= set(later.reasons)
    if later.decision == Decision.COVERED:
        assert earlier.decision == Decision.COVERED


@PROPERTY
@given(claims(), st.integers(0, 100_000) | st.floats(0, 100_000, allow_nan=False))
def test_more_mileage_never_turns_not_covered_into_covered(
    args: dict[str, Any], extra: float
) -> None:
    args["mileage_km"] = args["mileage_km"] or 0
    lower = decide(**args)
    higher = decide(**{**args, "mileage_km": args["mileage_km"] + extra})
    if lower.decision == Decision.NOT_COVERED:
        assert higher.decision == Decision.NOT_COVERED
    if higher.decision == Decision.COVERED:
        assert lower.decision == Decision.COVERED


@PROPERTY
@given(claims(), st.randoms(use_true_random=False))
def test_decision_is_deterministic_and_ignores_order_and_duplicates(
    args: dict[str, Any], rnd: Any
) -> None:
    first = decide(**args)
    assert decide(**args) == first
    shuffled = [*args["findings"], *args["findings"]]
    rnd.shuffle(shuffled)
    assert decide(**{**args, "findings": shuffled}) == first
    assert decide(**{**args, "findings": iter(set(args["findings"]))}) == first
    plain = [str(code) for code in args["findings"]]
    assert decide(**{**args, "findings": plain}) == first


@PROPERTY
@given(claims())
def test_shape_of_every_decision(args: dict[str, Any]) -> None:
    result = decide(**args)
    assert len(set(result.reasons)) == len(result.reasons) >= 1
    assert result.rule_version == RULE_VERSION
    if result.decision == Decision.COVERED:
        assert set(result.reasons) <= set(COVERAGE_GROUNDS)
        assert list(result.reasons) == [g for g in COVERAGE_GROUNDS if g in result.reasons]
        expected = Remedy.REPAIR if args["repairable"] is True else Remedy.REPLACE
        assert result.remedy == expected
    else:
        assert result.remedy is None
    if result.decision == Decision.NOT_COVERED:
        assert list(result.reasons) == [r for r in EXCLUSION_ORDER if r in result.reasons]
    if result.decision == Decision.NEEDS_REVIEW:
        assert result.reasons in {
            (Reason.PURCHASE_DATE_MISSING,),
            (Reason.NO_COVERED_DEFECT_CONFIRMED,),
        }
    terms = args["agreement_terms"]
    assert result.terms_from_agreement == (terms is not None and terms.sets_any)
    assert result.months == (terms and terms.warranty_months or 12)
    assert result.km_limit == (terms and terms.warranty_km or 30_000)


@PROPERTY
@given(claims())
def test_last_covered_day_is_on_or_after_purchase(args: dict[str, Any]) -> None:
    result = decide(**args)
    if args["purchase_date"] is None:
        assert result.last_covered_day is None
        assert Reason.EXPIRED_TIME not in result.reasons
    else:
        assert result.last_covered_day is not None
        assert result.last_covered_day >= args["purchase_date"]
        expired = args["failure_date"] > result.last_covered_day
        assert (Reason.EXPIRED_TIME in result.reasons) == expired


@PROPERTY
@given(dates, terms_or_none)
def test_time_limit_boundary(purchase: date, terms: Terms | None) -> None:
    base = {"purchase_date": purchase, "mileage_km": 0, "repairable": None}
    base |= {"findings": [Finding.MATERIAL_NONCONFORMITY], "agreement_terms": terms}
    last = decide(**base, failure_date=purchase).last_covered_day
    assert last is not None
    assert decide(**base, failure_date=last).decision == Decision.COVERED
    after = decide(**base, failure_date=last + timedelta(days=1))
    assert after.reasons == (Reason.EXPIRED_TIME,)


@PROPERTY
@given(claims())
def test_record_round_trips_and_explains(args: dict[str, Any]) -> None:
    result = decide(**args)
    data = json.loads(json.dumps(result.as_dict()))
    assert WarrantyDecision.from_dict(data) == result
    for lang, column in (("zh-hans", 0), ("en", 1)):
        lines = explain(result, lang)
        assert all(isinstance(line, str) and line for line in lines)
        for reason in result.reasons:
            assert any(REASON_LABELS[reason][column] in line for line in lines)


@PROPERTY
@given(dates, dates, st.integers(-24, 240))
def test_add_months_is_monotone_and_never_moves_the_day_later(
    a: date, b: date, months: int
) -> None:
    lo, hi = min(a, b), max(a, b)
    assert add_months(lo, months) <= add_months(hi, months)
    assert add_months(lo, months) <= add_months(lo, months + 1)
    result = add_months(lo, months)
    assert result.day <= lo.day
    assert (result.year * 12 + result.month) - (lo.year * 12 + lo.month) == months
    try:
        assert result == lo.replace(year=result.year, month=result.month)
    except ValueError:  # no such day in the final month: its last day
        assert (result + timedelta(days=1)).month != result.month


@PROPERTY
@given(st.lists(st.tuples(dates, st.none() | dates, st.integers(1, 60)), max_size=6), dates)
def test_agreement_in_force_ignores_order(rows: list[tuple], purchase: date) -> None:
    agreements = [agreement(s, e, m, None) for s, e, m in rows]
    try:
        chosen = agreement_in_force(agreements, purchase)
    except WarrantyInputError as error:
        assert error.field == "agreements"
        return
    assert agreement_in_force(list(reversed(agreements)), purchase) == chosen
    live = [r for r in rows if r[0] <= purchase and (r[1] is None or purchase <= r[1])]
    if not live:
        assert chosen is None
    else:
        latest = max(r[0] for r in live)
        assert chosen in {Terms(m, None) for s, _, m in live if s == latest}


# --- what the mutation run of the rule found untested (issue 17) -------------------------------


def test_a_signalling_nan_mileage_is_refused_as_mileage() -> None:
    with pytest.raises(WarrantyInputError) as caught:
        claim(mileage_km=Decimal("sNaN"))
    assert caught.value.field == "mileage_km"


def test_a_whole_decimal_mileage_is_echoed_as_an_int() -> None:
    whole, part = claim(mileage_km=Decimal("12000")), claim(mileage_km=Decimal("12000.5"))
    assert type(whole.mileage_km) is int and whole.mileage_km == 12_000
    assert type(part.mileage_km) is float and part.mileage_km == 12_000.5


def test_an_unknown_finding_code_is_called_unknown() -> None:
    with pytest.raises(WarrantyInputError, match=r"^unknown finding code 'no_such_code'$"):
        claim(findings=["no_such_code"])
    with pytest.raises(WarrantyInputError, match=r"^'expired_time' is worked out by the rule"):
        claim(findings=["expired_time"])


def test_agreements_refuse_a_purchase_date_that_is_not_a_date() -> None:
    with pytest.raises(WarrantyInputError) as caught:
        agreement_in_force([agreement(None, None, 20, None)], "2025-03-10")  # type: ignore[arg-type]
    assert caught.value.field == "purchase_date"


def test_agreements_starting_the_same_day_with_different_terms_say_so() -> None:
    a = agreement(date(2025, 1, 1), None, 24, None)
    clash = agreement(date(2025, 1, 1), None, 36, None)
    with pytest.raises(
        WarrantyInputError, match=r"^2 agreements with different terms take effect on 2025-01-01$"
    ):
        agreement_in_force([a, clash], PURCHASE)


def test_an_agreement_object_without_an_end_is_open_ended() -> None:
    row = SimpleNamespace(valid_from=date(2025, 1, 1), warranty_months=30, warranty_km=None)
    assert agreement_in_force([row], PURCHASE) == Terms(30, None)


def test_a_stored_decision_keeps_its_rule_version_and_explains_missing_terms() -> None:
    stored = claim(purchase_date=None, mileage_km=None).as_dict()
    stored.update(rule_version="2025.9", purchase_date="2025-03-10", last_covered_day=None)
    again = WarrantyDecision.from_dict(stored)
    assert again.rule_version == "2025.9"
    lines = explain(again, "en")
    assert "No purchase date given, so the 12-month term cannot be checked." in lines
    assert "Mileage limit 30,000 km inclusive; no odometer reading given." in lines
    assert lines[-1] == "Rule version 2025.9."


def test_a_missing_failure_date_says_it_is_required() -> None:
    with pytest.raises(WarrantyInputError, match=r"^failure_date is required$") as caught:
        claim(failure_date=None)
    assert caught.value.field == "failure_date"


def test_bad_terms_and_agreement_terms_say_what_is_wrong() -> None:
    with pytest.raises(
        WarrantyInputError, match=r"^warranty_km must be a whole number ≥ 1, not 0$"
    ):
        Terms(12, 0)
    with pytest.raises(WarrantyInputError, match=r"^agreement_terms must be Terms or None$"):
        claim(agreement_terms={"warranty_months": 12})
