"""The engine on synthetic data: each signal finds what was planted and nothing else, with
JSON-clean evidence (no database)."""

import json
import math
from datetime import date, timedelta

import numpy as np
import pytest

from serviceloop.earlywarning import engine
from serviceloop.earlywarning.engine import market
from serviceloop.earlywarning.engine.warranty import (
    Clock,
    analyse_part,
    estimate_clock,
    prepare_part,
    probability_points,
)
from serviceloop.earlywarning.stats.claims_monitor import month_label, month_ordinal
from serviceloop.earlywarning.stats.detectors import ewma_arl
from serviceloop.earlywarning.stats.modes import mode_shift
from serviceloop.earlywarning.tests.factories import claim_rows, columns
from serviceloop.warranty.selectors import AnalysisRow

TODAY = date(2026, 6, 15)
CUR = month_ordinal("2026-06")


def _inputs(claims, production, **kw):
    return engine.Inputs(
        as_of=TODAY,
        claims=columns(claims),
        production=production,
        part_names={},
        purchases=kw.get("purchases", {}),
        customers=kw.get("customers", {}),
    )


@pytest.fixture(scope="module")
def bad_cohort():
    rows, volumes = claim_rows(bad={12: 5.0}, today=TODAY, cohorts=24)
    return rows, volumes


def test_claims_monitor_flags_the_bad_build_month(bad_cohort):
    rows, volumes = bad_cohort
    out = engine.analyse(_inputs(rows, {"SA-2041": volumes}))
    claims = [f for f in out.findings if f.kind == "warranty_claims"]
    assert [f.cohort for f in claims] == [month_label(CUR - 12)]
    f = claims[0]
    assert f.key == f"warranty_claims:SA-2041:{month_label(CUR - 12)}"
    assert f.severity == "high"
    ev = f.evidence
    assert ev["onset_build_month"] == ev["affected_from"] == month_label(CUR - 12)
    assert ev["rate_ratio"] > 2.5 and ev["statistic"] >= ev["threshold"]
    assert ev["units_built"] == 1000 and ev["clock"]["lag"] in (0, 1)
    assert ev["false_alarm_design"] <= 0.05
    assert f.chart["type"] == "production" and len(f.chart["mis"]) == 12
    assert f.chart["onset"] == month_label(CUR - 12)
    json.dumps(f.evidence, allow_nan=False)  # JSON-clean: no NaN, no NumPy types
    json.dumps(f.chart, allow_nan=False)
    assert out.counts["parts"] == 1 and out.counts["claims"] == len(rows)


def test_no_finding_for_an_in_control_part():
    rows, volumes = claim_rows(today=TODAY, cohorts=20, seed=3)
    out = engine.analyse(_inputs(rows, {"SA-2041": volumes}))
    assert not [f for f in out.findings if f.kind == "warranty_claims"]
    assert not out.errors


def test_part_preparation_counts_what_it_leaves_out():
    rows, volumes = claim_rows(today=TODAY, cohorts=8)
    extra = [
        AnalysisRow("SA-2041", "", date(2026, 1, 5), None, None, "漏油", "covered"),
        AnalysisRow("SA-2041", "2019-01", date(2026, 1, 5), None, None, "漏油", "covered"),
        AnalysisRow(
            "SA-2041", month_label(CUR - 3), date(2026, 6, 2), None, None, "漏油", "covered"
        ),
        AnalysisRow(
            "SA-2041", month_label(CUR - 3), date(2026, 4, 2), None, 45000.0, "漏油", "covered"
        ),
        AnalysisRow(
            "SA-2041", month_label(CUR - 3), date(2026, 4, 2), None, None, "改装", "not_covered"
        ),
    ]
    pa = prepare_part("SA-2041", columns(rows + extra), volumes, TODAY, Clock(lag=1))
    assert pa.excluded == {
        "no_build_month": 1,
        "no_production_volume": 1,
        "current_month": 1,
        "over_km_limit": 1,
        "not_covered": 1,
    }
    assert pa.counted_claims == len(rows)
    assert (pa.ages <= 12).all() and pa.ages[-1] >= 1


def test_clock_is_estimated_from_purchase_dates_and_mileage():
    rows = [
        AnalysisRow("P", "2025-01", date(2025, 9, 1), date(2025, 3, 10), 9000.0, "m", "covered")
        for _ in range(30)
    ]
    clock = estimate_clock(columns(rows))
    assert clock.lag == 2 and clock.lag_claims == 30
    assert clock.km_median == pytest.approx(9000 / (175 / 30.4375), rel=1e-6)
    assert estimate_clock(columns(rows[:3])).lag == 1  # too few: the default


def test_weibull_homogeneity_and_life_data():
    rows, volumes = claim_rows(bad={10: 6.0, 9: 6.0}, today=TODAY, cohorts=20, rate=0.004)
    pa = analyse_part(
        prepare_part("SA-2041", columns(rows), volumes, TODAY, estimate_clock(columns(rows)))
    )
    assert pa.pooled_fit is not None and pa.pooled_fit.shape > 0
    fitted = [g for g in pa.group_fits if g.fit is not None]
    assert len(fitted) >= 3
    assert pa.homogeneity, "cohorts with a sixfold rate must not share one life distribution"
    out = engine.analyse(_inputs(rows, {"SA-2041": volumes}))
    life = [f for f in out.findings if f.key == "returned_parts:SA-2041:life"]
    assert life and life[0].chart["type"] == "weibull" and life[0].evidence["cohorts"]
    json.dumps(life[0].chart, allow_nan=False)


def test_probability_points_are_kaplan_meier():
    time = np.array([1.0, 2.0, 2.0, 5.0])
    event = np.array([1.0, 1.0, 0.0, 0.0])
    count = np.array([1.0, 1.0, 1.0, 7.0])
    points = probability_points(time, event, count)
    assert [t for t, _ in points] == [1.0, 2.0]
    assert [f for _, f in points] == pytest.approx([0.1, 1 - 0.9 * 8 / 9])


def test_failure_mode_shift():
    months = [CUR - 10] * 40 + [CUR - 2] * 20
    modes = ["漏油"] * 30 + ["异响"] * 10 + ["漏油"] * 5 + ["断裂"] * 15
    shift = mode_shift(modes, months, current=CUR)
    assert [a.mode for a in shift.alerts] == ["断裂"]
    a = shift.alerts[0]
    assert a.recent_count == 15 and a.prior_count == 0 and a.adjusted_p_value < 0.01
    assert {r.mode for r in shift.recent} == {"漏油", "断裂"}
    assert not mode_shift(modes[:40], months[:40], current=CUR).alerts


def _purchases(drop_customer: int = 3):
    rng = np.random.default_rng(5)
    purchases = {}
    for c in range(1, 9):
        purchases[c] = {}
        for o in range(CUR - 24, CUR + 1):  # the current month is partial and left out
            q = rng.poisson(400)
            if c == drop_customer and o >= CUR - 6:
                q = rng.poisson(120)
            purchases[c][month_label(o)] = (int(q), float(q) * 100)
    return purchases


def test_purchase_drop_finds_the_dropping_customer():
    customers = {c: (f"C{c:03d}", f"客户{c}") for c in range(1, 9)}
    out = engine.analyse(_inputs([], {}, purchases=_purchases(), customers=customers))
    drops = [f for f in out.findings if f.kind == "purchase_drop"]
    assert [(f.customer_id, f.key) for f in drops] == [(3, "purchase_drop:c3")]
    ev = drops[0].evidence
    assert ev["change_month"] == month_label(CUR - 6)
    assert ev["relative_change"] < -0.5 and ev["p_value"] < 0.01
    assert ev["window"] == [month_label(CUR - 24), month_label(CUR - 1)]
    assert drops[0].severity == "high"
    assert drops[0].chart["change_index"] == 18


def _surveys(inputs, drifting: int | None = 2, end_user_drop: bool = False):
    rng = np.random.default_rng(11)
    for c in range(1, 7):
        for i, o in enumerate(range(CUR - 22, CUR, 3)):
            for _ in range(3):
                drift = (8 * (i - 4)) if c == drifting and i >= 5 else 0
                inputs.survey_kind.append("customer_satisfaction")
                inputs.survey_customer.append(c)
                inputs.survey_date.append(date(o // 12, o % 12 + 1, 10))
                inputs.survey_score.append(float(np.clip(rng.normal(86 - drift, 5), 0, 100)))
    for o in range(CUR - 18, CUR):
        for _ in range(15):
            drop = 15 if end_user_drop and o >= CUR - 4 else 0
            inputs.survey_kind.append("end_user")
            inputs.survey_customer.append(None)
            inputs.survey_date.append(date(o // 12, o % 12 + 1, 12))
            inputs.survey_score.append(float(np.clip(rng.normal(78 - drop, 10), 0, 100)))
    return inputs


def test_survey_signals():
    inputs = _surveys(_inputs([], {}, customers={c: (f"C{c:03d}", "") for c in range(1, 7)}))
    out = engine.analyse(inputs)
    kinds = {(f.kind, f.customer_id) for f in out.findings}
    assert kinds == {("satisfaction_survey", 2)}
    ev = next(f.evidence for f in out.findings)
    assert ev["ewma"] < ev["lower_limit"] < ev["target"]
    assert ev["arl0_lower"] == round(market.lower_side_arl0(), 6)  # evidence keeps 6 decimals
    inputs = _surveys(_inputs([], {}), drifting=None, end_user_drop=True)
    out = engine.analyse(inputs)
    assert [(f.kind, f.key) for f in out.findings] == [("end_user_survey", "end_user_survey:all")]


def test_arl_reported_is_the_markov_chain_of_the_design():
    """The figure in the evidence is computed from the chart's own design, not stored."""
    assert market.lower_side_arl0() == ewma_arl(market.LAM, market.WIDTH, side="lower")
    # Lucas & Saccucci's design (lam 0.2, L 2.962: two-sided ARL0 500), lower side only
    assert (market.LAM, market.WIDTH) == (0.2, 2.962)
    assert market.lower_side_arl0() == pytest.approx(1006.87, abs=0.01)


def test_one_failing_part_does_not_stop_the_others(monkeypatch, bad_cohort):
    rows, volumes = bad_cohort
    from serviceloop.earlywarning import engine as eng

    real = eng.prepare_part

    def broken(part, *args, **kwargs):
        if part == "BAD":
            raise ValueError("boom")
        return real(part, *args, **kwargs)

    monkeypatch.setattr(eng, "prepare_part", broken)
    out = eng.analyse(_inputs(rows, {"SA-2041": volumes, "BAD": {"2025-01": 5}}))
    assert "warranty_claims:BAD" in out.failed_scopes
    assert any(f.part_number == "SA-2041" for f in out.findings)
    assert out.errors[0]["message"].startswith("BAD: boom")


def test_fingerprint_changes_with_the_data_and_the_month():
    rows, volumes = claim_rows(today=TODAY, cohorts=6)
    a = _inputs(rows, {"SA-2041": volumes})
    b = _inputs(rows, {"SA-2041": volumes})
    assert engine.fingerprint(a) == engine.fingerprint(b)
    b.production["SA-2041"] = {**volumes, month_label(CUR - 3): 1}
    assert engine.fingerprint(a) != engine.fingerprint(b)
    c = _inputs(rows, {"SA-2041": volumes})
    c.as_of = TODAY + timedelta(days=31)
    assert engine.fingerprint(a) != engine.fingerprint(c)


def test_clean_makes_json():
    out = engine.clean({"a": np.float64("nan"), "b": (np.int64(3), np.bool_(True)), "c": math.inf})
    assert out == {"a": None, "b": [3, True], "c": None}
