"""Claim rates per cohort, the cohort + MIS Poisson model and the over-dispersion check.

Supports :mod:`serviceloop.earlywarning.stats.claims_monitor` (R-5.4.3 (a)). The cohort + MIS
model is the Poisson GLM ``claims ~ C(cohort) + C(mis)`` with ``offset(log(units))``;
it is fitted here by iterative proportional fitting, whose block updates are exact conditional
maximisations of the (concave) log-likelihood, so it converges to the same maximum-likelihood
fit as IRLS without building a design matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy import stats

from .validation import FloatArray

if TYPE_CHECKING:
    from .claims_monitor import ClaimsTable


@dataclass(frozen=True)
class MainEffects:
    """Poisson log-linear model claims ~ cohort + MIS with log(units) offset.

    ``fitted = units * cohort_effect[:, None] * mis_rate[None, :]``; ``cohort_effect`` is
    scaled to an exposure-weighted mean of 1, so it reads as a relative claim rate.
    """

    cohort_effect: FloatArray
    mis_rate: FloatArray
    fitted: FloatArray
    iterations: int


# Enough for the Pearson statistic when the maximum-likelihood estimate lies on the boundary
# (e.g. a cohort whose only claims fall in a month in service where no other cohort has
# any): proportional fitting then approaches it only sublinearly, and the remaining error
# of the fitted values is far below the sampling error of the statistic.
PEARSON_MAX_ITER = 500


def fit_main_effects(
    table: ClaimsTable, *, tol: float = 1e-13, max_iter: int = 100_000
) -> MainEffects:
    """Maximum likelihood by iterative proportional fitting (exact block updates)."""
    y, e = table.claims.astype(np.float64), table.units
    row_y, col_y = y.sum(axis=1), y.sum(axis=0)
    alpha = np.ones(y.shape[0])
    lam = np.divide(col_y, e.sum(axis=0), out=np.zeros(y.shape[1]), where=e.sum(axis=0) > 0)
    fitted = e * alpha[:, None] * lam[None, :]
    iterations = 0
    while iterations < max_iter:
        iterations += 1
        denom = e @ lam
        alpha = np.divide(row_y, denom, out=np.zeros_like(row_y), where=denom > 0)
        denom = alpha @ e
        lam = np.divide(col_y, denom, out=np.zeros_like(col_y), where=denom > 0)
        new = e * alpha[:, None] * lam[None, :]
        change = float(np.abs(new - fitted).max())
        fitted = new
        if change <= tol * max(1.0, float(fitted.max())):
            break
    exposure = e @ lam
    scale = float(alpha @ exposure) / float(exposure.sum()) if exposure.sum() > 0 else 1.0
    if scale > 0:
        alpha, lam = alpha / scale, lam * scale
    return MainEffects(alpha, lam, fitted, iterations)


@dataclass(frozen=True)
class CohortRate:
    """Claims per unit-month of one cohort, with an exact (Garwood) Poisson interval."""

    build_month: str
    claims: int
    unit_months: float
    rate: float
    rate_ci: tuple[float, float]
    standardized_ratio: float  # observed / expected at the pooled MIS-specific rates
    relative_rate: float  # cohort effect of the cohort + MIS Poisson model


def cohort_rates(table: ClaimsTable, *, confidence: float = 0.95) -> tuple[CohortRate, ...]:
    """Per-cohort claim rates (the Poisson GLM ``claims ~ cohort`` with log(units) offset
    has exactly these rates as its fitted values)."""
    y = table.claims.sum(axis=1)
    e = table.units.sum(axis=1)
    pooled = table.claims.sum(axis=0) / np.where(table.units.sum(axis=0) > 0, table.units.sum(0), 1)
    expected = table.units @ pooled
    effects = fit_main_effects(table).cohort_effect
    a = 1.0 - confidence
    out = []
    for i, label in enumerate(table.cohorts):
        yi, ei = int(y[i]), float(e[i])
        lower = 0.0 if yi == 0 else float(stats.chi2.ppf(a / 2, 2 * yi)) / 2 / ei
        upper = float(stats.chi2.ppf(1 - a / 2, 2 * yi + 2)) / 2 / ei if ei > 0 else math.inf
        out.append(
            CohortRate(
                build_month=label,
                claims=yi,
                unit_months=ei,
                rate=yi / ei if ei > 0 else math.nan,
                rate_ci=(lower, upper),
                standardized_ratio=yi / float(expected[i]) if expected[i] > 0 else math.nan,
                relative_rate=float(effects[i]),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Dispersion:
    """Pearson over-dispersion check of the cohort + MIS Poisson model.

    ``pearson_chi2`` and ``df`` cover all cells, as a Poisson GLM reports them. ``phi`` and
    ``p_value`` leave out the cohorts in ``excluded``, whose own Pearson statistic is
    extreme: a defective cohort is the signal, not noise, and must not widen the limits
    of every chart (its own included).
    """

    pearson_chi2: float
    df: int
    phi: float
    p_value: float
    overdispersed: bool
    excluded: tuple[str, ...] = ()


def _pearson(
    table: ClaimsTable, rows: npt.NDArray[np.bool_], fitted: FloatArray | None = None
) -> tuple[FloatArray, float, int]:
    """Per-cohort Pearson contributions (all cohorts) and X2, df over the cohorts ``rows``.

    The cohort + MIS model is fitted to ``rows`` only (unless ``fitted`` is given); the
    other cohorts are scored against the MIS rates of that fit with their own level.
    """
    if fitted is None:
        sub = type(table)(
            tuple(c for c, keep in zip(table.cohorts, rows, strict=True) if keep),
            table.claims[rows],
            table.units[rows],
        )
        lam = fit_main_effects(sub, max_iter=PEARSON_MAX_ITER).mis_rate
        base = table.units * lam[None, :]
        level = np.divide(
            table.claims.sum(axis=1),
            base.sum(axis=1),
            out=np.zeros(len(rows)),
            where=base.sum(axis=1) > 0,
        )
        fitted = base * level[:, None]
    used = fitted > 0
    safe = np.where(used, fitted, 1.0)
    contrib = np.where(used, (table.claims - fitted) ** 2 / safe, 0.0)
    kept = used & rows[:, None]
    n_params = int(kept.any(axis=1).sum() + kept.any(axis=0).sum() - 1)
    return contrib, float(contrib[kept].sum()), int(kept.sum()) - n_params


def dispersion(
    table: ClaimsTable,
    *,
    level: float = 0.05,
    outlier_level: float = 0.001,
    effects: MainEffects | None = None,
) -> Dispersion:
    """``phi = X2 / df`` of the cohort + MIS model fitted without outlying cohorts;
    over-dispersed when ``phi > 1`` and ``P(chi2_df >= X2) < level``.

    A cohort is an outlier when its Pearson statistic has
    ``P(chi2_(cells - 1) >= X2_c) < outlier_level``; outliers are removed and the model
    refitted until the set is stable (at most a few rounds).
    """
    everyone = np.ones(len(table.cohorts), dtype=bool)
    fitted = (effects or fit_main_effects(table, max_iter=PEARSON_MAX_ITER)).fitted
    contrib, chi2_all, df_all = _pearson(table, everyone, fitted)
    cells = (fitted > 0).sum(axis=1)
    rows = everyone
    chi2, df = chi2_all, df_all
    for _ in range(5):
        p_cohort = stats.chi2.sf(contrib.sum(axis=1), np.maximum(cells - 1, 1))
        new_rows = ~((cells > 1) & (p_cohort < outlier_level))
        if (new_rows == rows).all():
            break
        rows = new_rows
        if not rows.any():
            break
        contrib, chi2, df = _pearson(table, rows)
    excluded = tuple(table.cohorts[i] for i in np.flatnonzero(~rows))
    if df <= 0:
        return Dispersion(chi2_all, df_all, 1.0, 1.0, False, excluded)
    phi = chi2 / df
    p = float(stats.chi2.sf(chi2, df))
    return Dispersion(chi2_all, df_all, phi, p, bool(phi > 1.0 and p < level), excluded)
