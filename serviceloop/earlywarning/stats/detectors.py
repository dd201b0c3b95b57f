"""Early-warning signals (b)-(e) of R-5.4.3, each statistical and each with its evidence.

* (b) :func:`purchase_drop` - a marked drop in a customer's monthly purchase volume: the
  maximally selected two-sample t statistic for a downward level shift in log volume, with
  a permutation p-value, plus a minimum size of the drop ("marked").
* (c)/(e) :func:`survey_ewma` - an EWMA chart of customer-satisfaction or end-user survey
  scores per period, alarming on a drop below the lower limit.
* (d) :func:`failure_mode_pareto` - counts, shares and cumulative shares of failure modes
  of parts returned from the field; :func:`weibull_by_group` fits a Weibull per part and
  build cohort (:mod:`serviceloop.earlywarning.stats.reliability`), and
  :func:`cohort_homogeneity` tests whether a part's cohorts share one life distribution.

EWMA design. ``z_t = lam * xbar_t + (1 - lam) * z_{t-1}``, ``z_0`` = the target (baseline
mean). The limits use the exact variance ``V_t = (1-lam)**2 V_{t-1} + lam**2 sigma**2/n_t``
(so they widen from the start and follow the sample size of each period) and are
``target -/+ L sqrt(V_t)``. Defaults ``lam = 0.2``, ``L = 2.962``: with constant sample size
the two-sided chart's in-control ARL is 500 periods (Lucas & Saccucci 1990); counting only
drops below the lower limit, as the early warning does, it is about 1008 periods (a false
alarm rate near 0.1 % per period). A sustained drop of one standard error of a period mean
is signalled after 10.5 periods on average, half a standard error after 42.
:func:`ewma_arl` computes these by the Markov-chain method; the tests check them against
simulation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from .reliability import LifeFit, fit_weibull_data
from .validation import DataError, FloatArray, IntArray, float_column, validate_life_data

# --------------------------------------------------------------------------- (b) purchases


@dataclass(frozen=True)
class PurchaseDropAlert:
    """Evidence of a marked, statistically significant drop in purchase volume."""

    customer: str
    change_month: str  # first month of the lower level
    months_before: int
    months_after: int
    level_before: float  # geometric-mean monthly volume
    level_after: float
    relative_change: float  # level_after / level_before - 1
    statistic: float
    p_value: float
    n_permutations: int
    signal: str = "purchase_volume_drop"
    requirement: str = "R-5.4.3(b)"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _max_drop_statistic(z: FloatArray, min_segment: int) -> tuple[FloatArray, FloatArray]:
    """Max over split points of the pooled two-sample t for ``mean(before) > mean(after)``.

    ``z`` is (B, n); returns (max statistic (B,), argmax split (B,)), vectorised by cumsums.
    """
    n = z.shape[1]
    split = np.arange(min_segment, n - min_segment + 1)  # size of the "before" segment
    c1, c2 = np.cumsum(z, axis=1), np.cumsum(z * z, axis=1)
    tot1, tot2 = c1[:, -1:], c2[:, -1:]
    b1, b2 = c1[:, split - 1], c2[:, split - 1]
    n1, n2 = split.astype(np.float64), (n - split).astype(np.float64)
    mean1, mean2 = b1 / n1, (tot1 - b1) / n2
    ss = (b2 - n1 * mean1**2) + ((tot2 - b2) - n2 * mean2**2)
    s = np.sqrt(np.maximum(ss, 0.0) / (n - 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (mean1 - mean2) / (s * np.sqrt(1.0 / n1 + 1.0 / n2))
    t = np.where(s > 0, t, np.where(mean1 > mean2, np.inf, 0.0))
    best = np.argmax(t, axis=1)
    return t[np.arange(z.shape[0]), best], split[best]


def purchase_drop(
    volumes: npt.ArrayLike,
    *,
    customer: str = "",
    months: Sequence[str] | None = None,
    min_segment: int = 3,
    min_drop: float = 0.3,
    alpha: float = 0.01,
    n_permutations: int = 999,
    seed: int = 0,
) -> PurchaseDropAlert | None:
    """Alert when a customer's monthly volume dropped markedly and significantly.

    The series is ``log(1 + volume)``; the statistic is the largest pooled t statistic of
    "level before > level after" over all split points leaving ``min_segment`` months on
    each side; its p-value comes from ``n_permutations`` random permutations of the months
    (exact under "no change", whatever the distribution). An alert needs ``p < alpha`` and
    a level change of at most ``-min_drop`` (e.g. 30 % lower).
    """
    v = float_column(volumes, "volume", 1)
    if (v < 0).any():
        raise DataError("volumes must be >= 0", row=int(np.argmax(v < 0)) + 1, column="volume")
    n = v.size
    if n < 2 * min_segment:
        return None
    labels = list(months) if months is not None else [str(i + 1) for i in range(n)]
    z = np.log1p(v)
    stat, split = _max_drop_statistic(z[None, :], min_segment)
    observed, tau = float(stat[0]), int(split[0])
    before, after = float(z[:tau].mean()), float(z[tau:].mean())
    change = math.expm1(after) / math.expm1(before) - 1.0 if before > 0 else 0.0
    if not (change <= -min_drop and observed > 0):
        return None
    rng = np.random.default_rng(seed)
    perms = rng.permuted(np.broadcast_to(z, (n_permutations, n)), axis=1)
    null, _ = _max_drop_statistic(perms, min_segment)
    p_value = float((1 + np.count_nonzero(null >= observed - 1e-12)) / (n_permutations + 1))
    if p_value >= alpha:
        return None
    return PurchaseDropAlert(
        customer=customer,
        change_month=labels[tau],
        months_before=tau,
        months_after=n - tau,
        level_before=math.expm1(before),
        level_after=math.expm1(after),
        relative_change=change,
        statistic=observed,
        p_value=p_value,
        n_permutations=n_permutations,
    )


# --------------------------------------------------------------------------- (c)/(e) surveys


@dataclass(frozen=True)
class EwmaChart:
    """EWMA statistic and exact limits per period (R-5.4.3 (c)/(e))."""

    means: FloatArray
    sizes: FloatArray
    statistic: FloatArray
    lower: FloatArray
    upper: FloatArray
    target: float
    sigma: float
    lam: float
    width: float


@dataclass(frozen=True)
class SurveyAlert:
    """A satisfaction / survey score drop below the EWMA lower limit, with evidence."""

    period: str
    mean_score: float
    responses: int
    ewma: float
    lower_limit: float
    target: float
    sigma: float
    lam: float
    width: float
    survey: str
    signal: str = "survey_score_drop"
    requirement: str = "R-5.4.3(c)/(e)"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ewma_chart(
    means: npt.ArrayLike,
    sizes: npt.ArrayLike,
    *,
    target: float,
    sigma: float,
    lam: float = 0.2,
    width: float = 2.962,
) -> EwmaChart:
    """EWMA of period means with exact, sample-size-aware limits (see module docstring)."""
    x = float_column(means, "mean", 1)
    n = float_column(sizes, "responses", 1)
    if not 0 < lam <= 1:
        raise ValueError(f"lam must be in (0, 1], got {lam}")
    z = np.empty_like(x)
    var = np.empty_like(x)
    zt, vt = target, 0.0
    for t in range(x.size):  # periods are few (months); the recursion is inherently serial
        zt = lam * x[t] + (1.0 - lam) * zt
        vt = (1.0 - lam) ** 2 * vt + lam**2 * sigma**2 / n[t]
        z[t], var[t] = zt, vt
    half = width * np.sqrt(var)
    return EwmaChart(x, n, z, target - half, target + half, target, sigma, lam, width)


def survey_ewma(
    scores: npt.ArrayLike,
    period: npt.ArrayLike,
    *,
    period_labels: Sequence[str] | None = None,
    baseline_periods: int = 6,
    target: float | None = None,
    lam: float = 0.2,
    width: float = 2.962,
    survey: str = "customer satisfaction",
) -> tuple[EwmaChart, tuple[SurveyAlert, ...]]:
    """EWMA chart of survey scores given one row per response (score, period index 0..P-1).

    ``sigma`` is the pooled within-period standard deviation (unaffected by shifts of the
    mean); ``target`` defaults to the mean of the first ``baseline_periods`` periods. Each
    period whose EWMA falls below the lower limit is an alert.
    """
    s = float_column(scores, "score", 1)
    p = np.asarray(period, dtype=np.int64)
    if p.shape != s.shape or (p < 0).any():
        raise DataError("period must be a non-negative index per score", column="period")
    count = np.bincount(p).astype(np.float64)
    if (count == 0).any():
        raise DataError(f"period {int(np.argmax(count == 0))} has no responses", column="period")
    total = np.bincount(p, weights=s)
    means = total / count
    within = float(np.bincount(p, weights=(s - means[p]) ** 2).sum())
    dof = s.size - count.size
    if dof <= 0 or within <= 0:
        raise DataError("need repeated responses per period to estimate the spread", column="score")
    sigma = math.sqrt(within / dof)
    base = slice(0, min(baseline_periods, count.size))
    mu0 = float(total[base].sum() / count[base].sum()) if target is None else float(target)
    chart = ewma_chart(means, count, target=mu0, sigma=sigma, lam=lam, width=width)
    labels = [str(i) for i in range(count.size)] if period_labels is None else list(period_labels)
    alerts = tuple(
        SurveyAlert(
            period=labels[t],
            mean_score=float(means[t]),
            responses=int(count[t]),
            ewma=float(chart.statistic[t]),
            lower_limit=float(chart.lower[t]),
            target=mu0,
            sigma=sigma,
            lam=lam,
            width=width,
            survey=survey,
        )
        for t in np.flatnonzero(chart.statistic < chart.lower)
    )
    return chart, alerts


def ewma_arl(
    lam: float = 0.2,
    width: float = 2.962,
    *,
    shift: float = 0.0,
    side: Literal["both", "lower"] = "both",
    cells: int = 301,
) -> float:
    """ARL of an EWMA chart with asymptotic limits, Markov-chain method (Lucas & Saccucci).

    Observations are N(shift, 1) in standard-error units; the in-control mean is 0. With
    ``side="lower"`` only crossings of the lower limit count (the upper range is extended
    to ``width + 6`` and mass beyond it stays in the top cell).
    """
    sd = math.sqrt(lam / (2.0 - lam))
    lower = -width * sd
    upper = width * sd if side == "both" else (width + 6.0) * sd
    edges = np.linspace(lower, upper, cells + 1)
    centre = 0.5 * (edges[:-1] + edges[1:])
    mean_next = (1.0 - lam) * centre[:, None]
    cdf = special.ndtr((edges[None, :] - mean_next) / lam - shift)  # (cells, cells + 1)
    transition = np.diff(cdf, axis=1)
    if side == "lower":
        transition[:, -1] += 1.0 - cdf[:, -1]
    arl = np.linalg.solve(np.eye(cells) - transition, np.ones(cells))
    return float(np.interp(0.0, centre, arl))


# --------------------------------------------------------------------------- (d) returned parts


@dataclass(frozen=True)
class ParetoRow:
    mode: str
    count: float
    share: float
    cumulative_share: float
    vital_few: bool  # among the modes that make up the first ``vital_share`` of failures


def failure_mode_pareto(
    modes: Sequence[str], counts: npt.ArrayLike | None = None, *, vital_share: float = 0.8
) -> tuple[ParetoRow, ...]:
    """Pareto table of failure modes: descending counts, shares, cumulative shares."""
    labels = np.asarray([str(m) for m in modes])
    if labels.size == 0:
        return ()
    w = None if counts is None else float_column(counts, "count", 1)
    names, inverse = np.unique(labels, return_inverse=True)
    totals = np.bincount(inverse, weights=w).astype(np.float64)
    order = np.lexsort((names, -totals))
    totals, names = totals[order], names[order]
    share = totals / totals.sum()
    cumulative = np.cumsum(share)
    vital = np.concatenate([[True], cumulative[:-1] < vital_share - 1e-12])
    return tuple(
        ParetoRow(str(n), float(c), float(s), float(cs), bool(v))
        for n, c, s, cs, v in zip(names, totals, share, cumulative, vital, strict=True)
    )


@dataclass(frozen=True)
class GroupFit:
    part: str
    cohort: str
    n: float
    failures: float
    fit: LifeFit | None  # None when there are too few failures to fit
    b10: float | None


def _groups(part: Sequence[str], cohort: Sequence[str]) -> list[tuple[str, str, IntArray]]:
    keys = np.asarray([f"{p}\x1f{c}" for p, c in zip(part, cohort, strict=True)])
    names, inverse = np.unique(keys, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(names.size + 1))
    out = []
    for g, name in enumerate(names):
        p, c = str(name).split("\x1f", 1)
        out.append((p, c, order[bounds[g] : bounds[g + 1]]))
    return out


def weibull_by_group(
    part: Sequence[str],
    cohort: Sequence[str],
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    count: npt.ArrayLike | None = None,
    *,
    min_failures: int = 3,
) -> tuple[GroupFit, ...]:
    """Weibull fit per (part, build cohort) of returned-part / field life data."""
    data = validate_life_data(time, event, count)
    out = []
    for p, c, idx in _groups(part, cohort):
        sub = type(data)(data.times[idx], data.failed[idx], data.weights[idx])
        fit = None
        if sub.failures >= min_failures:
            try:
                fit = fit_weibull_data(sub)
            except DataError:
                fit = None
        out.append(GroupFit(p, c, sub.n, sub.failures, fit, fit.quantile(0.1) if fit else None))
    return tuple(out)


@dataclass(frozen=True)
class ReturnedPartsAlert:
    """A part whose build cohorts do not share one Weibull life distribution."""

    part: str
    statistic: float
    df: int
    p_value: float
    pooled_shape: float
    pooled_scale: float
    worst_cohort: str
    worst_b10: float
    pooled_b10: float
    cohort_b10: dict[str, float]
    signal: str = "returned_parts_life"
    requirement: str = "R-5.4.3(d)"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def cohort_homogeneity(
    part: Sequence[str],
    cohort: Sequence[str],
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    count: npt.ArrayLike | None = None,
    *,
    alpha: float = 0.01,
    min_failures: int = 3,
) -> tuple[ReturnedPartsAlert, ...]:
    """Likelihood-ratio test per part: one Weibull for all cohorts vs one per cohort.

    ``2 (sum_g l_g - l_pooled) ~ chi2(2 (G - 1))`` over the cohorts with at least
    ``min_failures`` failures; an alert names the cohort with the shortest B10 life.
    """
    data = validate_life_data(time, event, count)
    fits = weibull_by_group(part, cohort, time, event, count, min_failures=min_failures)
    parts = np.asarray([str(p) for p in part])
    cohorts = np.asarray([str(c) for c in cohort])
    alerts = []
    for name in sorted({g.part for g in fits}):
        usable = [g for g in fits if g.part == name and g.fit is not None]
        if len(usable) < 2:
            continue
        keep = (parts == name) & np.isin(cohorts, [g.cohort for g in usable])
        pooled = fit_weibull_data(
            type(data)(data.times[keep], data.failed[keep], data.weights[keep])
        )
        stat = 2.0 * (sum(g.fit.loglik for g in usable if g.fit) - pooled.loglik)
        df = 2 * (len(usable) - 1)
        p_value = float(stats.chi2.sf(max(stat, 0.0), df))
        if p_value >= alpha:
            continue
        b10 = {g.cohort: float(g.b10) for g in usable if g.b10 is not None}
        worst = min(b10, key=lambda k: b10[k])
        alerts.append(
            ReturnedPartsAlert(
                part=name,
                statistic=stat,
                df=df,
                p_value=p_value,
                pooled_shape=pooled.shape,
                pooled_scale=pooled.scale,
                worst_cohort=worst,
                worst_b10=b10[worst],
                pooled_b10=pooled.quantile(0.1),
                cohort_b10=b10,
            )
        )
    return tuple(alerts)
