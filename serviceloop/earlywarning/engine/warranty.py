"""Signals (a) and (d) of R-5.4.3 from warranty claims and production volumes, per part.

Clock. Claims are counted on each build cohort's own clock: a cohort built in month B is
taken to enter service ``lag`` months later (the median of purchase month - build month
over the claims that have both, 1 month when fewer than 5 do), so a claim failing in
month F is in month in service (MIS) ``F - B - lag + 1`` (at least 1), and the cohort has
completed ``current - B - lag`` months in service (at most 12, the warranty year;
at least its latest claim's MIS). Only complete calendar months are analysed: claims
failing in the current month wait for the next run. Claims decided "not covered" (misuse,
modification ...) are not product failures and are left out, as are claims past the
12-month window or over 30,000 km. The mileage limit also discounts the units at risk
(claims.units_at_risk) with a lognormal km-per-month distribution fitted to the claims
that have mileage and a purchase date (at least 20).

(a) the production-time monitor (stats.production, issue 14): each build month judged
against earlier build months (or the part's given baseline per MIS), a step CUSUM per MIS
group and a GLR for drift over build months; one finding per episode, keyed by its
estimated onset build month. (d) the life of returned parts:
the failure-mode Pareto, a Weibull fit per part and per cohort with the cohort's survivors
censored at its age (signals.weibull_by_group), the likelihood-ratio test that all cohorts
share one life distribution (signals.cohort_homogeneity), and the failure-mode shift of
the latest 3 months (modes.mode_shift).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from django.utils.translation import gettext
from scipy import stats

from ..stats.claims_monitor import (
    WARRANTY_KM,
    WARRANTY_MONTHS,
    ClaimsTable,
    aggregate_claims,
    month_ordinal,
    units_at_risk,
)
from ..stats.detectors import (
    GroupFit,
    ParetoRow,
    ReturnedPartsAlert,
    cohort_homogeneity,
    failure_mode_pareto,
    weibull_by_group,
)
from ..stats.modes import ModeShift, mode_shift
from ..stats.production import MIS_GROUPS, ProductionResult, monitor_production
from ..stats.rates import Dispersion, dispersion
from ..stats.reliability import LifeFit, fit_weibull
from ..stats.validation import DataError
from .common import Finding, clean
from .feedback import FIELD_REPORT, source_counts

# A field report (a service record or complaint, see .feedback) counts like a claim in review.
COUNTED_DECISIONS = frozenset({"covered", "needs_review", FIELD_REPORT})
DEFAULT_LAG, MAX_LAG, MIN_LAG_CLAIMS = 1, 6, 5
MIN_KM_CLAIMS = 20
MIN_COHORTS = 3
DAYS_PER_MONTH = 30.4375
KIND_CLAIMS, KIND_RETURNED = "warranty_claims", "returned_parts"


def _ordinal(label: Any) -> int | None:
    try:
        return month_ordinal(str(label))
    except ValueError:
        return None


def _month_of(days: Any) -> np.ndarray:
    """datetime64[D] -> month ordinal (year * 12 + month - 1); NaT -> -1."""
    d = np.asarray(days, dtype="datetime64[D]")
    months = d.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return np.where(np.isnat(d), -1, months)


@dataclass(frozen=True)
class Clock:
    """How cohorts enter service and how fast units accrue kilometres."""

    lag: int = DEFAULT_LAG
    lag_claims: int = 0
    km_median: float | None = None  # km per month, lognormal median
    km_sigma: float | None = None
    km_claims: int = 0

    def km_cdf(self) -> Callable[[Any], Any] | None:
        if self.km_median is None or self.km_sigma is None:
            return None
        dist = stats.lognorm(s=self.km_sigma, scale=self.km_median)
        return dist.cdf  # type: ignore[no-any-return]

    def as_dict(self) -> dict[str, Any]:
        return clean(self.__dict__)


def estimate_clock(claims: dict[str, Any]) -> Clock:
    build = claims["build_month"]
    purchase = claims["purchase_date"]
    if len(build) == 0:
        return Clock()
    build_ord = np.array([_ordinal(b) if b else None for b in build], dtype=object)
    has_build = np.array([b is not None for b in build_ord])
    purchase_month = _month_of(purchase)
    both = has_build & (purchase_month >= 0)
    lag, lag_n = DEFAULT_LAG, 0
    if both.any():
        lags = purchase_month[both] - build_ord[both].astype(np.int64)
        lags = lags[(lags >= 0) & (lags <= 24)]
        lag_n = int(lags.size)
        if lag_n >= MIN_LAG_CLAIMS:
            lag = int(np.clip(round(float(np.median(lags))), 0, MAX_LAG))
    km = np.asarray(claims["mileage_km"], dtype=float)
    fail = np.asarray(claims["failure_date"], dtype="datetime64[D]")
    days = (fail - np.asarray(purchase, dtype="datetime64[D]")).astype("timedelta64[D]")
    ok = np.isfinite(km) & ~np.isnat(days)
    ok[ok] &= days[ok].astype(np.int64) >= 15
    ok[ok] &= km[ok] > 0
    median = sigma = None
    km_n = int(ok.sum())
    if km_n >= MIN_KM_CLAIMS:
        per_month = km[ok] / (days[ok].astype(np.int64) / DAYS_PER_MONTH)
        logs = np.log(per_month)
        median, sigma = float(np.exp(logs.mean())), max(float(logs.std(ddof=1)), 0.05)
    return Clock(lag, lag_n, median, sigma, km_n)


@dataclass
class PartAnalysis:
    """Everything known about one part number, for findings, dashboard and charts."""

    part: str
    name: str
    as_of: date
    clock: Clock
    cohorts: list[str]
    built: np.ndarray  # units built per cohort
    ages: np.ndarray  # completed months in service per cohort
    claim_cohort: np.ndarray  # cohort index per counted claim in the window
    claim_mis: np.ndarray
    excluded: Counter[str] = field(default_factory=Counter)
    # counted failures per after-sales source, and how many several sources reported
    sources: dict[str, int] = field(default_factory=dict)
    reported_twice: int = 0
    modes: list[str] = field(default_factory=list)  # every counted claim's failure mode
    mode_months: list[int] = field(default_factory=list)
    table: ClaimsTable | None = None
    monitored: np.ndarray | None = None  # cohort indices in the table
    production: ProductionResult | None = None
    dispersion: Dispersion | None = None
    baseline_rates: np.ndarray | None = None  # given claims per unit per MIS (NaN: none)
    baseline_note: str = ""
    pareto: tuple[ParetoRow, ...] = ()
    pooled_fit: LifeFit | None = None
    group_fits: tuple[GroupFit, ...] = ()
    homogeneity: tuple[ReturnedPartsAlert, ...] = ()
    shift: ModeShift | None = None
    life: dict[str, np.ndarray] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, error message)
    insufficient: list[tuple[str, str]] = field(default_factory=list)  # (kind, what is missing)

    @property
    def counted_claims(self) -> int:
        return int(self.claim_mis.size)


def prepare_part(
    part: str,
    claims: dict[str, Any],
    volumes: dict[str, int],
    as_of: date,
    clock: Clock,
    name: str = "",
) -> PartAnalysis:
    """Cohorts with production, their ages, and the counted claims on the cohort clock."""
    current = as_of.year * 12 + as_of.month - 1
    cohorts = sorted((m for m, q in volumes.items() if q > 0), key=month_ordinal)
    built = np.array([float(volumes[m]) for m in cohorts])
    start = np.array([month_ordinal(m) + clock.lag for m in cohorts], dtype=np.int64)
    ages = np.clip(current - start, 0, WARRANTY_MONTHS)
    position = {m: i for i, m in enumerate(cohorts)}
    pa = PartAnalysis(part, name, as_of, clock, cohorts, built, ages, np.array([]), np.array([]))
    sel = np.asarray(claims["part_number"] == part) if len(claims["part_number"]) else None
    if sel is None or not sel.any():
        pa.claim_cohort = np.zeros(0, dtype=np.int64)
        pa.claim_mis = np.zeros(0, dtype=np.int64)
        return pa
    decision = claims["decision"][sel]
    counted = np.isin(decision.astype(str), list(COUNTED_DECISIONS))
    pa.excluded["not_covered"] = int((~counted).sum())
    build = claims["build_month"][sel][counted]
    if "sources" in claims:
        reported = claims["sources"][sel][counted]
        pa.sources = source_counts(reported)
        pa.reported_twice = int(sum("+" in str(s) for s in reported))
    fail_month = _month_of(claims["failure_date"][sel][counted])
    km = np.asarray(claims["mileage_km"], dtype=float)[sel][counted]
    modes = claims["failure_mode"][sel][counted]
    pa.modes = [str(m).strip() for m in modes]
    pa.mode_months = [int(m) for m in fail_month]
    idx, mis = [], []
    for b, f, k in zip(build, fail_month, km, strict=True):
        c = position.get(str(b)) if b else None
        if not b:
            pa.excluded["no_build_month"] += 1
        elif c is None:
            pa.excluded["no_production_volume"] += 1
        elif f >= current:
            pa.excluded["current_month"] += 1
        elif math.isfinite(k) and k > WARRANTY_KM:
            pa.excluded["over_km_limit"] += 1
        else:
            m = max(int(f - start[c]) + 1, 1)
            if m > WARRANTY_MONTHS:
                pa.excluded["after_warranty_window"] += 1
                continue
            idx.append(c)
            mis.append(m)
    pa.claim_cohort = np.array(idx, dtype=np.int64)
    pa.claim_mis = np.array(mis, dtype=np.int64)
    for c, m in zip(idx, mis, strict=True):  # a cohort is at least as old as its claims
        pa.ages[c] = max(pa.ages[c], m)
    pa.excluded = Counter({k: v for k, v in pa.excluded.items() if v})
    return pa


def apply_baseline(pa: PartAnalysis, given: dict[int, tuple[float, str]] | None) -> None:
    """Use the part's given claim rates per MIS (NaN where none) instead of earlier months."""
    if not given:
        return
    rates = np.full(WARRANTY_MONTHS, np.nan)
    for mis, (rate, _source) in given.items():
        if 1 <= mis <= WARRANTY_MONTHS:
            rates[mis - 1] = rate
    pa.baseline_rates = rates
    sources = sorted({source for _rate, source in given.values() if source})
    months = ", ".join(str(m) for m in sorted(given))
    pa.baseline_note = gettext("given for months in service %(months)s (%(sources)s)") % {
        "months": months,
        "sources": "; ".join(sources),
    }


def _life_data(pa: PartAnalysis, claims_m: np.ndarray, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Grouped life data: failures at mid-month of their MIS, survivors censored at age."""
    cohort: list[str] = []
    time: list[float] = []
    event: list[float] = []
    count: list[float] = []
    for r, c in enumerate(rows):
        for m in np.flatnonzero(claims_m[r]):
            cohort.append(pa.cohorts[c])
            time.append(m + 0.5)
            event.append(1)
            count.append(float(claims_m[r, m]))
        survivors = pa.built[c] - claims_m[r].sum()
        if survivors > 0 and pa.ages[c] > 0:
            cohort.append(pa.cohorts[c])
            time.append(float(pa.ages[c]))
            event.append(0)
            count.append(float(survivors))
    return {
        "cohort": np.array(cohort, dtype=object),
        "time": np.array(time, dtype=float),
        "event": np.array(event, dtype=float),
        "count": np.array(count, dtype=float),
    }


def analyse_part(pa: PartAnalysis) -> PartAnalysis:
    """Run (a) and (d) on a prepared part; problems are recorded, never raised."""
    rows = np.flatnonzero(pa.ages > 0)
    pa.monitored = rows
    labelled = [m for m in pa.modes if m]
    pa.pareto = failure_mode_pareto(labelled)
    current = pa.as_of.year * 12 + pa.as_of.month - 1
    with_mode = [(m, mo) for m, mo in zip(pa.modes, pa.mode_months, strict=True) if m]
    if with_mode:
        pa.shift = mode_shift(
            [m for m, _ in with_mode], [mo for _, mo in with_mode], current=current
        )
    if rows.size == 0:
        pa.insufficient.append(
            (KIND_CLAIMS, gettext("no build month has completed a month in service yet"))
        )
        return pa
    lookup = np.full(len(pa.cohorts), -1, dtype=np.int64)
    lookup[rows] = np.arange(rows.size)
    claims_m = aggregate_claims(lookup[pa.claim_cohort], pa.claim_mis, np.arange(rows.size))
    units = units_at_risk(pa.built[rows], pa.ages[rows], km_per_month_cdf=pa.clock.km_cdf())
    try:
        pa.table = ClaimsTable(tuple(pa.cohorts[i] for i in rows), claims_m, units)
    except DataError as exc:
        pa.problems.append((KIND_CLAIMS, str(exc)))
        return pa
    if rows.size < MIN_COHORTS:
        pa.insufficient.append(
            (
                KIND_CLAIMS,
                gettext("only %(n)s build months in service (3 needed to compare)")
                % {"n": rows.size},
            )
        )
    elif pa.table.claims.sum() == 0 and pa.baseline_rates is None:
        pass  # nothing to monitor: no claim in any cohort
    else:
        try:
            pa.dispersion = dispersion(pa.table)
            pa.production = monitor_production(
                pa.table.cohorts,
                pa.table.claims,
                pa.table.units,
                baseline_rates=pa.baseline_rates,
                baseline_label=pa.baseline_note,
            )
        except DataError as exc:
            pa.problems.append((KIND_CLAIMS, str(exc)))
    pa.life = _life_data(pa, claims_m, rows)
    failures = float(pa.life["count"][pa.life["event"] == 1].sum()) if pa.life["time"].size else 0
    if failures >= 3:
        args = (pa.life["time"], pa.life["event"], pa.life["count"])
        parts = [pa.part] * pa.life["time"].size
        try:
            pa.pooled_fit = fit_weibull(*args)
            pa.group_fits = weibull_by_group(parts, list(pa.life["cohort"]), *args)
            pa.homogeneity = cohort_homogeneity(parts, list(pa.life["cohort"]), *args)
        except DataError as exc:
            pa.problems.append((KIND_RETURNED, str(exc)))
    return pa


# --------------------------------------------------------------------------- findings


def _claims_severity(ratio: float, p_value: float) -> str:
    if ratio >= 3 or p_value < 1e-4:
        return "high"
    if ratio >= 2 or p_value < 1e-3:
        return "medium"
    return "low"


def fit_dict(fit: LifeFit | None) -> dict[str, Any] | None:
    if fit is None:
        return None
    out = fit.as_dict()
    out["b10"] = fit.quantile(0.1)
    out["cov_log"] = [list(row) for row in fit.cov_log]
    return clean(out)


def group_table(pa: PartAnalysis) -> list[dict[str, Any]]:
    return [
        clean(
            {
                "cohort": g.cohort,
                "n": g.n,
                "failures": g.failures,
                "shape": g.fit.shape if g.fit else None,
                "shape_ci": list(g.fit.shape_ci) if g.fit else None,
                "scale": g.fit.scale if g.fit else None,
                "scale_ci": list(g.fit.scale_ci) if g.fit else None,
                "b10": g.b10,
            }
        )
        for g in pa.group_fits
    ]


def pareto_rows(rows: tuple[ParetoRow, ...], limit: int = 10) -> list[dict[str, Any]]:
    return [clean(r.__dict__) for r in rows[:limit]]


def probability_points(time: np.ndarray, event: np.ndarray, count: np.ndarray) -> list[list[float]]:
    """Kaplan-Meier fraction failed at each distinct failure time (weighted data)."""
    if time.size == 0:
        return []
    order = np.argsort(time, kind="stable")
    t, e, w = time[order], event[order], count[order]
    at_risk = w.sum()
    surv = 1.0
    points = []
    for value in np.unique(t):
        here = t == value
        died = float(w[here & (e == 1)].sum())
        if died > 0 and at_risk > 0:
            surv *= 1.0 - died / at_risk
            points.append([float(value), 1.0 - surv])
        at_risk -= float(w[here].sum())
    return points


def weibull_chart(pa: PartAnalysis, cohort: str | None = None) -> dict[str, Any]:
    """Probability-plot data: points of the part (and one cohort) with the pooled fit."""
    life = pa.life
    groups = []
    if life and life["time"].size:
        groups.append(
            {
                "label": pa.part,
                "points": probability_points(life["time"], life["event"], life["count"]),
            }
        )
        if cohort is not None:
            sel = life["cohort"] == cohort
            groups.append(
                {
                    "label": cohort,
                    "points": probability_points(
                        life["time"][sel], life["event"][sel], life["count"][sel]
                    ),
                }
            )
    fit = fit_dict(pa.pooled_fit)
    cohort_fit = next((g for g in pa.group_fits if g.cohort == cohort and g.fit), None)
    return clean(
        {
            "type": "weibull",
            "groups": groups,
            "fit": fit,
            "cohort_fit": fit_dict(cohort_fit.fit) if cohort_fit else None,
        }
    )


def _common(pa: PartAnalysis) -> dict[str, Any]:
    disp = pa.dispersion
    return {
        "part_number": pa.part,
        "part_name": pa.name,
        "as_of": pa.as_of.isoformat(),
        "clock": pa.clock.as_dict(),
        "cohorts_monitored": int(pa.monitored.size) if pa.monitored is not None else 0,
        "claims_counted": pa.counted_claims,
        "claims_excluded": dict(pa.excluded),
        "feedback_sources": dict(pa.sources),
        "feedback_reported_twice": pa.reported_twice,
        "dispersion": None
        if disp is None
        else {
            "pearson_chi2": disp.pearson_chi2,
            "df": disp.df,
            "phi": disp.phi,
            "p_value": disp.p_value,
            "overdispersed": disp.overdispersed,
            "excluded_cohorts": list(disp.excluded),
        },
        "pareto": pareto_rows(pa.pareto, 8),
        "pooled_fit": fit_dict(pa.pooled_fit),
    }


def claims_findings(pa: PartAnalysis) -> list[Finding]:
    """One finding per episode of the production-time monitor, keyed by its onset month."""
    if pa.production is None or pa.table is None:
        return []
    prod, table = pa.production, pa.table
    sc = prod.scan
    out = []
    groups = [name for name, _, _ in MIS_GROUPS]
    for alert in prod.alerts:
        r = table.cohorts.index(alert.onset_build_month)
        c = pa.cohorts.index(alert.onset_build_month)
        lo = table.cohorts.index(alert.affected_from)
        hi = table.cohorts.index(alert.affected_to)
        observed = table.units[r] > 0
        last = int(np.flatnonzero(observed)[-1]) if observed.any() else 0
        expected = sc.expected[0, r]
        judged = sc.judged[0, r]
        fit = next(
            (g for g in pa.group_fits if g.cohort == alert.onset_build_month and g.fit), None
        )
        evidence = {
            **alert.as_dict(),
            **_common(pa),
            "units_built": pa.built[c],
            "age_months": int(pa.ages[c]),
            "affected_units_built": float(
                pa.built[[pa.cohorts.index(x) for x in table.cohorts[lo : hi + 1]]].sum()
            ),
            "onset_observed": int(table.claims[r, : last + 1][judged[: last + 1]].sum()),
            "onset_expected": float(expected[: last + 1].sum()),
            "onset_mis": last + 1,
            "baseline_note": pa.baseline_note,
            "cohort_fit": fit_dict(fit.fit) if fit else None,
        }
        rates = table.rates()[r]
        expected_rate = np.divide(
            expected, table.units[r], out=np.full(table.months, np.nan), where=judged
        )
        det = groups.index(alert.mis_group) if alert.detector == "step" else None
        path = sc.step[0, :, det] if det is not None else sc.glr[0]
        chart = {
            "type": "production",
            "cohorts": list(table.cohorts),
            "statistic": path,
            "threshold": alert.threshold,
            "detector": alert.detector,
            "onset": alert.onset_build_month,
            "alarm": alert.build_month,
            "affected": [alert.affected_from, alert.affected_to],
            "mis": list(range(1, table.months + 1)),
            "claims": table.claims[r],
            "expected": expected,
            "units": table.units[r],
            "cum_rate": np.where(observed, np.cumsum(np.nan_to_num(rates)) * 1000, np.nan),
            "cum_expected_rate": np.where(
                judged, np.cumsum(np.nan_to_num(expected_rate)) * 1000, np.nan
            ),
        }
        p_value = float(stats.poisson.sf(alert.observed - 1, alert.expected / max(alert.phi, 1.0)))
        out.append(
            Finding(
                kind=KIND_CLAIMS,
                key=f"{KIND_CLAIMS}:{pa.part}:{alert.onset_build_month}",
                severity=_claims_severity(alert.rate_ratio, p_value),
                evidence=clean({**evidence, "p_value": p_value}),
                chart=clean(chart),
                part_number=pa.part,
                cohort=alert.onset_build_month,
            )
        )
    return out


def returned_findings(pa: PartAnalysis) -> list[Finding]:
    out = []
    for h in pa.homogeneity:
        ratio = h.worst_b10 / h.pooled_b10 if h.pooled_b10 > 0 else 1.0
        severity = "high" if ratio < 0.5 else "medium" if ratio < 0.8 else "low"
        chart = weibull_chart(pa, h.worst_cohort)
        chart["pareto"] = pareto_rows(pa.pareto)
        out.append(
            Finding(
                kind=KIND_RETURNED,
                key=f"{KIND_RETURNED}:{pa.part}:life",
                severity=severity,
                evidence=clean(
                    {**h.as_dict(), **_common(pa), "b10_ratio": ratio, "cohorts": group_table(pa)}
                ),
                chart=chart,
                part_number=pa.part,
                cohort=h.worst_cohort,
            )
        )
    if pa.shift is not None:
        for s in pa.shift.alerts:
            ratio = s.recent_share / s.prior_share if s.prior_share > 0 else math.inf
            severity = (
                "high" if ratio >= 2 and s.recent_count >= 10 else "medium" if ratio >= 2 else "low"
            )
            out.append(
                Finding(
                    kind=KIND_RETURNED,
                    key=f"{KIND_RETURNED}:{pa.part}:mode:{s.mode}",
                    severity=severity,
                    evidence=clean(
                        {
                            **s.as_dict(),
                            **_common(pa),
                            "pareto_recent": pareto_rows(pa.shift.recent),
                            "pareto_prior": pareto_rows(pa.shift.prior),
                        }
                    ),
                    chart=clean(
                        {
                            "type": "pareto",
                            "rows": pareto_rows(pa.shift.recent),
                            "prior": {r.mode: r.share for r in pa.shift.prior},
                            "highlight": s.mode,
                        }
                    ),
                    part_number=pa.part,
                    cohort=s.mode,
                )
            )
    return out
