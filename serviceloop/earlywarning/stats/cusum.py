"""Poisson CUSUM charts with exact run-length properties (R-5.4.3 (a)).

Chart (Lucas 1985). For counts ``Y_t`` with in-control means ``mu_t`` the chart tuned to
detect a rate multiplied by ``shift`` (rho) is::

    S_0 = 0,   S_t = max(0, S_{t-1} + Y_t - k_t),   alarm when S_t >= h,
    k_t = mu_t * (rho - 1) / ln(rho)             (the reference value)

``ln(rho) * (Y_t - k_t)`` is the log-likelihood ratio of Poisson(rho * mu_t) against
Poisson(mu_t), so this is the optimal (Moustakides) CUSUM for that shift even when the
means change from step to step, e.g. with the units at risk in each month in service.

Exactness. ``S`` lives on a lattice of step ``1/resolution`` claims: ``k_t`` is rounded to
the lattice (at least one step) and the chart is run in integer lattice units, so the
Markov-chain computations below (Brook & Evans 1972) describe *exactly* the chart that is
run; nothing is approximated except floating-point arithmetic.

* :func:`poisson_cusum_arl` - average run length of a stationary chart, solving
  ``(I - P) L = 1`` on the transient states (dense; fine up to a few thousand states).
* :func:`false_alarm_probabilities` - probability of at least one alarm within a finite
  window with time-varying means, for many charts at once (batched FFT convolutions of the
  state distribution with the Poisson increments).
* :func:`calibrate_thresholds` - the decision interval ``h`` of each chart: the smallest
  lattice value whose exact in-control false-alarm probability over the window is at most
  ``alpha``. A chart never needs ``h`` above ``ln(T / alpha) / ln(rho)``: the likelihood
  ratio started at each of the ``T`` steps is a martingale, so by Ville's inequality and a
  union bound ``P(alarm) <= T * exp(-h ln rho)``; that bound sizes the lattice.

Documented reference design (stationary, for orientation and for the tests): mean
``mu0 = 1`` claim per month, ``rho = 2`` (k = 1/ln 2, on the 1/100 lattice k = 1.44) and
``h = 5`` give an in-control ARL of 247.27 months (a false-alarm rate of 1/ARL0 = 0.40 %
per month) and an ARL of 9.17 months once the rate has doubled; see ``REFERENCE_DESIGN``.
The claims monitor itself does not use a fixed ``h``: it calibrates ``h`` per cohort with
:func:`calibrate_thresholds` (see :mod:`serviceloop.earlywarning.stats.claims_monitor`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import fft, special

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Stationary reference design documented above (ARLs rounded to 2 decimals).
REFERENCE_DESIGN = {
    "mu0": 1.0,
    "shift": 2.0,
    "k": 1.44,
    "h": 5.0,
    "resolution": 100,
    "arl0": 247.27,
    "arl1": 9.17,
}


def reference_value(mu: npt.ArrayLike, shift: float) -> FloatArray:
    """Lucas' reference value ``k = mu (rho - 1) / ln rho`` for detecting rate x ``shift``."""
    if not shift > 1.0:
        raise ValueError(f"shift must be > 1, got {shift}")
    return np.asarray(mu, dtype=np.float64) * ((shift - 1.0) / math.log(shift))


def threshold_bound(shift: float, horizon: int, alpha: float) -> float:
    """Upper bound ``ln(T / alpha) / ln(rho)`` for the calibrated ``h`` (see module doc)."""
    return math.log(max(horizon, 1) / alpha) / math.log(shift)


def lattice_resolution(shift: float, horizon: int, alpha: float, budget: int = 128) -> int:
    """Lattice steps per claim so that every calibrated chart fits in ``budget`` states."""
    return max(1, int(budget // (threshold_bound(shift, horizon, alpha) + 1.0)))


def to_lattice(values: npt.ArrayLike, resolution: int, *, minimum: int = 0) -> IntArray:
    """Round claims-unit values to integer lattice units (at least ``minimum``)."""
    scaled = np.rint(np.asarray(values, dtype=np.float64) * resolution)
    return np.maximum(scaled, minimum).astype(np.int64)


def _poisson_pmf(y: FloatArray, mu: FloatArray) -> FloatArray:
    """Poisson pmf, zero for y < 0 or non-integer y (broadcasting)."""
    valid = (y >= 0) & (y == np.floor(y)) & (mu > 0)
    ys = np.where(valid, y, 0.0)
    mus = np.where(mu > 0, mu, 1.0)
    logp = special.xlogy(ys, mus) - mus - special.gammaln(ys + 1.0)
    return np.where(valid, np.exp(logp), 0.0)


def _transition_kernels(
    mu: FloatArray, k_lat: IntArray, resolution: int, states: int
) -> tuple[FloatArray, FloatArray]:
    """Increment kernels of each chart at one step.

    ``q[c, m]`` is the probability of a move by ``m - (states - 1)`` lattice units (a claim
    count y moves by ``resolution * y - K``); ``reset[c, i]`` is the probability of falling
    to 0 from state i, ``P(Y <= (K - i) / resolution)``. Those CDF values span only
    ``states / resolution + 1`` counts, so one incomplete-gamma call per chart plus a short
    cumulative sum of pmf values gives them all.
    """
    offsets = np.arange(-(states - 1), states, dtype=np.float64)
    y = (offsets[None, :] + k_lat[:, None]) / resolution
    q = _poisson_pmf(y, mu[:, None])
    needed = np.floor((k_lat[:, None] - np.arange(states)[None, :]) / resolution)  # (C, S)
    y_low = needed[:, -1]
    span = int((needed[:, 0] - y_low).max()) + 1 if needed.size else 1
    mu_safe = np.where(mu > 0, mu, 1.0)
    base = np.where(y_low >= 0, special.pdtr(np.maximum(y_low, 0.0), mu_safe), 0.0)
    steps = y_low[:, None] + np.arange(1, span, dtype=np.float64)[None, :]
    table = np.concatenate(
        [base[:, None], base[:, None] + np.cumsum(_poisson_pmf(steps, mu[:, None]), axis=1)],
        axis=1,
    )
    reset = np.take_along_axis(table, (needed - y_low[:, None]).astype(np.int64), axis=1)
    reset = np.where(needed >= 0, np.minimum(reset, 1.0), 0.0)
    return q, reset


@dataclass(frozen=True)
class _Chain:
    """Precomputed kernels (in Fourier space) for a batch of time-varying charts."""

    kernels_f: npt.NDArray[np.complex128]  # (T, C, L//2 + 1)
    resets: FloatArray  # (T, C, states)
    observed: BoolArray  # (C, T)
    states: int
    fft_len: int

    @classmethod
    def build(cls, mu: FloatArray, k_lat: IntArray, resolution: int, states: int) -> _Chain:
        n_charts, horizon = mu.shape
        fft_len = fft.next_fast_len(3 * states - 2, real=True)
        kernels = np.empty((horizon, n_charts, fft_len // 2 + 1), dtype=np.complex128)
        resets = np.empty((horizon, n_charts, states))
        for t in range(horizon):
            q, reset = _transition_kernels(mu[:, t], k_lat[:, t], resolution, states)
            kernels[t] = fft.rfft(q, fft_len, axis=1)
            resets[t] = reset
        return cls(kernels, resets, mu > 0, states, fft_len)

    def alarm_probability(self, h_lat: IntArray) -> FloatArray:
        """P(at least one alarm within the window) for thresholds ``h_lat`` (lattice)."""
        n_charts = h_lat.shape[0]
        states, fft_len = self.states, self.fft_len
        inside = np.arange(states)[None, :] < h_lat[:, None]
        p = np.zeros((n_charts, states))
        p[:, 0] = 1.0
        for t in range(self.kernels_f.shape[0]):
            conv = fft.irfft(fft.rfft(p, fft_len, axis=1) * self.kernels_f[t], fft_len)
            new = conv[:, states - 1 : 2 * states - 1]
            new[:, 0] = np.einsum("ci,ci->c", p, self.resets[t])
            new = np.where(inside, np.maximum(new, 0.0), 0.0)
            p = np.where(self.observed[:, t : t + 1], new, p)
        return np.clip(1.0 - p.sum(axis=1), 0.0, 1.0)


def false_alarm_probabilities(
    mu: npt.ArrayLike, k_lat: npt.ArrayLike, h_lat: npt.ArrayLike, resolution: int
) -> FloatArray:
    """Exact P(alarm within the window) of charts with in-control means ``mu`` (C, T).

    ``k_lat`` (C, T) and ``h_lat`` (C,) are in lattice units (``resolution`` per claim);
    steps with ``mu == 0`` are unobserved and leave the chart unchanged.
    """
    mu_a = np.atleast_2d(np.asarray(mu, dtype=np.float64))
    k_a = np.atleast_2d(np.asarray(k_lat, dtype=np.int64))
    h_a = np.atleast_1d(np.asarray(h_lat, dtype=np.int64))
    states = max(int(h_a.max()), 1)
    return _Chain.build(mu_a, k_a, resolution, states).alarm_probability(h_a)


@dataclass(frozen=True)
class Calibration:
    """Per-chart design: lattice ``k`` (C, T), ``h`` (C,), and exact false-alarm risk."""

    resolution: int
    k_lat: IntArray
    h_lat: IntArray
    false_alarm: FloatArray

    @property
    def k(self) -> FloatArray:
        return np.asarray(self.k_lat / self.resolution, dtype=np.float64)

    @property
    def h(self) -> FloatArray:
        return np.asarray(self.h_lat / self.resolution, dtype=np.float64)


def _alarm_probability_at_one_step(mu: FloatArray, k_lat: IntArray, resolution: int) -> FloatArray:
    """P(alarm) with the smallest threshold (one lattice step), in closed form: the chart
    stays at 0 until the first count with ``resolution * Y > K``."""
    steps = mu > 0
    stay = special.pdtr(np.floor(k_lat / resolution), np.where(steps, mu, 1.0))
    return np.asarray(1.0 - np.prod(np.where(steps, stay, 1.0), axis=1), dtype=np.float64)


def calibrate_thresholds(
    mu: npt.ArrayLike,
    *,
    shift: float = 2.0,
    alpha: float = 0.01,
    resolution: int | None = None,
) -> Calibration:
    """Choose ``h`` per chart so that its in-control false-alarm probability is <= alpha.

    ``mu`` (C, T) holds the in-control expected counts of each chart at each step (0 for an
    unobserved step). Charts for which the smallest threshold already suffices (large
    counts: ``k`` is far in the upper tail) are settled in closed form; the others are
    calibrated together by a vectorised bisection on the integer lattice threshold, each
    probe one exact batched Markov-chain pass over the charts still undecided.
    """
    mu_a = np.atleast_2d(np.asarray(mu, dtype=np.float64))
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    horizon = int(mu_a.shape[1])
    if resolution is None:
        resolution = lattice_resolution(shift, horizon, alpha)
    k_lat = to_lattice(reference_value(mu_a, shift), resolution, minimum=1)
    h_max = int(math.ceil((threshold_bound(shift, horizon, alpha) + 1.0) * resolution))
    n_charts = mu_a.shape[0]
    p_hi = _alarm_probability_at_one_step(mu_a, k_lat, resolution)
    hi = np.ones(n_charts, dtype=np.int64)
    rest = np.flatnonzero(p_hi > alpha)
    if rest.size:
        chain = _Chain.build(mu_a[rest], k_lat[rest], resolution, h_max)
        lo = np.ones(rest.size, dtype=np.int64)  # P(alarm | h = lo) > alpha
        top = np.full(rest.size, h_max, dtype=np.int64)
        p_top = chain.alarm_probability(top)
        while np.any(top - lo > 1):
            active = top - lo > 1
            mid = np.where(active, (lo + top) // 2, top)
            p_mid = chain.alarm_probability(mid)
            ok = active & (p_mid <= alpha)
            top = np.where(ok, mid, top)
            p_top = np.where(ok, p_mid, p_top)
            lo = np.where(active & ~ok, mid, lo)
        hi[rest], p_hi[rest] = top, p_top
    return Calibration(resolution, k_lat, hi, p_hi)


def run_cusum(
    y_lat: npt.ArrayLike, k_lat: npt.ArrayLike, h_lat: npt.ArrayLike, observed: npt.ArrayLike
) -> tuple[IntArray, IntArray]:
    """Run C charts over T steps in integer lattice units.

    Returns the statistic path (C, T) and the first alarm step per chart (-1 if none).
    Unobserved steps carry the statistic forward unchanged.
    """
    y = np.asarray(y_lat, dtype=np.int64)
    k = np.asarray(k_lat, dtype=np.int64)
    h = np.asarray(h_lat, dtype=np.int64)
    obs = np.asarray(observed, dtype=bool)
    n_charts, horizon = y.shape
    path = np.zeros((n_charts, horizon), dtype=np.int64)
    first = np.full(n_charts, -1, dtype=np.int64)
    s = np.zeros(n_charts, dtype=np.int64)
    for t in range(horizon):
        s = np.where(obs[:, t], np.maximum(s + y[:, t] - k[:, t], 0), s)
        path[:, t] = s
        fired = (first < 0) & obs[:, t] & (s >= h)
        first[fired] = t
    return path, first


def poisson_cusum_arl(
    mu: float, k: float, h: float, *, resolution: int = 100, head_start: float = 0.0
) -> float:
    """Exact average run length of a stationary Poisson CUSUM (Brook & Evans 1972).

    ``k``, ``h`` and ``head_start`` are put on the ``1/resolution`` lattice (the chart that
    :func:`run_cusum` runs); the ARL solves ``(I - P) L = 1`` over states ``0 .. H-1``.
    """
    k_lat = int(to_lattice([k], resolution, minimum=1)[0])
    h_lat = int(to_lattice([h], resolution, minimum=1)[0])
    start = int(to_lattice([head_start], resolution)[0])
    if start >= h_lat:
        return 1.0
    q, reset = _transition_kernels(np.array([float(mu)]), np.array([k_lat]), resolution, h_lat)
    i = np.arange(h_lat)
    offset = i[None, :] - i[:, None]  # j - i
    transition = q[0][offset + h_lat - 1]
    transition[:, 0] = reset[0]
    run_lengths = np.linalg.solve(np.eye(h_lat) - transition, np.ones(h_lat))
    return float(run_lengths[start])
