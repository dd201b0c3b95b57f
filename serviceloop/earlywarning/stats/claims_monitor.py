"""Warranty claims per unit by production cohort and months in service (R-5.4.3 (a)).

Layout. A *cohort* is a build month; *MIS* (months in service) runs 1..12 because the
warranty covers 1 year or 30,000 km, whichever comes first (R-5.6.1.1). Everything is a
(cohorts x MIS) matrix: ``claims`` (counts) and ``units`` (units at risk). A unit leaves the
risk set when it passes 12 MIS (there is no column 13), when it passes 30,000 km (see
:func:`exposure_fraction`: a mileage-accrual distribution discounts the exposure), and a
cohort is observed only up to its current age (later cells have 0 units at risk).

Monitor (:func:`monitor_claims`). Each cohort gets a Poisson CUSUM over MIS
(:mod:`serviceloop.earlywarning.stats.cusum`):

* expected claims ``mu[c, m] = units[c, m] * rate_m`` where ``rate_m`` is the claim rate at
  MIS m of *all other* cohorts pooled (leave-one-cohort-out, so a bad cohort cannot hide in
  its own baseline; a zero count is floored at 0.5 claim), or caller-supplied baseline rates;
* reference value ``k = mu (rho - 1) / ln rho`` with the design shift ``rho = 2`` (a
  doubling of the claim rate), the optimal CUSUM for that shift;
* decision interval ``h`` calibrated *per cohort* so that the exact in-control probability
  of any false alarm over the cohort's full 12-MIS warranty window is at most
  ``alpha = 1 %`` (Markov chain, exact for the lattice chart that is run; unobserved future
  months are projected with the cohort's last units at risk and the pooled rates). With
  ``C`` cohorts about ``alpha * C`` false alarms are expected in all; see
  ``benchmarks/earlywarning_simulation.py`` for measured false-alarm rates and delays.

Over-dispersion (:func:`dispersion`). Claims often vary more than Poisson (batches, regions,
dealer habits). The Pearson statistic of the cohort + MIS log-linear model (the Poisson GLM
with ``log(units)`` offset, fitted by iterative proportional fitting) gives
``phi = X2 / df``. Cohorts whose own Pearson statistic is extreme (p < 0.001) are left out of
that estimate and the model is refitted without them: a defective cohort is the signal, not
noise, and must not widen everyone's limits. When ``phi > 1`` with p < 0.05 the monitor
switches to the quasi-Poisson scaling ``Y / phi ~ Poisson(mu / phi)``, which widens the
effective limits by about ``sqrt(phi)``, and every alert says so in its evidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

from .cusum import calibrate_thresholds, run_cusum, to_lattice
from .rates import CohortRate, Dispersion, MainEffects, cohort_rates, dispersion, fit_main_effects
from .validation import DataError, FloatArray, IntArray, float_column, integer_column

__all__ = [
    "WARRANTY_KM",
    "WARRANTY_MONTHS",
    "ClaimsAlert",
    "ClaimsMonitor",
    "ClaimsTable",
    "CohortRate",
    "Dispersion",
    "MainEffects",
    "aggregate_claims",
    "cohort_rates",
    "dispersion",
    "exposure_fraction",
    "fit_main_effects",
    "month_label",
    "month_ordinal",
    "monitor_claims",
    "units_at_risk",
]

WARRANTY_MONTHS = 12
WARRANTY_KM = 30_000.0

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


# --------------------------------------------------------------------------- cohorts


def month_ordinal(label: str) -> int:
    """``"2024-03"`` -> 2024 * 12 + 2, so that month differences are integer subtraction."""
    m = _MONTH.match(label.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{label!r} is not a YYYY-MM month")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_label(ordinal: int) -> str:
    """Inverse of :func:`month_ordinal`."""
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def _cohort_order(labels: Sequence[str]) -> list[str]:
    """Chronological for YYYY-MM labels, numeric for integers, else lexical."""
    unique = sorted(set(labels))
    if all(_MONTH.match(x) for x in unique):
        return sorted(unique, key=month_ordinal)
    if all(re.fullmatch(r"-?\d+", x) for x in unique):
        return sorted(unique, key=int)
    return unique


# --------------------------------------------------------------------------- exposure


def exposure_fraction(
    months: int = WARRANTY_MONTHS,
    *,
    km_limit: float = WARRANTY_KM,
    km_per_month_cdf: Callable[[FloatArray], FloatArray] | None = None,
    nodes: int = 16,
) -> FloatArray:
    """Expected fraction of MIS month m (1..months) a unit spends under ``km_limit``.

    A unit driving ``K`` km per month passes the limit at ``L / K`` months, so its coverage
    of month m is the part of ``[m - 1, m]`` before that; the expectation over the mileage
    distribution is ``integral_{m-1}^{m} F_K(L / s) ds`` (Gauss-Legendre, ``nodes`` points
    per month). ``km_per_month_cdf`` is the CDF of ``K`` (e.g.
    ``scipy.stats.lognorm(0.5, scale=1500).cdf``); without it every month counts fully.
    """
    if km_per_month_cdf is None:
        return np.ones(months)
    x, w = np.polynomial.legendre.leggauss(nodes)
    s = np.arange(months)[:, None] + 0.5 * (x[None, :] + 1.0)  # (months, nodes) in (m-1, m)
    covered = np.asarray(km_per_month_cdf(km_limit / s), dtype=np.float64)
    return np.asarray(0.5 * (covered * w[None, :]).sum(axis=1), dtype=np.float64)


def units_at_risk(
    units: npt.ArrayLike,
    months_in_service: npt.ArrayLike,
    *,
    months: int = WARRANTY_MONTHS,
    km_limit: float = WARRANTY_KM,
    km_per_month_cdf: Callable[[FloatArray], FloatArray] | None = None,
) -> FloatArray:
    """Units at risk (cohorts x MIS) for cohorts of ``units`` that have completed
    ``months_in_service`` months in service (MIS beyond that is not yet observed).

    Units leave the risk set after ``months`` MIS and, with ``km_per_month_cdf``, in
    proportion to the expected share of each month they spend past ``km_limit``.
    """
    n = float_column(units, "units", 1)
    age = integer_column(months_in_service, "months_in_service", 1, minimum=0)
    if (n < 0).any():
        raise DataError("units must be >= 0", row=int(np.argmax(n < 0)) + 1, column="units")
    frac = exposure_fraction(months, km_limit=km_limit, km_per_month_cdf=km_per_month_cdf)
    observed = np.arange(1, months + 1)[None, :] <= age[:, None]
    return np.where(observed, n[:, None] * frac[None, :], 0.0)


# --------------------------------------------------------------------------- aggregation


def aggregate_claims(
    build_month: npt.ArrayLike,
    mis: npt.ArrayLike,
    cohorts: npt.ArrayLike,
    *,
    months: int = WARRANTY_MONTHS,
    row_offset: int = 1,
) -> IntArray:
    """Count claim rows into a (cohorts x MIS) matrix with one ``np.bincount``.

    ``build_month`` holds an integer cohort key per claim (e.g. :func:`month_ordinal`),
    ``cohorts`` the keys of the matrix rows, ``mis`` the months in service (1..months).
    A claim of an unknown cohort or outside the warranty window raises :class:`DataError`.
    Range checks use min/max (one pass each); the row of a bad value is looked up only
    on failure.
    """
    b = np.asarray(build_month)
    m = np.asarray(mis)
    keys = np.asarray(cohorts, dtype=np.int64)
    if b.dtype.kind not in "iu" or m.dtype.kind not in "iu":
        b = integer_column(b, "build_month", row_offset)
        m = integer_column(m, "mis", row_offset)
    if b.shape != m.shape:
        raise DataError(f"{m.size} MIS values for {b.size} claims", column="mis")
    lo, hi = int(keys.min()), int(keys.max())
    if b.size == 0:
        return np.zeros((keys.size, months), dtype=np.int64)
    if int(b.min()) < lo or int(b.max()) > hi:
        i = int(np.argmax((b < lo) | (b > hi)))
        raise DataError(f"unknown cohort {b[i]}", row=i + row_offset, column="build_month")
    if int(m.min()) < 1 or int(m.max()) > months:
        i = int(np.argmax((m < 1) | (m > months)))
        raise DataError(
            f"MIS {m[i]} is outside the {months}-month warranty window",
            row=i + row_offset,
            column="mis",
        )
    contiguous = keys.size == hi - lo + 1 and bool((np.diff(keys) == 1).all())
    if contiguous and lo * months < 2**24:
        # flat = b * months + m, counted from 0 and sliced: no subtraction pass
        flat = np.multiply(b, months, dtype=np.intp)
        flat += m
        start = lo * months + 1
        counts = np.bincount(flat, minlength=start + keys.size * months)[start:]
        return counts.reshape(keys.size, months)
    lookup = np.full(hi - lo + 1, -1, dtype=np.intp)
    lookup[keys - lo] = np.arange(keys.size)
    index = lookup[b - lo]
    if int(index.min()) < 0:
        i = int(np.argmax(index < 0))
        raise DataError(f"unknown cohort {b[i]}", row=i + row_offset, column="build_month")
    flat = index * months
    flat += m
    flat -= 1
    return np.bincount(flat, minlength=keys.size * months).reshape(keys.size, months)


@dataclass(frozen=True)
class ClaimsTable:
    """Claims and units at risk per cohort (rows, in ``cohorts`` order) and MIS (columns)."""

    cohorts: tuple[str, ...]
    claims: IntArray
    units: FloatArray

    def __post_init__(self) -> None:
        c, u = self.claims, self.units
        if c.shape != u.shape or c.shape[0] != len(self.cohorts):
            raise DataError(f"claims {c.shape} and units {u.shape} do not match the cohorts")
        if c.size == 0:
            raise DataError("no cohorts")
        if (c < 0).any() or (u < 0).any() or not np.isfinite(u).all():
            raise DataError("claims and units must be non-negative numbers")
        orphan = (c > 0) & (u == 0)
        if orphan.any():
            i, j = np.argwhere(orphan)[0]
            raise DataError(
                f"cohort {self.cohorts[i]} has claims at MIS {j + 1} but no units at risk"
            )

    @property
    def months(self) -> int:
        return int(self.claims.shape[1])

    @classmethod
    def from_rows(
        cls,
        build_month: Sequence[str],
        mis: npt.ArrayLike,
        units: npt.ArrayLike,
        claims: npt.ArrayLike,
        *,
        months: int = WARRANTY_MONTHS,
        row_offset: int = 1,
    ) -> ClaimsTable:
        """Build from one row per (build_month, MIS) cell; errors name row and column."""
        labels = [str(x).strip() for x in build_month]
        if not labels:
            raise DataError("no data rows")
        for i, label in enumerate(labels):
            if not label:
                raise DataError("empty build month", row=i + row_offset, column="build_month")
        m = integer_column(mis, "mis", row_offset, minimum=1)
        late = m > months
        if late.any():
            i = int(np.argmax(late))
            raise DataError(
                f"MIS {m[i]} is past the {months}-month warranty (units leave the risk set)",
                row=i + row_offset,
                column="mis",
            )
        u = float_column(units, "units", row_offset)
        negative = u < 0
        if negative.any():
            i = int(np.argmax(negative))
            raise DataError(f"must be >= 0, got {u[i]:g}", row=i + row_offset, column="units")
        y = integer_column(claims, "claims", row_offset, minimum=0)
        orphan = (y > 0) & (u == 0)
        if orphan.any():
            i = int(np.argmax(orphan))
            raise DataError(
                f"{y[i]} claims but no units at risk", row=i + row_offset, column="claims"
            )
        order = _cohort_order(labels)
        position = {label: j for j, label in enumerate(order)}
        rows = np.array([position[x] for x in labels], dtype=np.int64)
        cell = rows * months + (m - 1)
        first_seen: dict[int, int] = {}
        for i, key in enumerate(cell.tolist()):
            if key in first_seen:
                raise DataError(
                    f"duplicate cell build_month={labels[i]}, mis={m[i]} "
                    f"(first at row {first_seen[key] + row_offset})",
                    row=i + row_offset,
                    column="mis",
                )
            first_seen[key] = i
        claims_m = np.zeros(len(order) * months, dtype=np.int64)
        units_m = np.zeros(len(order) * months)
        claims_m[cell] = y
        units_m[cell] = u
        shape = (len(order), months)
        return cls(tuple(order), claims_m.reshape(shape), units_m.reshape(shape))

    def rates(self) -> FloatArray:
        """Claims per unit at risk in each cell (NaN where nothing is at risk)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.units > 0, self.claims / self.units, np.nan)

    def cumulative_claims_per_unit(self) -> FloatArray:
        """The warranty chart: sum over MIS 1..m of claims per unit at risk (NaN if unseen)."""
        r = self.rates()
        cum = np.cumsum(np.nan_to_num(r), axis=1)
        seen = np.maximum.accumulate(self.units > 0, axis=1)
        return np.where(seen & (self.units > 0), cum, np.nan)


# --------------------------------------------------------------------------- monitor


@dataclass(frozen=True)
class ClaimsAlert:
    """A cohort whose claims CUSUM crossed its decision interval, with the evidence.

    ``mis`` is the month in service at which the alarm fires. ``observed``/``expected`` are
    claims in that month, ``cumulative_*`` over MIS 1..mis. ``cusum``, ``threshold`` and
    ``reference_value`` are in claims (divided by ``phi`` when ``overdispersed``).
    ``p_value`` is the Poisson (quasi-Poisson when over-dispersed) upper tail of the
    cumulative count; ``false_alarm_probability`` the chart's exact in-control risk over
    the 12-MIS window.
    """

    build_month: str
    mis: int
    observed: int
    expected: float
    units_at_risk: float
    rate: float
    expected_rate: float
    cumulative_observed: int
    cumulative_expected: float
    rate_ratio: float
    cusum: float
    threshold: float
    reference_value: float
    shift: float
    false_alarm_probability: float
    p_value: float
    phi: float
    overdispersed: bool
    baseline: str
    signal: str = "warranty_claims"
    requirement: str = "R-5.4.3(a)"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ClaimsMonitor:
    """Everything the monitor computed, for reports and charts (cohorts x MIS arrays)."""

    alerts: tuple[ClaimsAlert, ...]
    expected: FloatArray
    cusum: FloatArray
    thresholds: FloatArray
    false_alarm: FloatArray
    dispersion: Dispersion
    shift: float
    alpha: float


def _baseline_rates(table: ClaimsTable, given: npt.ArrayLike | None) -> tuple[FloatArray, str]:
    """Claim rate per unit at risk used as in-control baseline for each cell (C, M)."""
    y, e = table.claims.astype(np.float64), table.units
    if given is not None:
        rates = float_column(given, "baseline_rates", 1)
        if rates.shape != (table.months,) or (rates < 0).any():
            raise DataError(f"need {table.months} non-negative baseline rates")
        return np.broadcast_to(rates, y.shape).copy(), "given"
    tot_y, tot_e = y.sum(axis=0), e.sum(axis=0)
    rest_y, rest_e = tot_y[None, :] - y, tot_e[None, :] - e
    # Where no other cohort is at risk, the pooled rate (own data included) is the fallback.
    use_rest = rest_e > 1e-9 * np.maximum(tot_e[None, :], 1.0)
    num = np.where(use_rest, rest_y, tot_y[None, :])
    den = np.where(use_rest, rest_e, tot_e[None, :])
    num = np.maximum(num, 0.5)  # a zero count says "rare", not "impossible"
    rates = np.divide(num, den, out=np.full(y.shape, np.nan), where=den > 0)
    # Months nobody has reached yet (only needed to project the calibration window).
    filled = np.where(np.isnan(rates), 0.0, rates)
    idx = np.where(~np.isnan(rates), np.arange(table.months)[None, :], 0)
    np.maximum.accumulate(idx, axis=1, out=idx)
    return np.take_along_axis(filled, idx, axis=1), "other cohorts pooled (leave-one-out)"


def _projected(units: FloatArray) -> FloatArray:
    """Units at risk over the full window: months after the last observed one carry the
    last observed units forward (the cohort's future exposure, for calibration only)."""
    months = units.shape[1]
    seen = units > 0
    last = np.where(seen, np.arange(months)[None, :], -1)
    np.maximum.accumulate(last, axis=1, out=last)
    carried = np.take_along_axis(units, np.maximum(last, 0), axis=1)
    has_any = last >= 0
    after_last = np.arange(months)[None, :] > last.max(axis=1, keepdims=True)
    return np.where(seen, units, np.where(has_any & after_last, carried, 0.0))


def monitor_claims(
    table: ClaimsTable,
    *,
    shift: float = 2.0,
    alpha: float = 0.01,
    baseline_rates: npt.ArrayLike | None = None,
    horizon_units: npt.ArrayLike | None = None,
    dispersion_level: float = 0.05,
) -> ClaimsMonitor:
    """Per-cohort Poisson CUSUM over MIS (R-5.4.3 (a)); see the module docstring.

    ``baseline_rates`` (claims per unit at risk, one per MIS) replaces the leave-one-out
    pooled baseline; ``horizon_units`` (cohorts x MIS) replaces the projection of future
    units at risk used to calibrate ``h`` over the whole warranty window.
    """
    rates, baseline = _baseline_rates(table, baseline_rates)
    observed = table.units > 0
    mu = np.where(observed, table.units * rates, 0.0)
    disp = dispersion(table, level=dispersion_level)
    phi = disp.phi if disp.overdispersed else 1.0
    future = _projected(table.units) if horizon_units is None else np.asarray(horizon_units)
    mu_window = np.where(observed, mu, future * rates) / phi
    # a cell that is observed must count as a step of the chain even if mu is tiny
    mu_window = np.where(observed | (future > 0), np.maximum(mu_window, 1e-12), 0.0)
    cal = calibrate_thresholds(mu_window, shift=shift, alpha=alpha)
    d = cal.resolution
    y_lat = to_lattice(table.claims / phi, d)
    path, first = run_cusum(y_lat, cal.k_lat, cal.h_lat, observed)
    cusum = np.where(observed, path / d, np.nan)
    alerts = []
    for c in np.flatnonzero(first >= 0):
        t = int(first[c])
        cum_obs = int(table.claims[c, : t + 1].sum())
        cum_exp = float(mu[c, : t + 1].sum())
        p_value = float(special.pdtrc(math.ceil(cum_obs / phi) - 1, cum_exp / phi))
        alerts.append(
            ClaimsAlert(
                build_month=table.cohorts[c],
                mis=t + 1,
                observed=int(table.claims[c, t]),
                expected=float(mu[c, t]),
                units_at_risk=float(table.units[c, t]),
                rate=float(table.claims[c, t] / table.units[c, t]),
                expected_rate=float(rates[c, t]),
                cumulative_observed=cum_obs,
                cumulative_expected=cum_exp,
                rate_ratio=cum_obs / cum_exp if cum_exp > 0 else math.inf,
                cusum=float(path[c, t] / d),
                threshold=float(cal.h_lat[c] / d),
                reference_value=float(cal.k_lat[c, t] / d),
                shift=shift,
                false_alarm_probability=float(cal.false_alarm[c]),
                p_value=p_value,
                phi=float(disp.phi),
                overdispersed=disp.overdispersed,
                baseline=baseline,
            )
        )
    return ClaimsMonitor(
        alerts=tuple(alerts),
        expected=mu,
        cusum=cusum,
        thresholds=cal.h,
        false_alarm=cal.false_alarm,
        dispersion=disp,
        shift=shift,
        alpha=alpha,
    )
