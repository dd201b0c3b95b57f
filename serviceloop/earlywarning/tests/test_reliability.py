"""Weibull / lognormal maximum likelihood: properties, input errors, speed (R-5.4.3)."""

import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import optimize

from serviceloop.earlywarning.stats.reliability import (
    DataError,
    fit_life,
    fit_lognormal,
    fit_weibull,
    weibull_shape_lr_interval,
)


def censored_weibull(n, shape=1.7, scale=1000.0, censor_at=1500.0, seed=0):
    rng = np.random.default_rng(seed)
    life = scale * rng.weibull(shape, n)
    limit = rng.uniform(0, censor_at, n)
    return np.minimum(life, limit), (life <= limit).astype(float)


def naive_weibull_loglik(shape, scale, t, d, w):
    z = (t / scale) ** shape
    return float(np.sum(w * (d * (np.log(shape / scale) + (shape - 1) * np.log(t / scale)) - z)))


# ------------------------------------------------------------------ correctness


def test_weibull_is_the_maximum_of_the_likelihood():
    t, d = censored_weibull(500, seed=1)
    fit = fit_weibull(t, d)
    w = np.ones_like(t)
    assert fit.loglik == pytest.approx(naive_weibull_loglik(fit.shape, fit.scale, t, d, w))
    best = optimize.minimize(
        lambda p: -naive_weibull_loglik(math.exp(p[0]), math.exp(p[1]), t, d, w),
        x0=[0.0, math.log(t.mean())],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 5000},
    )
    assert -best.fun <= fit.loglik + 1e-9
    assert fit.shape == pytest.approx(math.exp(best.x[0]), rel=1e-5)
    assert fit.scale == pytest.approx(math.exp(best.x[1]), rel=1e-5)


def test_weibull_shape_root_agrees_with_brent_on_the_profile_equation():
    t, d = censored_weibull(2000, shape=0.6, seed=2)
    logt, r = np.log(t), d.sum()

    def score(b):
        e = t**b
        return (e * logt).sum() / e.sum() - 1 / b - (d * logt).sum() / r

    root = optimize.brentq(score, 0.05, 20, xtol=1e-15, rtol=8.9e-16)
    assert fit_weibull(t, d).shape == pytest.approx(root, rel=1e-12)


def test_lognormal_is_the_maximum_of_the_likelihood():
    rng = np.random.default_rng(3)
    life = np.exp(rng.normal(7, 0.8, 400))
    limit = rng.uniform(0, 3000, 400)
    t, d = np.minimum(life, limit), (life <= limit).astype(float)
    fit = fit_lognormal(t, d)
    from scipy import stats

    def loglik(mu, sigma):
        dist = stats.lognorm(sigma, scale=math.exp(mu))
        return float(np.sum(np.where(d == 1, dist.logpdf(t), dist.logsf(t))))

    assert fit.loglik == pytest.approx(loglik(math.log(fit.scale), fit.shape), rel=1e-12)
    for dm, ds in [(1e-4, 0), (-1e-4, 0), (0, 1e-4), (0, -1e-4)]:
        assert loglik(math.log(fit.scale) + dm, fit.shape + ds) < fit.loglik


def test_counts_are_the_same_as_repeated_rows():
    t, d = censored_weibull(60, seed=4)
    counts = np.arange(60) % 4  # includes zero-count rows
    grouped = fit_weibull(t, d, counts)
    expanded = fit_weibull(np.repeat(t, counts), np.repeat(d, counts))
    assert grouped.n == counts.sum() == expanded.n
    for key in ("shape", "scale", "loglik", "failures"):
        assert getattr(grouped, key) == pytest.approx(getattr(expanded, key), rel=1e-12)
    lg = fit_lognormal(t, d, counts)
    le = fit_lognormal(np.repeat(t, counts), np.repeat(d, counts))
    assert lg.shape == pytest.approx(le.shape, rel=1e-10)
    assert lg.loglik == pytest.approx(le.loglik, rel=1e-12)


def test_confidence_intervals_cover_at_about_the_nominal_rate():
    covered = 0
    for seed in range(200):
        t, d = censored_weibull(80, shape=2.0, scale=100.0, censor_at=150.0, seed=seed)
        fit = fit_weibull(t, d)
        covered += fit.shape_ci[0] <= 2.0 <= fit.shape_ci[1]
    assert 0.89 <= covered / 200 <= 0.99


def test_lr_interval_brackets_the_mle_and_is_at_the_chi2_cut():
    t, d = censored_weibull(40, seed=5)
    fit = fit_weibull(t, d)
    lo, hi = weibull_shape_lr_interval(t, d)
    assert lo < fit.shape < hi
    # at the ends the profile loglik is 1.92 below the maximum
    for end in (lo, hi):
        pinned = fit_weibull_profile_loglik(t, d, end)
        assert fit.loglik - pinned == pytest.approx(0.5 * 3.841458820694124, rel=1e-8)


def fit_weibull_profile_loglik(t, d, shape):
    r = d.sum()
    scale = ((t**shape).sum() / r) ** (1 / shape)
    return naive_weibull_loglik(shape, scale, t, d, np.ones_like(t))


def test_quantile_and_cdf_are_inverse():
    fit = fit_life([1, 2, 3, 4, 5.5], [1, 1, 0, 1, 1], distribution="lognormal")
    assert float(fit.cdf(fit.quantile(0.1))) == pytest.approx(0.1)
    fit = fit_life([1, 2, 3, 4, 5.5], [1, 1, 0, 1, 1])
    assert float(fit.cdf(fit.quantile(0.1))) == pytest.approx(0.1)


def test_single_failure_below_survivors_is_estimable():
    fit = fit_weibull([10, 20, 30], [1, 0, 0])
    assert fit.failures == 1 and math.isfinite(fit.shape)


def test_million_units_fit_quickly():
    t, d = censored_weibull(1_000_000, seed=6)
    start = time.perf_counter()
    fit = fit_weibull(t, d)
    elapsed = time.perf_counter() - start
    assert fit.shape == pytest.approx(1.7, rel=0.01)
    assert elapsed < 5.0  # about 0.2 s on the development machine


# ------------------------------------------------------------------ properties

times_st = st.lists(
    st.floats(min_value=0.01, max_value=1e4, allow_nan=False), min_size=5, max_size=40
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    times=times_st,
    flags=st.lists(st.booleans(), min_size=40, max_size=40),
    factor=st.floats(min_value=1e-3, max_value=1e3),
)
def test_weibull_scale_equivariance(times, flags, factor):
    t = np.array(times)
    d = np.array(flags[: t.size], dtype=float)
    d[np.argmin(t)] = 1.0  # at least one failure below the largest time
    try:
        base = fit_weibull(t, d)
    except DataError:
        return  # degenerate sample (no finite MLE); equivariance says nothing
    scaled = fit_weibull(t * factor, d)
    assert scaled.shape == pytest.approx(base.shape, rel=1e-9)
    assert scaled.scale == pytest.approx(base.scale * factor, rel=1e-9)
    # time-scale loglik carries the Jacobian: l(c t) = l(t) - r log c
    shift = -base.failures * math.log(factor)
    assert scaled.loglik == pytest.approx(base.loglik + shift, rel=1e-9, abs=1e-7)


@settings(max_examples=25, deadline=None)
@given(times=times_st, flags=st.lists(st.booleans(), min_size=40, max_size=40))
def test_fits_ignore_row_order(times, flags):
    t = np.array(times)
    d = np.array(flags[: t.size], dtype=float)
    d[np.argmin(t)] = 1.0
    order = np.argsort(-t, kind="stable")
    for fitter in (fit_weibull, fit_lognormal):
        try:
            a = fitter(t, d)
        except DataError:
            continue
        b = fitter(t[order], d[order])
        # a nearly flat likelihood pins the maximum, not the maximiser, to machine precision
        assert b.loglik == pytest.approx(a.loglik, rel=1e-11, abs=1e-11)
        assert b.shape == pytest.approx(a.shape, rel=1e-5)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("times", "events", "counts", "row", "column", "words"),
    [
        ([1, -2, 3], [1, 0, 1], None, 2, "time", "positive"),
        ([1, 0, 3], [1, 0, 1], None, 2, "time", "positive"),
        ([1, "x", 3], [1, 0, 1], None, 2, "time", "not a number"),
        ([1, "", 3], [1, 0, 1], None, 2, "time", "empty cell"),
        ([1, 2, float("nan")], [1, 0, 1], None, 3, "time", "finite"),
        ([1, 2, 3], [1, 2, 1], None, 2, "event", "1 (failure) or 0"),
        ([1, 2, 3], [1, "yes", 1], None, 2, "event", "not a number"),
        ([1, 2, 3], [1, 0, 1], [1, -1, 1], 2, "count", ">= 0"),
        ([1, 2, 3], [0, 0, 0], None, None, "event", "censored"),
        ([1, 2, 3], [1, 0, 1], [0, 0, 0], None, "count", "zero"),
        ([], [], None, None, None, "no data"),
    ],
)
def test_bad_input_names_row_and_column(times, events, counts, row, column, words):
    for fitter in (fit_weibull, fit_lognormal):
        with pytest.raises(DataError) as info:
            fitter(times, events, counts)
        assert info.value.row == row and info.value.column == column
        assert words in str(info.value)
        if row is not None:
            assert f"row {row}, column '{column}'" in str(info.value)


def test_all_failures_at_the_largest_time_has_no_finite_mle():
    with pytest.raises(DataError, match="no finite maximum-likelihood"):
        fit_weibull([5, 5, 3], [1, 1, 0])


def test_datadata_error_is_a_value_error():
    assert issubclass(DataError, ValueError)
