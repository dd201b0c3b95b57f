"""Poisson CUSUM: exact Markov-chain run lengths vs simulation (R-5.4.3 (a))."""

import math

import numpy as np
import pytest

from serviceloop.earlywarning.stats.cusum import (
    REFERENCE_DESIGN,
    calibrate_thresholds,
    false_alarm_probabilities,
    poisson_cusum_arl,
    reference_value,
    run_cusum,
    to_lattice,
)


def simulate_run_lengths(mu, k, h, resolution, n, seed):
    """Monte-Carlo run lengths of the lattice chart that run_cusum runs."""
    rng = np.random.default_rng(seed)
    k_lat, h_lat = int(round(k * resolution)), int(round(h * resolution))
    s = np.zeros(n, dtype=np.int64)
    run_length = np.zeros(n, dtype=np.int64)
    alive = np.arange(n)
    t = 0
    while alive.size:
        t += 1
        s[alive] = np.maximum(s[alive] + resolution * rng.poisson(mu, alive.size) - k_lat, 0)
        fired = s[alive] >= h_lat
        run_length[alive[fired]] = t
        alive = alive[~fired]
    return run_length


@pytest.mark.parametrize(("mu", "seed"), [(1.0, 1), (2.0, 2)])
def test_arl_matches_monte_carlo(mu, seed):
    k, h, d = 1.44, 4.0, 100
    exact = poisson_cusum_arl(mu, k, h, resolution=d)
    rl = simulate_run_lengths(mu, k, h, d, n=6000, seed=seed)
    se = rl.std(ddof=1) / math.sqrt(rl.size)
    assert abs(rl.mean() - exact) < 4 * se


def test_documented_reference_design():
    design = REFERENCE_DESIGN
    k = float(reference_value(design["mu0"], design["shift"]))
    assert round(k, 2) == design["k"]
    arl0 = poisson_cusum_arl(design["mu0"], k, design["h"], resolution=design["resolution"])
    arl1 = poisson_cusum_arl(
        design["mu0"] * design["shift"], k, design["h"], resolution=design["resolution"]
    )
    assert round(arl0, 2) == design["arl0"] == 247.27
    assert round(arl1, 2) == design["arl1"] == 9.17


def test_finite_window_engine_agrees_with_the_dense_chain():
    """P(alarm within T) from the batched FFT engine = 1 - P(run length > T) from the
    dense transition matrix of poisson_cusum_arl's chain."""
    mu, k, h, d, horizon = 1.3, 1.44, 3.0, 50, 12
    k_lat, h_lat = 72, 150
    p = false_alarm_probabilities(
        np.full((1, horizon), mu), np.full((1, horizon), k_lat), [h_lat], d
    )
    # dense chain
    from serviceloop.earlywarning.stats.cusum import _transition_kernels

    q, reset = _transition_kernels(np.array([mu]), np.array([k_lat]), d, h_lat)
    i = np.arange(h_lat)
    transition = q[0][i[None, :] - i[:, None] + h_lat - 1]
    transition[:, 0] = reset[0]
    state = np.zeros(h_lat)
    state[0] = 1.0
    for _ in range(horizon):
        state = state @ transition
    assert p[0] == pytest.approx(1.0 - state.sum(), rel=1e-10)
    assert k == k_lat / d and h == h_lat / d


def test_time_varying_false_alarm_probability_matches_monte_carlo():
    mu = np.array([[0.3, 0.5, 0.8, 1.0, 1.0, 1.2, 1.5, 1.5, 2.0, 2.0, 0.0, 2.0]])  # one gap
    cal = calibrate_thresholds(mu, shift=2.0, alpha=0.02)
    n = 100_000
    rng = np.random.default_rng(7)
    y = rng.poisson(mu[0], (n, 12))
    observed = np.broadcast_to(mu > 0, (n, 12))
    _, first = run_cusum(
        y * cal.resolution,
        np.broadcast_to(cal.k_lat, (n, 12)),
        np.full(n, cal.h_lat[0]),
        observed,
    )
    p = cal.false_alarm[0]
    assert abs((first >= 0).mean() - p) < 4 * math.sqrt(p * (1 - p) / n)


def test_calibration_gives_the_smallest_threshold_within_alpha():
    rng = np.random.default_rng(3)
    mu = rng.gamma(2.0, 1.0, size=(25, 12)) * rng.choice([0.05, 1, 20], size=(25, 1))
    cal = calibrate_thresholds(mu, shift=2.0, alpha=0.01)
    assert (cal.false_alarm <= 0.01).all()
    one_lower = false_alarm_probabilities(
        mu, cal.k_lat, np.maximum(cal.h_lat - 1, 1), cal.resolution
    )
    assert ((one_lower > 0.01) | (cal.h_lat == 1)).all()
    again = false_alarm_probabilities(mu, cal.k_lat, cal.h_lat, cal.resolution)
    np.testing.assert_allclose(again, cal.false_alarm, rtol=0, atol=1e-12)  # FFT roundoff


def test_reference_value_and_lattice():
    assert float(reference_value(1.0, 2.0)) == pytest.approx(1 / math.log(2))
    assert to_lattice([0.004, 1.444], 100, minimum=1).tolist() == [1, 144]
    with pytest.raises(ValueError):
        reference_value(1.0, 1.0)


def test_run_cusum_recursion_and_first_alarm():
    y = np.array([[0, 3, 0, 4, 0]]) * 10
    path, first = run_cusum(y, np.full((1, 5), 15), [40], np.ones((1, 5), bool))
    assert path.tolist() == [[0, 15, 0, 25, 10]]
    assert first.tolist() == [-1]
    path, first = run_cusum(y, np.full((1, 5), 15), [25], np.ones((1, 5), bool))
    assert first.tolist() == [3]


# ------------------------------------------------------------------ exact values and edges
# (issue 17: each test below pins a value or an edge that a small change of the code moves)


def test_threshold_bound_and_lattice_resolution_exact_values():
    from serviceloop.earlywarning.stats.cusum import lattice_resolution, threshold_bound

    # ln(T / alpha) / ln(rho), a window of no step counting as one step
    assert threshold_bound(2.0, 1, 0.25) == pytest.approx(2.0, rel=1e-15)
    assert threshold_bound(2.0, 0, 0.01) == threshold_bound(2.0, 1, 0.01)
    assert threshold_bound(2.0, 12, 0.01) == pytest.approx(math.log(1200) / math.log(2))
    # 128 states // (bound + 1 claim): 128 // 3 = 42 (129 // 3 would be 43)
    assert lattice_resolution(2.0, 1, 0.25) == 42
    assert lattice_resolution(2.0, 1, 0.25, budget=9) == 3
    # never less than one step per claim, even when the budget cannot hold the bound
    assert lattice_resolution(2.0, 12, 0.01, budget=5) == 1


def test_the_one_step_risk_in_closed_form_is_the_chain_with_one_step_threshold():
    from serviceloop.earlywarning.stats.cusum import _alarm_probability_at_one_step

    mu = np.array([[0.4, 0.0, 1.3, 2.0], [5.0, 5.0, 0.0, 0.0]])  # steps with mu 0 unobserved
    k_lat = np.array([[59, 59, 90, 140], [300, 301, 300, 300]])
    closed = _alarm_probability_at_one_step(mu, k_lat, 100)
    chain = false_alarm_probabilities(mu, k_lat, [1, 1], 100)
    np.testing.assert_allclose(closed, chain, rtol=1e-12)
    # by hand: the chart leaves 0 at the first count above floor(K / resolution)
    p_le_3 = math.exp(-5.0) * (1 + 5 + 25 / 2 + 125 / 6)
    assert closed[0] == pytest.approx(1.0 - math.exp(-0.4) * math.exp(-1.3) * 3 * math.exp(-2.0))
    assert closed[1] == pytest.approx(1.0 - p_le_3**2)


def test_calibration_defaults_are_a_doubling_at_one_percent():
    mu = np.full((2, 12), [[0.5], [3.0]])
    default, explicit = calibrate_thresholds(mu), calibrate_thresholds(mu, shift=2.0, alpha=0.01)
    assert default.resolution == explicit.resolution
    assert (default.k_lat == explicit.k_lat).all() and (default.h_lat == explicit.h_lat).all()
    assert default.h_lat.dtype == np.int64 and default.k_lat.dtype == np.int64


@pytest.mark.parametrize("alpha", [0.0, 1.0, 1.5, -0.1])
def test_calibration_refuses_an_alpha_outside_zero_one(alpha):
    with pytest.raises(ValueError, match=rf"^alpha must be in \(0, 1\), got {alpha}$"):
        calibrate_thresholds(np.ones((1, 3)), alpha=alpha)


def test_calibration_keeps_the_reference_value_at_one_lattice_step_at_least():
    cal = calibrate_thresholds(np.full((1, 12), 1e-6), resolution=100)
    assert cal.k_lat.tolist() == [[1] * 12]


def test_calibration_by_hand_on_one_step():
    """One step, mu 0.4, rho 4, alpha 0.3: bound ln(1/0.3)/ln 4 = 0.87 claim, resolution
    128 // 1.87 = 68, k = 0.4 * 3 / ln 4 = 0.866 claim = 59 steps. One claim moves the chart to
    68 - 59 = 9, two claims to 77: h <= 9 alarms with P(Y >= 1) = 0.33 > 0.3, so h = 10, with
    risk P(Y >= 2)."""
    cal = calibrate_thresholds([[0.4]], shift=4.0, alpha=0.3)
    assert cal.resolution == 68 and cal.k_lat.tolist() == [[59]]
    assert cal.h_lat.tolist() == [10]
    assert cal.false_alarm[0] == pytest.approx(1 - math.exp(-0.4) * 1.4, rel=1e-12)


def test_a_one_step_risk_of_exactly_alpha_keeps_the_one_step_threshold():
    from serviceloop.earlywarning.stats.cusum import _alarm_probability_at_one_step

    mu = np.array([[0.4, 0.7, 1.1]])
    k_lat = to_lattice(reference_value(mu, 2.0), 50, minimum=1)
    risk = float(_alarm_probability_at_one_step(mu, k_lat, 50)[0])
    cal = calibrate_thresholds(mu, alpha=risk, resolution=50)  # "at most alpha" holds at h = 1
    assert cal.h_lat.tolist() == [1] and cal.false_alarm[0] == risk


def test_run_cusum_keeps_the_first_alarm_and_takes_a_0_1_mask():
    y = np.array([[50, 0, 50, 0], [0, 50, 0, 0], [0, 0, 0, 0]])
    path, first = run_cusum(y, np.full((3, 4), 10), [30, 30, 30], [[1, 1, 1, 1]] * 3)
    assert path.tolist() == [[40, 30, 70, 60], [0, 40, 30, 20], [0, 0, 0, 0]]
    assert first.tolist() == [0, 1, -1]  # chart 0 alarms again at steps 1-3: the first stays
    assert path.dtype == np.int64 and first.dtype == np.int64
    # an unobserved step (0 in the mask) carries the statistic and cannot alarm
    path, first = run_cusum(y[1:2], np.full((1, 4), 10), [30], [[1, 0, 1, 1]])
    assert path.tolist() == [[0, 0, 0, 0]] and first.tolist() == [-1]


def test_arl_defaults_and_the_lattice_edges():
    design = REFERENCE_DESIGN
    k = float(reference_value(design["mu0"], design["shift"]))
    assert round(poisson_cusum_arl(design["mu0"], k, design["h"]), 2) == design["arl0"]
    # k and h below one lattice step count as one step. On the 1/2 lattice, k = 1/2 claim and
    # h = 3/2: S' = max(0, S + 2Y - 1) over states 0, 1, 2, alarm at 3; by hand:
    p0 = p1 = math.exp(-1.0)
    transition = np.array([[p0, p1, 0.0], [p0, 0.0, p1], [0.0, p0, 0.0]])
    by_hand = np.linalg.solve(np.eye(3) - transition, np.ones(3))[0]
    assert poisson_cusum_arl(1.0, 0.5, 1.5, resolution=2) == pytest.approx(by_hand, rel=1e-12)
    assert poisson_cusum_arl(1.0, 0.001, 1.5, resolution=2) == pytest.approx(by_hand, rel=1e-12)
    one_step = poisson_cusum_arl(1.0, 0.99, 0.001)  # one claim (+1 step) alarms at once
    assert one_step == poisson_cusum_arl(1.0, 0.99, 0.01)
    assert one_step == pytest.approx(1 / (1 - math.exp(-1.0)), rel=1e-12)
    # a head start at (or past) the threshold alarms at the first step
    assert poisson_cusum_arl(1.0, k, 5.0, head_start=5.0) == 1.0
    assert poisson_cusum_arl(1.0, k, 5.0, head_start=6.0) == 1.0
    assert 1.0 < poisson_cusum_arl(1.0, k, 5.0, head_start=4.99) < 247.27


def test_reference_value_names_a_bad_shift():
    with pytest.raises(ValueError, match=r"^shift must be > 1, got 0\.5$"):
        reference_value(1.0, 0.5)


def test_a_chart_that_hardly_ever_alarms_has_a_risk_of_zero_not_below():
    """With tiny means and a high threshold 1 - P(no alarm) is a rounding error of the FFT
    convolutions, a few 1e-15 either side of 0: the probability is clipped at 0."""
    mu = np.random.default_rng(0).gamma(2.0, 1.0, size=(50, 12)) * 1e-3
    k_lat = to_lattice(reference_value(mu, 2.0), 10, minimum=1)
    p = false_alarm_probabilities(mu, k_lat, np.full(50, 128), 10)
    assert (p >= 0.0).all() and p.max() < 1e-12


def test_transition_kernels_against_scipy_poisson():
    """q[c, m]: probability of a move by m - (states - 1) steps; reset[c, i]: of falling to 0
    from state i, P(Y <= floor((K - i) / resolution)), for two charts at once."""
    from scipy import stats

    from serviceloop.earlywarning.stats.cusum import _poisson_pmf, _transition_kernels

    mu, k_lat, resolution, states = np.array([0.8, 2.5]), np.array([5, 3]), 2, 5
    q, reset = _transition_kernels(mu, k_lat, resolution, states)
    for c in range(2):
        for m in range(2 * states - 1):
            y = (m - (states - 1) + k_lat[c]) / resolution  # the count that makes this move
            want = stats.poisson.pmf(y, mu[c]) if y == int(y) else 0.0
            assert q[c, m] == pytest.approx(want, rel=1e-12, abs=1e-300)
        for i in range(states):
            want = stats.poisson.cdf(math.floor((k_lat[c] - i) / resolution), mu[c])
            assert reset[c, i] == pytest.approx(want, rel=1e-12)
    # a mean of 0 (an unobserved step) puts no probability anywhere
    assert _poisson_pmf(np.array([0.0, 1.0, 2.0]), np.array([0.0, 0.0, 0.0])).tolist() == [0] * 3


def test_to_lattice_gives_whole_steps():
    out = to_lattice([0.004, 1.444, 2.5], 100)
    assert out.dtype == np.int64 and out.tolist() == [0, 144, 250]
