"""Claims per unit by cohort and MIS, units at risk, dispersion and the CUSUM monitor."""

import numpy as np
import pytest
from scipy import stats

from serviceloop.earlywarning.stats.claims_monitor import (
    ClaimsTable,
    aggregate_claims,
    cohort_rates,
    dispersion,
    exposure_fraction,
    fit_main_effects,
    monitor_claims,
    month_label,
    month_ordinal,
    units_at_risk,
)
from serviceloop.earlywarning.stats.validation import DataError

BASE_RATES = np.linspace(0.002, 0.0008, 12)  # claims per unit at risk by MIS


def synthetic_table(seed, *, cohorts=36, defect=None, factor=3.0, from_mis=4, extra=None):
    rng = np.random.default_rng(seed)
    units = rng.integers(2000, 5000, cohorts).astype(float)
    ages = np.minimum(np.arange(cohorts)[::-1] + 1, 12)
    exposure = units_at_risk(units, ages)
    mean = exposure * BASE_RATES
    if defect is not None:
        mean[defect, from_mis - 1 :] *= factor
    if extra is not None:  # gamma-mixed Poisson: over-dispersed claims
        mean = mean * rng.gamma(extra, 1.0 / extra, size=mean.shape)
    labels = tuple(month_label(month_ordinal("2022-01") + i) for i in range(cohorts))
    return ClaimsTable(labels, rng.poisson(mean), exposure)


# ------------------------------------------------------------------ cohorts and exposure


def test_month_ordinals_round_trip():
    assert month_ordinal("2024-03") - month_ordinal("2023-12") == 3
    assert month_label(month_ordinal("2024-03")) == "2024-03"
    with pytest.raises(ValueError):
        month_ordinal("2024-13")


def test_units_leave_the_risk_set_after_twelve_mis_and_at_their_age():
    at_risk = units_at_risk([100, 50, 10], [3, 12, 30])
    assert at_risk.shape == (3, 12)  # no MIS 13: units are past the 1-year warranty
    assert at_risk[0].tolist() == [100] * 3 + [0] * 9
    assert at_risk[1].tolist() == [50] * 12 and at_risk[2].tolist() == [10] * 12


def test_mileage_exposure_matches_simulation():
    dist = stats.lognorm(0.6, scale=2000.0)  # km per month
    frac = exposure_fraction(km_per_month_cdf=dist.cdf)
    km = dist.rvs(size=400_000, random_state=np.random.default_rng(1))
    months_to_limit = 30_000.0 / km
    covered = np.clip(months_to_limit[:, None] - np.arange(12)[None, :], 0.0, 1.0).mean(axis=0)
    np.testing.assert_allclose(frac, covered, atol=2e-3)
    assert (np.diff(frac) <= 1e-12).all() and frac[0] == pytest.approx(1.0, abs=1e-6)
    at_risk = units_at_risk([1000], [12], km_per_month_cdf=dist.cdf)
    np.testing.assert_allclose(at_risk[0], 1000 * frac)


def test_aggregate_claims_equals_a_plain_count():
    rng = np.random.default_rng(2)
    cohorts = np.array([100, 101, 103, 104])  # 102 has no production
    build = rng.choice(cohorts, 50_000)
    mis = rng.integers(1, 13, 50_000)
    counts = aggregate_claims(build, mis, cohorts)
    expected = np.zeros((4, 12), dtype=int)
    for b, m in zip(build.tolist(), mis.tolist(), strict=True):
        expected[cohorts.tolist().index(b), m - 1] += 1
    assert (counts == expected).all()


@pytest.mark.parametrize(
    ("build", "mis", "row", "column"),
    [
        ([100, 102], [1, 1], 2, "build_month"),
        ([100, 99], [1, 1], 2, "build_month"),
        ([100, 101], [1, 13], 2, "mis"),
        ([100, 101], [0, 1], 1, "mis"),
    ],
)
def test_aggregate_claims_rejects_unknown_cohorts_and_out_of_warranty(build, mis, row, column):
    with pytest.raises(DataError) as info:
        aggregate_claims(np.array(build), np.array(mis), [100, 101])
    assert (info.value.row, info.value.column) == (row, column)


# ------------------------------------------------------------------ rates vs a Poisson GLM


def glm_frame(table):
    import pandas as pd

    seen = table.units > 0
    c, m = np.nonzero(seen)
    return pd.DataFrame(
        {"cohort": c, "mis": m, "claims": table.claims[seen], "units": table.units[seen]}
    )


def test_cohort_rates_match_poisson_glm_with_log_units_offset():
    sm = pytest.importorskip("statsmodels.api")
    table = synthetic_table(3, cohorts=15, defect=4)
    frame = glm_frame(table)
    x = sm.add_constant(
        np.eye(len(table.cohorts))[frame.cohort][:, 1:].astype(float), has_constant="add"
    )
    glm = sm.GLM(frame.claims, x, family=sm.families.Poisson(), offset=np.log(frame.units)).fit(
        tol=1e-14
    )
    params = np.asarray(glm.params)
    glm_rates = np.exp(params[0] + np.concatenate([[0.0], params[1:]]))
    ours = np.array([r.rate for r in cohort_rates(table)])
    np.testing.assert_allclose(ours, glm_rates, rtol=1e-8)
    # exact interval contains the rate, and the defect cohort stands out
    rates = cohort_rates(table)
    assert all(r.rate_ci[0] <= r.rate <= r.rate_ci[1] for r in rates)
    assert max(rates, key=lambda r: r.standardized_ratio).build_month == table.cohorts[4]


def test_cohort_plus_mis_model_and_pearson_match_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    table = synthetic_table(4, cohorts=20)
    frame = glm_frame(table)
    design = np.column_stack(
        [
            np.ones(len(frame)),
            np.eye(20)[frame.cohort][:, 1:],
            np.eye(12)[frame.mis][:, 1:],
        ]
    )
    glm = sm.GLM(
        frame.claims, design, family=sm.families.Poisson(), offset=np.log(frame.units)
    ).fit(tol=1e-14)
    effects = fit_main_effects(table)
    seen = table.units > 0
    np.testing.assert_allclose(effects.fitted[seen], np.asarray(glm.fittedvalues), rtol=1e-8)
    ratio = effects.cohort_effect[1:] / effects.cohort_effect[0]
    np.testing.assert_allclose(ratio, np.exp(np.asarray(glm.params)[1:20]), rtol=1e-8)
    disp = dispersion(table, effects=effects)
    assert disp.pearson_chi2 == pytest.approx(glm.pearson_chi2, rel=1e-8)
    assert disp.df == glm.df_resid


def test_cumulative_claims_per_unit_is_the_running_sum_of_rates():
    table = ClaimsTable(
        ("a", "b"), np.array([[1, 2, 0], [3, 0, 0]]), np.array([[10.0, 10, 5], [20, 0, 0]])
    )
    cum = table.cumulative_claims_per_unit()
    np.testing.assert_allclose(cum[0], [0.1, 0.3, 0.3])
    assert cum[1, 0] == pytest.approx(0.15) and np.isnan(cum[1, 1:]).all()


# ------------------------------------------------------------------ over-dispersion


def test_dispersion_flags_extra_poisson_variation_only():
    assert not dispersion(synthetic_table(5)).overdispersed
    disp = dispersion(synthetic_table(5, extra=2.0))
    assert disp.overdispersed and disp.phi > 1.3 and disp.p_value < 0.05


def test_monitor_scales_and_reports_over_dispersion():
    table = synthetic_table(6, defect=10, factor=4.0, extra=2.0)
    result = monitor_claims(table)
    assert result.dispersion.overdispersed
    alerts = {a.build_month: a for a in result.alerts}
    assert table.cohorts[10] in alerts
    alert = alerts[table.cohorts[10]]
    assert alert.overdispersed and alert.phi == pytest.approx(result.dispersion.phi)


# ------------------------------------------------------------------ the monitor


def test_injected_defect_is_detected_with_its_evidence():
    table = synthetic_table(7, defect=10)
    result = monitor_claims(table)
    alerts = {a.build_month: a for a in result.alerts}
    alert = alerts[table.cohorts[10]]
    c, t = 10, alert.mis - 1
    assert alert.mis >= 4  # cannot fire before the defect starts... with high probability
    assert alert.observed == table.claims[c, t]
    assert alert.cumulative_observed == table.claims[c, : t + 1].sum()
    assert alert.expected == pytest.approx(result.expected[c, t])
    assert alert.cusum >= alert.threshold == pytest.approx(result.thresholds[c])
    assert alert.units_at_risk == table.units[c, t]
    assert alert.rate == pytest.approx(alert.observed / alert.units_at_risk)
    assert alert.rate_ratio > 1.5 and alert.p_value < 1e-3
    assert alert.false_alarm_probability <= 0.01
    assert alert.as_dict()["signal"] == "warranty_claims"


def test_in_control_false_alarm_rate_is_near_alpha():
    alarms = cohorts = 0
    for seed in range(40):
        table = synthetic_table(100 + seed)
        alarms += len(monitor_claims(table).alerts)
        cohorts += len(table.cohorts)
    # designed at 1 % per cohort over the window: the count of false alarms over 40 x 36
    # charts must lie in the central 99.9 % of Binomial(charts, 1 %) on BOTH sides, so that a
    # monitor that never alarms (or alarms too often) fails
    low, high = stats.binom.interval(0.999, cohorts, 0.01)
    assert low <= alarms <= high, (alarms, cohorts, low, high)


def test_given_baseline_rates_are_used():
    table = synthetic_table(8)
    result = monitor_claims(table, baseline_rates=BASE_RATES)
    seen = table.units > 0
    np.testing.assert_allclose(result.expected[seen], (table.units * BASE_RATES)[seen])


# ------------------------------------------------------------------ table input checks


@pytest.mark.parametrize(
    ("rows", "row", "column", "words"),
    [
        ({"mis": ["1", "13"]}, 2, "mis", "past the 12-month warranty"),
        ({"mis": ["1", "0"]}, 2, "mis", ">= 1"),
        ({"mis": ["1", "1.5"]}, 2, "mis", "whole number"),
        ({"units": ["10", "-1"]}, 2, "units", ">= 0"),
        ({"units": ["10", "x"]}, 2, "units", "not a number"),
        ({"claims": ["1", "-2"]}, 2, "claims", ">= 0"),
        ({"claims": ["1", ""]}, 2, "claims", "empty cell"),
        ({"units": ["10", "0"]}, 2, "claims", "no units at risk"),
        ({"build_month": ["2024-01", " "]}, 2, "build_month", "empty"),
        ({"build_month": ["2024-01", "2024-01"], "mis": ["2", "2"]}, 2, "mis", "duplicate"),
    ],
)
def test_from_rows_names_row_and_column(rows, row, column, words):
    cols = {
        "build_month": ["2024-01", "2024-02"],
        "mis": ["1", "1"],
        "units": ["10", "10"],
        "claims": ["1", "1"],
    }
    cols.update(rows)
    with pytest.raises(DataError) as info:
        ClaimsTable.from_rows(cols["build_month"], cols["mis"], cols["units"], cols["claims"])
    assert (info.value.row, info.value.column) == (row, column)
    assert words in str(info.value)


def test_from_rows_orders_cohorts_chronologically():
    table = ClaimsTable.from_rows(
        ["2024-10", "2024-9", "2024-10"], [1, 1, 2], [10, 20, 10], [0, 1, 2]
    )
    assert table.cohorts == ("2024-9", "2024-10")
    assert table.claims.tolist()[1][:2] == [0, 2]


def test_aggregate_claims_leaves_its_inputs_alone():
    build = np.array([5, 6, 5], dtype=np.int32)
    mis = np.array([1, 2, 3], dtype=np.int32)
    counts = aggregate_claims(build, mis, [5, 6])
    assert build.tolist() == [5, 6, 5] and mis.tolist() == [1, 2, 3]
    assert counts.sum() == 3 and counts[0, 0] == counts[1, 1] == counts[0, 2] == 1
