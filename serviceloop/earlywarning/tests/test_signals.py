"""Signals (b)-(e) of R-5.4.3: purchase drops, survey EWMA, returned-part analysis."""

import math

import numpy as np
import pytest

from serviceloop.earlywarning.stats.detectors import (
    cohort_homogeneity,
    ewma_arl,
    ewma_chart,
    failure_mode_pareto,
    purchase_drop,
    survey_ewma,
    weibull_by_group,
)

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]


def volumes(seed, drop_at=None, factor=0.5, level=1000.0, cv=0.15):
    rng = np.random.default_rng(seed)
    v = level * rng.lognormal(0.0, cv, 24)
    if drop_at is not None:
        v[drop_at:] *= factor
    return v


# ------------------------------------------------------------------ (b) purchase volume


def test_marked_drop_is_found_with_its_evidence():
    alert = purchase_drop(volumes(1, drop_at=16), customer="C-001", months=MONTHS)
    assert alert is not None
    assert alert.customer == "C-001" and alert.change_month == MONTHS[16]
    assert (alert.months_before, alert.months_after) == (16, 8)
    assert alert.relative_change == pytest.approx(-0.5, abs=0.12)
    assert alert.p_value < 0.01 and alert.as_dict()["requirement"] == "R-5.4.3(b)"


def test_stable_customers_and_small_drops_do_not_alert():
    assert all(purchase_drop(volumes(s)) is None for s in range(30))
    assert purchase_drop(volumes(2, drop_at=12, factor=0.9)) is None  # 10 %: not "marked"


def test_permutation_p_value_is_valid_under_no_change():
    # with min_drop=0 only the test decides; under H0 it rejects about alpha of the time
    hits = sum(
        purchase_drop(volumes(s), min_drop=0.0, alpha=0.1, n_permutations=199) is not None
        for s in range(200)
    )
    assert hits / 200 < 0.16  # one-sided drops only: at most alpha, plus sampling error


# ------------------------------------------------------------------ (c)/(e) surveys


def test_ewma_limits_follow_the_closed_form_for_constant_sample_size():
    chart = ewma_chart(np.full(30, 8.0), np.full(30, 25.0), target=8.0, sigma=1.0)
    t = np.arange(1, 31)
    var = (1.0 / 25.0) * 0.2 / 1.8 * (1 - 0.8 ** (2 * t))
    np.testing.assert_allclose(chart.lower, 8.0 - 2.962 * np.sqrt(var), rtol=1e-12)


def test_documented_arl_figures():
    assert ewma_arl(0.2, 2.962) == pytest.approx(500.0, rel=0.005)  # Lucas & Saccucci
    assert ewma_arl(0.2, 2.962, side="lower") == pytest.approx(1008.0, rel=0.005)
    assert ewma_arl(0.2, 2.962, side="lower", shift=-1.0) == pytest.approx(10.54, rel=0.005)
    assert ewma_arl(0.2, 2.962, side="lower", shift=-0.5) == pytest.approx(41.8, rel=0.005)


def simulate_lower_ewma(shift, n, seed, lam=0.2, width=2.962):
    rng = np.random.default_rng(seed)
    limit = -width * math.sqrt(lam / (2 - lam))
    z = np.zeros(n)
    run = np.zeros(n, dtype=np.int64)
    alive = np.arange(n)
    t = 0
    while alive.size:
        t += 1
        z[alive] = lam * rng.normal(shift, 1.0, alive.size) + (1 - lam) * z[alive]
        fired = z[alive] < limit
        run[alive[fired]] = t
        alive = alive[~fired]
    return run


@pytest.mark.parametrize(("shift", "n"), [(-1.0, 20_000), (0.0, 1_500)])
def test_ewma_arl_matches_simulation(shift, n):
    run = simulate_lower_ewma(shift, n, seed=11)
    se = run.std(ddof=1) / math.sqrt(n)
    assert abs(run.mean() - ewma_arl(side="lower", shift=shift)) < 4 * se


def test_survey_drop_raises_an_alert():
    rng = np.random.default_rng(4)
    period = np.repeat(np.arange(18), 40)
    scores = rng.normal(8.2, 1.1, period.size)
    scores[period >= 12] -= 0.6
    chart, alerts = survey_ewma(scores, period, period_labels=[f"P{i}" for i in range(18)])
    assert alerts and alerts[0].period in {f"P{i}" for i in range(12, 18)}
    first = alerts[0]
    assert first.ewma < first.lower_limit and first.responses == 40
    assert chart.sigma == pytest.approx(1.1, rel=0.1)
    _, quiet = survey_ewma(rng.normal(8.2, 1.1, period.size), period)
    assert quiet == ()


# ------------------------------------------------------------------ (d) returned parts


def test_pareto_counts_shares_and_vital_few():
    modes = ["leak"] * 50 + ["noise"] * 30 + ["rust"] * 15 + ["crack"] * 5
    rows = failure_mode_pareto(modes)
    assert [r.mode for r in rows] == ["leak", "noise", "rust", "crack"]
    assert [r.count for r in rows] == [50, 30, 15, 5]
    np.testing.assert_allclose([r.cumulative_share for r in rows], [0.5, 0.8, 0.95, 1.0])
    assert [r.vital_few for r in rows] == [True, True, False, False]
    weighted = failure_mode_pareto(["a", "b"], counts=[1, 3])
    assert weighted[0].mode == "b" and weighted[0].share == 0.75


def life_data(seed):
    rng = np.random.default_rng(seed)
    part, cohort, time, event = [], [], [], []
    for name, scales in (("damper", (900.0, 900.0, 450.0)), ("bushing", (700.0, 700.0, 700.0))):
        for j, scale in enumerate(scales):
            life = scale * rng.weibull(2.0, 150)
            stop = rng.uniform(0, 1200, 150)
            part += [name] * 150
            cohort += [f"2024-0{j + 1}"] * 150
            time += np.minimum(life, stop).tolist()
            event += (life <= stop).astype(int).tolist()
    return part, cohort, time, event


def test_weibull_by_part_and_cohort():
    part, cohort, time, event = life_data(5)
    fits = weibull_by_group(part, cohort, time, event)
    assert len(fits) == 6 and all(g.fit is not None for g in fits)
    damper = {g.cohort: g for g in fits if g.part == "damper"}
    assert damper["2024-03"].b10 < damper["2024-01"].b10
    assert damper["2024-01"].fit.shape == pytest.approx(2.0, rel=0.3)


def test_cohort_homogeneity_flags_only_the_part_with_a_bad_cohort():
    alerts = cohort_homogeneity(*life_data(6))
    assert [a.part for a in alerts] == ["damper"]
    alert = alerts[0]
    assert alert.worst_cohort == "2024-03" and alert.df == 4 and alert.p_value < 0.01
    assert alert.worst_b10 < alert.pooled_b10
