"""Signals (b), (c) and (e) of R-5.4.3: purchase volumes and survey scores.

(b) Each customer's monthly quantities over the last 24 complete months (months without a
record inside the customer's span count as zero purchases) go through
``signals.purchase_drop``: a significant (permutation p < 1 %) and marked (at least 30 %)
downward level shift.

(c) Customer-satisfaction scores: one EWMA chart per customer over its survey months
(months without a response are skipped), target = the mean of the customer's first survey
months (half of them, 3 to 6), sigma = the pooled within-month standard deviation of all
customers (one response per month gives none of its own). (e) End-user scores: one EWMA
chart of all end users by month (``signals.survey_ewma``). A chart signals while its
latest EWMA value is below the lower limit.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
from django.utils.translation import gettext

from ..stats.claims_monitor import month_label, month_ordinal
from ..stats.detectors import ewma_arl, ewma_chart, purchase_drop, survey_ewma
from ..stats.validation import DataError
from .common import Finding, Outcome, clean, scope_of
from .inputs import Inputs

KIND_PURCHASE, KIND_SATISFACTION, KIND_END_USER = (
    "purchase_drop",
    "satisfaction_survey",
    "end_user_survey",
)
WINDOW_MONTHS = 24
MIN_MONTHS = 9
MIN_SURVEY_PERIODS = 6
LAM, WIDTH = 0.2, 2.962


@functools.cache
def lower_side_arl0() -> float:
    """In-control ARL of the lower side of the EWMA design (LAM, WIDTH), computed by the
    Markov-chain method (1006.87 periods for lam 0.2, L 2.962), once per process."""
    return ewma_arl(LAM, WIDTH, side="lower")


def _current(as_of: date) -> int:
    return as_of.year * 12 + as_of.month - 1


def purchase_findings(inputs: Inputs, out: Outcome) -> list[Finding]:
    current = _current(inputs.as_of)
    findings = []
    evaluated = 0
    for cust, months in sorted(inputs.purchases.items()):
        code, name = inputs.customers.get(cust, (str(cust), ""))
        scope = scope_of(KIND_PURCHASE, customer_id=cust)
        ords = sorted(o for o in (month_ordinal(m) for m in months) if o < current)
        if not ords:
            continue
        end = current - 1
        start = max(ords[0], end - WINDOW_MONTHS + 1)
        labels = [month_label(o) for o in range(start, end + 1)]
        if len(labels) < MIN_MONTHS:
            continue
        qty = np.array([months.get(m, (0, None))[0] for m in labels], dtype=float)
        amounts = [months.get(m, (0, None))[1] for m in labels]
        evaluated += 1
        try:
            alert = purchase_drop(qty, customer=code, months=labels)
        except DataError as exc:
            out.error(KIND_PURCHASE, scope, f"{code}: {exc}")
            continue
        if alert is None:
            continue
        tau = alert.months_before
        known_before = [a for a in amounts[:tau] if a is not None]
        known_after = [a for a in amounts[tau:] if a is not None]
        change = alert.relative_change
        severity = "high" if change <= -0.6 else "medium" if change <= -0.45 else "low"
        evidence = {
            **alert.as_dict(),
            "customer_code": code,
            "customer_name": name,
            "window": [labels[0], labels[-1]],
            "mean_before": float(qty[:tau].mean()),
            "mean_after": float(qty[tau:].mean()),
            "amount_before": float(np.mean(known_before)) if known_before else None,
            "amount_after": float(np.mean(known_after)) if known_after else None,
            "min_drop": 0.3,
            "alpha": 0.01,
            "as_of": inputs.as_of.isoformat(),
        }
        chart = {
            "type": "volume",
            "months": labels,
            "quantity": qty,
            "change_index": tau,
            "level_before": alert.level_before,
            "level_after": alert.level_after,
        }
        findings.append(
            Finding(
                kind=KIND_PURCHASE,
                key=f"{KIND_PURCHASE}:c{cust}",
                severity=severity,
                evidence=clean(evidence),
                chart=clean(chart),
                customer_id=cust,
                cohort=alert.change_month,
            )
        )
    out.counts["customers_purchases"] = evaluated
    return findings


def _survey_severity(target: float, ewma: float) -> str:
    drop = target - ewma
    return "high" if drop >= 15 else "medium" if drop >= 8 else "low"


def _episode_start(below: np.ndarray, labels: list[str]) -> str:
    i = below.size - 1
    while i > 0 and below[i - 1]:
        i -= 1
    return labels[i]


def _pooled_sigma(groups: dict[tuple[Any, str], list[float]]) -> tuple[float, int]:
    """Pooled within-(customer, month) standard deviation and its degrees of freedom."""
    ss, dof = 0.0, 0
    for scores in groups.values():
        if len(scores) > 1:
            arr = np.asarray(scores)
            ss += float(((arr - arr.mean()) ** 2).sum())
            dof += arr.size - 1
    return (math.sqrt(ss / dof) if dof > 0 and ss > 0 else 0.0), dof


def _chart_dict(labels, chart) -> dict[str, Any]:
    return {
        "type": "ewma",
        "periods": labels,
        "means": chart.means,
        "sizes": chart.sizes,
        "ewma": chart.statistic,
        "lower": chart.lower,
        "upper": chart.upper,
        "target": chart.target,
    }


def satisfaction_findings(inputs: Inputs, out: Outcome) -> list[Finding]:
    groups: dict[tuple[Any, str], list[float]] = defaultdict(list)
    for kind, cust, day, score in zip(
        inputs.survey_kind,
        inputs.survey_customer,
        inputs.survey_date,
        inputs.survey_score,
        strict=True,
    ):
        if kind == "customer_satisfaction" and cust is not None:
            groups[(cust, f"{day:%Y-%m}")].append(score)
    if not groups:
        return []
    sigma, dof = _pooled_sigma(groups)
    if dof < 5:
        # No repeated answers within a month: the spread around each customer's own mean.
        by_customer: dict[Any, list[float]] = defaultdict(list)
        for (cust, _), scores in groups.items():
            by_customer[cust].extend(scores)
        sigma, dof = _pooled_sigma({(c, ""): s for c, s in by_customer.items()})
    if sigma <= 0:
        out.warnings.append(
            gettext("Customer-satisfaction scores have no spread: signal (c) was not evaluated.")
        )
        out.failed_kinds.add(KIND_SATISFACTION)
        return []
    findings = []
    customers = sorted({c for c, _ in groups})
    out.counts["customers_surveyed"] = len(customers)
    for cust in customers:
        labels = sorted(m for c, m in groups if c == cust)
        if len(labels) < MIN_SURVEY_PERIODS:
            continue
        means = np.array([np.mean(groups[(cust, m)]) for m in labels])
        sizes = np.array([len(groups[(cust, m)]) for m in labels], dtype=float)
        base = max(3, min(6, len(labels) // 2))
        target = float((means[:base] * sizes[:base]).sum() / sizes[:base].sum())
        chart = ewma_chart(means, sizes, target=target, sigma=sigma, lam=LAM, width=WIDTH)
        below = chart.statistic < chart.lower
        if not below[-1]:
            continue
        code, name = inputs.customers.get(cust, (str(cust), ""))
        evidence = {
            "signal": "survey_score_drop",
            "requirement": "R-5.4.3(c)",
            "survey": "customer_satisfaction",
            "customer_code": code,
            "customer_name": name,
            "period": labels[-1],
            "episode_start": _episode_start(below, labels),
            "mean_score": float(means[-1]),
            "responses": int(sizes[-1]),
            "ewma": float(chart.statistic[-1]),
            "lower_limit": float(chart.lower[-1]),
            "target": target,
            "baseline_periods": base,
            "periods": len(labels),
            "sigma": sigma,
            "sigma_dof": dof,
            "lam": LAM,
            "width": WIDTH,
            "arl0_lower": lower_side_arl0(),
            "as_of": inputs.as_of.isoformat(),
        }
        findings.append(
            Finding(
                kind=KIND_SATISFACTION,
                key=f"{KIND_SATISFACTION}:c{cust}",
                severity=_survey_severity(target, float(chart.statistic[-1])),
                evidence=clean(evidence),
                chart=clean(_chart_dict(labels, chart)),
                customer_id=cust,
                cohort=str(evidence["episode_start"]),
            )
        )
    return findings


def end_user_findings(inputs: Inputs, out: Outcome) -> list[Finding]:
    rows = [
        (f"{day:%Y-%m}", score)
        for kind, day, score in zip(
            inputs.survey_kind, inputs.survey_date, inputs.survey_score, strict=True
        )
        if kind == "end_user"
    ]
    if not rows:
        return []
    labels = sorted({m for m, _ in rows})
    out.counts["end_user_months"] = len(labels)
    if len(labels) < MIN_SURVEY_PERIODS:
        return []
    index = {m: i for i, m in enumerate(labels)}
    scope = scope_of(KIND_END_USER)
    try:
        chart, alerts = survey_ewma(
            [s for _, s in rows],
            [index[m] for m, _ in rows],
            period_labels=labels,
            baseline_periods=min(6, max(3, len(labels) // 2)),
            lam=LAM,
            width=WIDTH,
            survey="end_user",
        )
    except DataError as exc:
        out.error(KIND_END_USER, scope, str(exc))
        return []
    latest = [a for a in alerts if a.period == labels[-1]]
    if not latest:
        return []
    a = latest[0]
    below = chart.statistic < chart.lower
    evidence = {
        **a.as_dict(),
        "requirement": "R-5.4.3(e)",
        "episode_start": _episode_start(below, labels),
        "periods": len(labels),
        "arl0_lower": lower_side_arl0(),
        "as_of": inputs.as_of.isoformat(),
    }
    return [
        Finding(
            kind=KIND_END_USER,
            key=f"{KIND_END_USER}:all",
            severity=_survey_severity(a.target, a.ewma),
            evidence=clean(evidence),
            chart=clean(_chart_dict(labels, chart)),
            cohort=str(evidence["episode_start"]),
        )
    ]
