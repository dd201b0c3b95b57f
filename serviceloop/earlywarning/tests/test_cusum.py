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
