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


# ------------------------------------------------------------------ input edges (issue 17)


def test_aggregate_claims_reads_text_columns_and_names_the_bad_cell():
    cohorts = [100, 101]
    counts = aggregate_claims(["100", "101", "101"], ["1", "12", "12.0"], cohorts)
    assert counts.dtype == np.int64 and counts.shape == (2, 12)
    assert counts[0, 0] == 1 and counts[1, 11] == 2 and counts.sum() == 3
    with pytest.raises(DataError) as info:  # build month not whole, MIS fine
        aggregate_claims(["100", "100.5"], [1, 1], cohorts, row_offset=2)
    assert (info.value.row, info.value.column) == (3, "build_month")
    assert info.value.detail == "100.5 is not a whole number"
    with pytest.raises(DataError) as info:  # MIS not a number, build month fine
        aggregate_claims(np.array([100, 101]), ["1", "x"], cohorts, row_offset=2)
    assert (info.value.row, info.value.column) == (3, "mis")
    with pytest.raises(DataError) as info:
        aggregate_claims([100, 101], [1], cohorts)
    assert (info.value.detail, info.value.column) == ("1 MIS values for 2 claims", "mis")


def test_aggregate_claims_of_no_claim_or_one():
    none = aggregate_claims(np.array([], dtype=np.int64), np.array([], dtype=np.int64), [7, 9])
    assert none.dtype == np.int64 and none.tolist() == [[0] * 12, [0] * 12]
    one = aggregate_claims(np.array([9]), np.array([12]), [7, 9])
    assert one.tolist() == [[0] * 12, [0] * 11 + [1]]


@pytest.mark.parametrize("cohorts", [[100, 101, 103], [101, 100], [103, 100]])
def test_aggregate_claims_rows_follow_the_cohorts_given(cohorts):
    """Contiguous and sorted, with a gap, or in another order: row i counts cohorts[i]."""
    build = np.array([100, 101, 100, 100] if 101 in cohorts else [100, 103, 100, 100])
    mis = np.array([1, 2, 3, 1])
    counts = aggregate_claims(build, mis, cohorts)
    for i, key in enumerate(cohorts):
        expected = np.zeros(12, dtype=int)
        for b, m in zip(build.tolist(), mis.tolist(), strict=True):
            expected[m - 1] += b == key
        assert counts[i].tolist() == expected.tolist()


def test_aggregate_claims_far_from_zero_keys_and_a_short_count():
    big = [10**12, 10**12 + 1]  # keys far from 0: no count array of key * months cells
    assert aggregate_claims(np.array(big), np.array([2, 2]), big).sum(axis=1).tolist() == [1, 1]
    # the last cohort has no claim: the count still has a row for it (gap: general path)
    counts = aggregate_claims(np.array([100]), np.array([1]), [100, 103])
    assert counts.shape == (2, 12) and counts.sum() == 1


@pytest.mark.parametrize(
    ("build", "mis", "row", "detail"),
    [
        ([101, 102], [1, 1], 6, "unknown cohort 102"),
        ([100, 102], [1, 1], 6, "unknown cohort 102"),  # in the gap: the general path
        ([100, 101], [12, 13], 6, "MIS 13 is outside the 12-month warranty window"),
    ],
)
def test_aggregate_claims_names_the_first_bad_claim(build, mis, row, detail):
    cohorts = [100, 101, 103] if build == [100, 102] else [100, 101]
    with pytest.raises(DataError) as info:
        aggregate_claims(np.array(build), np.array(mis), cohorts, row_offset=5)
    assert (info.value.row, info.value.detail) == (row, detail)
    assert info.value.column == ("mis" if "MIS" in detail else "build_month")


def test_from_rows_messages_and_the_last_month_of_warranty():
    with pytest.raises(DataError, match="^no data rows$"):
        ClaimsTable.from_rows([], [], [], [])
    with pytest.raises(DataError) as info:
        ClaimsTable.from_rows(["2024-01", ""], [1, 1], [1, 1], [0, 0])
    assert info.value.detail == "empty build month"
    with pytest.raises(DataError) as info:
        ClaimsTable.from_rows(["2024-01", "2024-01"], [2, 2], [1, 1], [0, 0], row_offset=2)
    assert info.value.detail == "duplicate cell build_month=2024-01, mis=2 (first at row 2)"
    # MIS 12 is inside the warranty; a cell with no units and no claims is fine
    table = ClaimsTable.from_rows(["2024-01", "2024-01"], [12, 11], [5, 0], [1, 0])
    assert table.claims.dtype == np.int64 and table.claims[0, 11] == 1
    assert table.units[0, 10] == 0


def test_from_rows_orders_integer_cohorts_numerically_else_lexically():
    ints = ClaimsTable.from_rows(["10", "9", "-1"], [1, 1, 1], [1, 1, 1], [0, 0, 0])
    assert ints.cohorts == ("-1", "9", "10")
    words = ClaimsTable.from_rows(["b10", "b9", "a"], [1, 1, 1], [1, 1, 1], [0, 0, 0])
    assert words.cohorts == ("a", "b10", "b9")


def test_rates_of_fractional_exposure_and_of_empty_cells_without_warnings():
    import warnings

    table = ClaimsTable(("a",), np.array([[1, 0, 2]]), np.array([[0.5, 0.0, 1.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0 claims / 0 units is NaN, silently
        rates = table.rates()
        cum = table.cumulative_claims_per_unit()
    assert rates[0, 0] == 2.0 and np.isnan(rates[0, 1]) and rates[0, 2] == 2.0
    assert cum[0, 0] == 2.0 and np.isnan(cum[0, 1]) and cum[0, 2] == 4.0


def test_leave_one_out_baseline_by_hand():
    from serviceloop.earlywarning.stats.claims_monitor import _baseline_rates

    table = ClaimsTable(
        ("a", "b", "c"),
        np.array([[2, 1, 1, 0], [4, 0, 0, 0], [0, 0, 0, 0]]),
        np.array([[100.0, 100, 10, 0], [200, 100, 0, 0], [50, 0, 0, 0]]),
    )
    rates, how = _baseline_rates(table, None)
    assert how == "other cohorts pooled (leave-one-out)"
    expected = [
        # MIS 1: the others' claims over the others' units; MIS 2: b's 0 claims floored at
        # 0.5; MIS 3: only a at risk, so the pooled rate with its own data; MIS 4: nobody yet,
        # the last known rate carried
        [4 / 250, 0.5 / 100, 1 / 10, 1 / 10],
        [2 / 150, 1 / 100, 1 / 10, 1 / 10],
        [6 / 300, 1 / 200, 1 / 10, 1 / 10],
    ]
    np.testing.assert_allclose(rates, expected, rtol=1e-12)
    # others with a negligible exposure (below 1e-9 of the total) do not make a baseline
    tiny = ClaimsTable(("a", "b"), np.array([[3], [0]]), np.array([[1000.0], [1e-7]]))
    np.testing.assert_allclose(_baseline_rates(tiny, None)[0], [[3 / 1000], [3 / 1000]])
    # ... with a total below one unit, 1e-9 of one unit is the limit
    small = ClaimsTable(("a", "b"), np.array([[0], [0]]), np.array([[0.5], [2e-9]]))
    np.testing.assert_allclose(_baseline_rates(small, None)[0], [[0.5 / 2e-9], [0.5 / 0.5]])
    # exposures below one unit, and a first month nobody is at risk in (rate 0 until a month
    # with a rate, which is then carried)
    frac = ClaimsTable(
        ("a", "b"), np.array([[0, 1, 0], [0, 0, 0]]), np.array([[0.0, 0.4, 0], [0, 0.3, 0]])
    )
    np.testing.assert_allclose(
        _baseline_rates(frac, None)[0], [[0.0, 0.5 / 0.3, 0.5 / 0.3], [0.0, 1 / 0.4, 1 / 0.4]]
    )


def test_given_baseline_rates_are_checked_and_named():
    from serviceloop.earlywarning.stats.claims_monitor import _baseline_rates

    table = synthetic_table(8, cohorts=4)
    rates, how = _baseline_rates(table, [0.0] + [0.001] * 11)  # a zero rate is allowed
    assert how == "given" and rates.shape == (4, 12) and rates[3, 0] == 0.0
    with pytest.raises(DataError) as info:
        _baseline_rates(table, ["0.001", "x"] + ["0.001"] * 10)
    assert (info.value.row, info.value.column) == (2, "baseline_rates")
    for bad in ([0.001] * 11, [0.001] * 11 + [-0.001]):
        with pytest.raises(DataError) as info:
            _baseline_rates(table, bad)
        assert info.value.detail == "need 12 non-negative baseline rates"
    defect = synthetic_table(7, defect=10)
    alerts = monitor_claims(defect, baseline_rates=BASE_RATES).alerts
    assert alerts and {a.baseline for a in alerts} == {"given"}


def test_projected_units_carry_the_last_observed_month_forward():
    from serviceloop.earlywarning.stats.claims_monitor import _projected

    units = np.array([[10, 20, 0, 0], [0, 0, 0, 0], [0.5, 0, 0.7, 0], [0, 5, 0, 0], [7, 0, 0, 0]])
    assert _projected(units).tolist() == [
        [10, 20, 20, 20],  # after the last observed month: its units
        [0, 0, 0, 0],  # never observed: nothing to project
        [0.5, 0, 0.7, 0.7],  # a gap before the last observed month stays a gap
        [0, 5, 5, 5],
        [7, 7, 7, 7],  # observed in the first month only
    ]


def test_monitor_alert_evidence_recomputed_by_hand():
    """Every figure of an alert from the table, the given baseline and the lattice chart run by
    a plain loop (no over-dispersion here, phi = 1)."""
    from serviceloop.earlywarning.stats.cusum import (
        calibrate_thresholds,
        lattice_resolution,
        reference_value,
        to_lattice,
    )

    table = synthetic_table(7, defect=10)
    horizon = np.where(table.units > 0, table.units, table.units[:, :1])  # full 12 months
    result = monitor_claims(table, baseline_rates=BASE_RATES, horizon_units=horizon)
    assert not result.dispersion.overdispersed
    assert (result.shift, result.alpha) == (2.0, 0.01)
    seen = table.units > 0
    assert np.isnan(result.cusum[~seen]).all() and not np.isnan(result.cusum[seen]).any()
    mu = table.units * BASE_RATES
    np.testing.assert_allclose(result.expected, np.where(seen, mu, 0.0), rtol=1e-12)
    window = np.where(seen, mu, horizon * BASE_RATES)
    cal = calibrate_thresholds(window)
    np.testing.assert_array_equal(result.thresholds, cal.h)
    np.testing.assert_array_equal(result.false_alarm, cal.false_alarm)
    d = lattice_resolution(2.0, 12, 0.01)
    fired = {}
    for c in range(len(table.cohorts)):
        s = 0
        k_lat = to_lattice(reference_value(mu[c], 2.0), d, minimum=1)
        for t in range(12):
            if seen[c, t]:
                s = max(0, s + int(table.claims[c, t]) * d - int(k_lat[t]))
                assert result.cusum[c, t] == s / d
                if s >= cal.h_lat[c] and c not in fired:
                    fired[c] = (t, s, k_lat[t])
    alerts = {a.build_month: a for a in result.alerts}
    assert set(alerts) == {table.cohorts[c] for c in fired} and table.cohorts[10] in alerts
    for c, (t, s, k) in fired.items():
        a = alerts[table.cohorts[c]]
        cum_obs, cum_exp = int(table.claims[c, : t + 1].sum()), float(mu[c, : t + 1].sum())
        assert (a.mis, a.observed, a.cumulative_observed) == (t + 1, table.claims[c, t], cum_obs)
        assert a.expected == pytest.approx(mu[c, t], rel=1e-12)
        assert a.expected_rate == BASE_RATES[t] and a.units_at_risk == table.units[c, t]
        assert a.cumulative_expected == pytest.approx(cum_exp, rel=1e-12)
        assert a.rate_ratio == pytest.approx(cum_obs / cum_exp, rel=1e-12)
        assert a.p_value == pytest.approx(stats.poisson.sf(cum_obs - 1, cum_exp), rel=1e-9)
        assert (a.cusum, a.threshold, a.reference_value) == (s / d, cal.h[c], k / d)
        assert a.false_alarm_probability == cal.false_alarm[c] and a.shift == 2.0
        assert a.phi == result.dispersion.phi and a.overdispersed is False
        assert (a.signal, a.requirement, a.baseline) == ("warranty_claims", "R-5.4.3(a)", "given")


def test_the_dispersion_level_is_the_callers():
    table = synthetic_table(8)  # phi 1.12 with p = 0.075: over-dispersed at 10 %, not at 5 %
    assert not monitor_claims(table).dispersion.overdispersed
    assert monitor_claims(table, dispersion_level=0.1).dispersion.overdispersed


def test_over_dispersed_claims_run_the_chart_on_claims_and_means_over_phi():
    from serviceloop.earlywarning.stats.claims_monitor import _baseline_rates, _projected
    from serviceloop.earlywarning.stats.cusum import calibrate_thresholds, to_lattice

    table = synthetic_table(6, defect=10, factor=4.0, extra=2.0)
    result = monitor_claims(table)
    phi = result.dispersion.phi
    assert result.dispersion.overdispersed and phi > 1.3
    rates, _ = _baseline_rates(table, None)
    seen = table.units > 0
    mu = np.where(seen, table.units * rates, 0.0)
    future = _projected(table.units)
    window = np.where(seen, mu, future * rates) / phi
    window = np.where(seen | (future > 0), np.maximum(window, 1e-12), 0.0)
    cal = calibrate_thresholds(window)
    np.testing.assert_array_equal(result.thresholds, cal.h)
    y_lat = to_lattice(table.claims / phi, cal.resolution)
    c = table.cohorts.index(next(a.build_month for a in result.alerts))
    s = 0
    for t in range(12):
        if seen[c, t]:
            s = max(0, s + int(y_lat[c, t]) - int(cal.k_lat[c, t]))
            assert result.cusum[c, t] == s / cal.resolution
    alert = result.alerts[0]
    t = alert.mis - 1
    cum_obs, cum_exp = alert.cumulative_observed, alert.cumulative_expected
    assert cum_exp == pytest.approx(float(mu[c, : t + 1].sum()), rel=1e-12)
    want = stats.poisson.sf(np.ceil(cum_obs / phi) - 1, cum_exp / phi)
    assert alert.p_value == pytest.approx(want, rel=1e-9)


def test_a_cell_with_less_than_one_unit_at_risk_is_observed():
    table = synthetic_table(9, cohorts=6)
    units = table.units.copy()
    units[0, 0] = 0.5  # e.g. one unit for half the month (mileage exposure)
    claims = table.claims.copy()
    claims[0, 0] = 0
    result = monitor_claims(ClaimsTable(table.cohorts, claims, units), baseline_rates=BASE_RATES)
    assert result.expected[0, 0] == pytest.approx(0.5 * BASE_RATES[0])
    assert result.cusum[0, 0] == 0.0  # observed: a chart value, not NaN


def test_units_at_risk_checks_its_columns_and_takes_its_limits():
    for units, ages, row, column, detail in [
        (["10", "x"], [1, 1], 2, "units", None),
        ([10, -5], [1, 1], 2, "units", "units must be >= 0"),
        ([10, 10], [1, 1.5], 2, "months_in_service", "1.5 is not a whole number"),
        ([10, 10], [1, -1], 2, "months_in_service", "must be >= 0, got -1"),
    ]:
        with pytest.raises(DataError) as info:
            units_at_risk(units, ages)
        assert (info.value.row, info.value.column) == (row, column)
        assert detail is None or info.value.detail == detail
    assert units_at_risk([10, 4], [2, 0], months=3).tolist() == [[10, 10, 0], [0, 0, 0]]
    dist = stats.lognorm(0.6, scale=2000.0)
    for km in (15_000.0, 30_000.0):
        frac = exposure_fraction(km_limit=km, km_per_month_cdf=dist.cdf)
        np.testing.assert_allclose(
            units_at_risk([100], [12], km_limit=km, km_per_month_cdf=dist.cdf)[0], 100 * frac
        )


def test_exposure_fraction_is_the_integral_of_the_mileage_cdf():
    from scipy import integrate

    dist = stats.lognorm(0.6, scale=2000.0)
    assert exposure_fraction().tolist() == [1.0] * 12 and exposure_fraction(3).shape == (3,)
    frac = exposure_fraction(6, km_limit=20_000.0, km_per_month_cdf=dist.cdf, nodes=24)
    exact = [integrate.quad(lambda s: dist.cdf(20_000.0 / s), m - 1, m)[0] for m in range(1, 7)]
    np.testing.assert_allclose(frac, exact, rtol=1e-7)


def test_a_claims_table_refuses_what_it_cannot_hold():
    good_c, good_u = np.array([[1, 0]]), np.array([[5.0, 5.0]])
    cases = [
        (("a", "b"), good_c, good_u, "claims (1, 2) and units (1, 2) do not match the cohorts"),
        (("a",), good_c, np.array([[5.0]]), "claims (1, 2) and units (1, 1) do not match"),
        ((), np.zeros((0, 12), int), np.zeros((0, 12)), "no cohorts"),
        (("a",), np.array([[-1, 0]]), good_u, "claims and units must be non-negative numbers"),
        (("a",), good_c, np.array([[5.0, -1]]), "claims and units must be non-negative numbers"),
        (("a",), good_c, np.array([[5.0, np.nan]]), "claims and units must be non-negative"),
        (("a",), np.array([[0, 2]]), np.array([[5.0, 0]]), "cohort a has claims at MIS 2 but no"),
    ]
    for cohorts, claims, units, words in cases:
        with pytest.raises(DataError) as info:
            ClaimsTable(cohorts, claims, units)
        assert str(info.value).startswith(words), str(info.value)
    assert ClaimsTable(("a",), np.array([[0, 0]]), np.array([[0.0, 0.0]])).months == 2


def test_a_bad_month_label_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"^'2024-13' is not a YYYY-MM month$"):
        month_ordinal("2024-13")


def test_units_at_risk_accepts_zero_and_fractional_units_and_names_the_negative_row():
    assert units_at_risk([0, 0.5], [1, 1], months=2).tolist() == [[0, 0], [0.5, 0]]
    with pytest.raises(DataError) as info:
        units_at_risk([0, 0.5, -1], [1, 1, 1])
    assert (info.value.row, info.value.column) == (3, "units")


def test_a_single_claim_without_units_at_risk_is_refused():
    with pytest.raises(DataError, match="no units at risk"):
        ClaimsTable(("a",), np.array([[0, 1]]), np.array([[10.0, 0.0]]))


def test_monitor_calibrates_with_its_shift_alpha_and_given_horizon():
    """The thresholds are those of calibrate_thresholds over the given horizon: the months
    not observed and without a horizon are no steps of the chain (mu 0)."""
    from serviceloop.earlywarning.stats.cusum import calibrate_thresholds

    table = synthetic_table(7)
    horizon = table.units  # nothing after the last observed month
    result = monitor_claims(
        table, shift=3.0, alpha=0.05, baseline_rates=BASE_RATES, horizon_units=horizon
    )
    assert not result.dispersion.overdispersed and (result.shift, result.alpha) == (3.0, 0.05)
    seen = table.units > 0
    mu_window = np.where(seen, np.maximum(table.units * BASE_RATES, 1e-12), 0.0)
    expected = calibrate_thresholds(mu_window, shift=3.0, alpha=0.05)
    np.testing.assert_array_equal(result.thresholds, expected.h)
    np.testing.assert_array_equal(result.false_alarm, expected.false_alarm)
    projected = monitor_claims(table, shift=3.0, alpha=0.05, baseline_rates=BASE_RATES)
    assert not np.array_equal(projected.thresholds, result.thresholds)  # the horizon is used
    # an observed month counts its own units, whatever the horizon says for it
    doubled = monitor_claims(
        table,
        shift=3.0,
        alpha=0.05,
        baseline_rates=BASE_RATES,
        horizon_units=np.where(seen, 2 * table.units, 0.0),
    )
    np.testing.assert_array_equal(doubled.thresholds, result.thresholds)


def test_an_alarm_in_the_first_month_and_its_rate_ratio():
    """A cohort can alarm at MIS 1; the rate ratio is observed / expected claims also when
    less than one claim is expected, and infinite when none is."""
    units = np.full((3, 12), 300.0)
    claims = np.zeros((3, 12), dtype=int)
    claims[0, 0] = 20
    table = ClaimsTable(("2024-01", "2024-02", "2024-03"), claims, units)
    (alert,) = monitor_claims(table, baseline_rates=BASE_RATES).alerts
    assert (alert.build_month, alert.mis, alert.cumulative_observed) == ("2024-01", 1, 20)
    assert alert.cumulative_expected == pytest.approx(300 * BASE_RATES[0])  # 0.6
    assert alert.rate_ratio == pytest.approx(20 / (300 * BASE_RATES[0]))
    none_expected = np.r_[0.0, BASE_RATES[1:]]
    (alert,) = monitor_claims(table, baseline_rates=none_expected).alerts
    assert (alert.mis, alert.cumulative_expected, alert.rate_ratio) == (1, 0.0, np.inf)


def test_a_horizon_of_one_unit_a_month_still_counts_as_steps_of_the_chart():
    from serviceloop.earlywarning.stats.cusum import calibrate_thresholds

    units = np.zeros((3, 12))
    units[:, :6] = 300.0
    table = ClaimsTable(("2024-01", "2024-02", "2024-03"), np.zeros((3, 12), int), units)
    rates = np.full(12, 0.5)
    horizon = np.where(units > 0, units, 1.0)  # one unit a month after the sixth
    result = monitor_claims(table, baseline_rates=rates, horizon_units=horizon)
    expected = calibrate_thresholds(horizon * rates)
    np.testing.assert_array_equal(result.thresholds, expected.h)
    np.testing.assert_array_equal(result.false_alarm, expected.false_alarm)
    shorter = calibrate_thresholds(np.where(units > 0, units * rates, 0.0))
    assert not np.array_equal(shorter.false_alarm, expected.false_alarm)
