"""The production-time monitor (issue 14): prospective baseline, step CUSUM, drift GLR.

Synthetic fields as the simulation study's: build month c enters service in calendar month
c + 1, so at calendar month t it has reached MIS min(t - c, 12). No database."""

import numpy as np
import pytest

from serviceloop.earlywarning.stats.production import (
    ProductionParams,
    monitor_production,
    scan,
)
from serviceloop.earlywarning.stats.production_limits import H_GLR, H_STEP
from serviceloop.earlywarning.stats.validation import DataError

M = 12
RATES = np.linspace(0.002, 0.0008, M)


def field(seed, cohorts=48, units=3500, factor=None, phi=1.0):
    """(claims, units) of ``cohorts`` build months followed to MIS 12; factor(c, m) -> x."""
    rng = np.random.default_rng(seed)
    u = np.full((cohorts, M), float(units))
    mean = u * RATES
    if factor is not None:
        mean = mean * np.array([[factor(c, m) for m in range(M)] for c in range(cohorts)])
    if phi > 1:
        mean = rng.gamma(mean / (phi - 1), phi - 1)
    return rng.poisson(mean).astype(float), u


def known_at(claims, units, t):
    """The data as known at calendar month t (later cells unobserved, cohorts not built)."""
    n = min(t, claims.shape[0])
    age = np.clip(t - np.arange(n), 0, M)
    seen = np.arange(M)[None, :] < age[:, None]
    return claims[:n] * seen, units[:n] * seen


def labels(n):
    return tuple(f"{2020 + c // 12}-{c % 12 + 1:02d}" for c in range(n))


def run(claims, units, **kw):
    return monitor_production(labels(claims.shape[0]), claims, units, **kw)


def test_limits_are_the_calibrated_constants():
    p = ProductionParams()
    assert (p.h_step, p.h_glr) == (H_STEP, H_GLR)
    assert 5 < H_STEP < 20 and 5 < H_GLR < 20


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_in_control_history_stays_silent(seed):
    claims, units = field(seed, cohorts=60)
    for t in (20, 40, 72):  # looked at as the history unfolds
        assert run(*known_at(claims, units, t)).alerts == ()


def test_over_dispersed_in_control_history_stays_silent_and_phi_is_estimated():
    claims, units = field(11, cohorts=60, phi=1.5)
    result = run(claims, units)
    assert result.alerts == ()
    assert 1.2 < float(np.median(result.scan.phi[0, 30:])) < 1.9


def test_persistent_step_alerts_on_its_first_affected_months_with_its_onset():
    k = 30
    claims, units = field(5, factor=lambda c, m: 3.0 if c >= k else 1.0)
    assert run(*known_at(claims, units, k)).alerts == ()  # nothing affected is known yet
    alerts = run(*known_at(claims, units, k + 3)).alerts  # first affected month at MIS 3
    assert len(alerts) == 1
    a = alerts[0]
    assert a.onset_build_month == labels(48)[k] == a.affected_from
    assert labels(48).index(a.build_month) in range(k, k + 3)
    assert a.statistic >= a.threshold and a.rate_ratio > 2
    # as time goes on the whole run of affected build months stays one episode
    later = run(*known_at(claims, units, 48)).alerts
    assert [x.onset_build_month for x in later] == [labels(48)[k]]
    assert later[0].affected_to == labels(48)[47]


def test_the_leave_one_out_baseline_would_have_absorbed_the_step():
    """The months under alarm leave the reference: the expected rate stays at the old level."""
    k = 20
    claims, units = field(6, factor=lambda c, m: 2.0 if c >= k else 1.0)
    result = run(claims, units)
    judged = result.scan.judged[0]
    rate_late = np.nanmean(np.where(judged, result.scan.rates[0], np.nan)[44:, 0])
    assert rate_late == pytest.approx(RATES[0], rel=0.2)  # not 2x: affected months excluded


def test_early_life_step_is_caught_by_its_mis_group():
    k = 30
    claims, units = field(7, factor=lambda c, m: 2.5 if c >= k and m < 3 else 1.0)
    alerts = run(*known_at(claims, units, k + 5)).alerts
    assert alerts and alerts[0].detector == "step" and alerts[0].mis_group in ("early", "all")
    assert abs(labels(48).index(alerts[0].onset_build_month) - k) <= 1


def test_drift_is_caught_with_its_start():
    k = 30
    claims, units = field(
        8, units=9000, factor=lambda c, m: 1.0 + 0.05 * (c - k + 1) if c >= k else 1.0
    )
    alerts = run(*known_at(claims, units, k + 12)).alerts
    assert alerts, "a +5 %/month drift is caught within 12 build months"
    start = labels(48).index(alerts[0].onset_build_month)
    assert k - 2 <= start <= k + 8


def test_a_given_baseline_judges_from_the_first_build_month():
    claims, units = field(9, cohorts=8, factor=lambda c, m: 3.0 if c >= 2 else 1.0)
    assert run(claims, units).alerts == () or run(claims, units).alerts[0].onset_build_month
    result = run(claims, units, baseline_rates=RATES)
    assert result.scan.judged[0, 0].all()
    assert [a.onset_build_month for a in result.alerts] == [labels(8)[2]]
    assert result.alerts[0].baseline == "given per MIS"


def test_partial_given_baseline_falls_back_to_earlier_build_months():
    claims, units = field(10, cohorts=20)
    given = np.full(M, np.nan)
    given[:3] = RATES[:3]
    sc = run(claims, units, baseline_rates=given).scan
    assert sc.judged[0, 0, :3].all() and not sc.judged[0, 0, 3:].any()
    np.testing.assert_allclose(sc.rates[0, 10, :3], RATES[:3])


def test_vectorised_scan_equals_one_history_at_a_time():
    a, u = field(12, cohorts=30, factor=lambda c, m: 2.0 if c >= 15 else 1.0)
    b, _ = field(13, cohorts=30)
    both = scan(np.stack([a, b]), np.stack([u, u]))
    for i, y in enumerate((a, b)):
        one = scan(y[None], u[None])
        np.testing.assert_allclose(both.step[i], one.step[0])
        np.testing.assert_allclose(both.glr[i], one.glr[0])
        assert (both.alarm[i] == one.alarm[0]).all()


def test_shapes_are_checked():
    with pytest.raises(DataError):
        monitor_production(("a",), np.zeros((2, M)), np.zeros((2, M)))
    with pytest.raises(DataError):
        monitor_production(("a",), np.zeros((1, M)), np.ones((1, M)), baseline_rates=[0.1])
