"""The numbers of an alert's evidence as labelled values (issue 10, item 9).

One evidence object is the source of every number a report states: the report page, its
PDF and the API show the same ``key_figures`` of the report's frozen ``evidence``, formatted
by the same rules as the sentences of ``narrative`` (so a number reads the same in the key
figures, the phenomenon and the analysis). ``all_figures`` gives every value of an evidence
with its label (alert page), never a raw key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .narrative import (
    KIND_CLAIMS,
    KIND_END_USER,
    KIND_PURCHASE,
    KIND_RETURNED,
    KIND_SATISFACTION,
    excluded_text,
    num,
    pct,
    pval,
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str


# key -> (label, format); formats: "n0" whole number, "n1"/"n2" decimals, "p" p-value,
# "pct" share as percent, "pct2" percent with 2 decimals, "s" as it is, "code" an engine code
# told in words (_code).
_FIELDS: dict[str, tuple[Any, str]] = {
    "part_number": (gettext_lazy("Part number"), "s"),
    "part_name": (gettext_lazy("Part name"), "s"),
    "customer_code": (gettext_lazy("Customer code"), "s"),
    "customer_name": (gettext_lazy("Customer"), "s"),
    "customer": (gettext_lazy("Customer code"), "s"),
    "signal": (gettext_lazy("Signal"), "code"),
    "requirement": (gettext_lazy("Requirement"), "s"),
    "as_of": (gettext_lazy("Data as of"), "s"),
    "build_month": (gettext_lazy("Build month"), "s"),
    "mis": (gettext_lazy("Month in service"), "s"),
    "mis_group": (gettext_lazy("Months in service group"), "s"),
    "observed": (gettext_lazy("Claims observed"), "s"),
    "expected": (gettext_lazy("Claims expected"), "n1"),
    "cumulative_observed": (gettext_lazy("Claims observed (cumulative)"), "s"),
    "cumulative_expected": (gettext_lazy("Claims expected (cumulative)"), "n1"),
    "rate_ratio": (gettext_lazy("Rate ratio"), "n2"),
    "cusum": (gettext_lazy("CUSUM"), "n2"),
    "threshold": (gettext_lazy("Decision limit h"), "n2"),
    "reference_value": (gettext_lazy("Reference value k"), "n2"),
    "shift": (gettext_lazy("Rate shift to detect"), "n0"),
    "false_alarm_probability": (gettext_lazy("False-alarm probability"), "pct2"),
    "false_alarm_design": (gettext_lazy("Designed false-alarm probability"), "pct"),
    "p_value": (gettext_lazy("p-value"), "p"),
    "adjusted_p_value": (gettext_lazy("Adjusted p-value"), "p"),
    "phi": (gettext_lazy("Over-dispersion φ"), "n2"),
    "overdispersed": (gettext_lazy("Over-dispersed"), "bool"),
    "baseline": (gettext_lazy("Baseline"), "code"),
    "baseline_note": (gettext_lazy("Baseline"), "s"),
    "units_built": (gettext_lazy("Units built"), "n0"),
    "affected_units_built": (gettext_lazy("Units built in the affected months"), "n0"),
    "age_months": (gettext_lazy("Months in service observed"), "s"),
    "claims_counted": (gettext_lazy("Claims counted"), "s"),
    "claims_excluded": (gettext_lazy("Claims left out"), "excluded"),
    "onset_build_month": (gettext_lazy("Estimated onset build month"), "s"),
    "affected_from": (gettext_lazy("Affected from build month"), "s"),
    "affected_to": (gettext_lazy("Affected to build month"), "s"),
    "affected_months": (gettext_lazy("Build months affected"), "s"),
    "detector": (gettext_lazy("Detector"), "s"),
    "statistic": (gettext_lazy("Test statistic"), "n2"),
    "df": (gettext_lazy("Degrees of freedom"), "s"),
    "mode": (gettext_lazy("Failure mode"), "s"),
    "modes_tested": (gettext_lazy("Failure modes tested"), "s"),
    "recent_count": (gettext_lazy("Recent failures of this mode"), "s"),
    "recent_total": (gettext_lazy("Recent failures"), "s"),
    "recent_share": (gettext_lazy("Recent share"), "pct"),
    "prior_count": (gettext_lazy("Earlier failures of this mode"), "s"),
    "prior_total": (gettext_lazy("Earlier failures"), "s"),
    "prior_share": (gettext_lazy("Earlier share"), "pct"),
    "odds_ratio": (gettext_lazy("Odds ratio"), "n2"),
    "worst_cohort": (gettext_lazy("Build month with the shortest life"), "s"),
    "worst_b10": (gettext_lazy("B10 life of that build month (months)"), "n1"),
    "pooled_b10": (gettext_lazy("B10 life of all build months (months)"), "n1"),
    "cohorts_monitored": (gettext_lazy("Build months monitored"), "s"),
    "change_month": (gettext_lazy("Change month"), "s"),
    "months_before": (gettext_lazy("Months before the change"), "s"),
    "months_after": (gettext_lazy("Months after the change"), "s"),
    "level_before": (gettext_lazy("Monthly quantity before"), "n0"),
    "level_after": (gettext_lazy("Monthly quantity after"), "n0"),
    "relative_change": (gettext_lazy("Relative change"), "pct"),
    "mean_before": (gettext_lazy("Arithmetic mean per month before"), "n0"),
    "mean_after": (gettext_lazy("Arithmetic mean per month after"), "n0"),
    "amount_before": (gettext_lazy("Average amount per month before (CNY)"), "n0"),
    "amount_after": (gettext_lazy("Average amount per month after (CNY)"), "n0"),
    "n_permutations": (gettext_lazy("Permutations"), "s"),
    "min_drop": (gettext_lazy("Smallest drop alerted"), "pct"),
    "alpha": (gettext_lazy("Significance level"), "pct"),
    "window": (gettext_lazy("Months analysed"), "range"),
    "survey": (gettext_lazy("Survey"), "s"),
    "period": (gettext_lazy("Survey month"), "s"),
    "episode_start": (gettext_lazy("Below the limit since"), "s"),
    "mean_score": (gettext_lazy("Mean score"), "n1"),
    "responses": (gettext_lazy("Responses"), "s"),
    "ewma": (gettext_lazy("EWMA"), "n1"),
    "lower_limit": (gettext_lazy("Lower limit"), "n1"),
    "target": (gettext_lazy("Target"), "n1"),
    "sigma": (gettext_lazy("Standard deviation σ"), "n1"),
    "sigma_dof": (gettext_lazy("Degrees of freedom of σ"), "s"),
    "lam": (gettext_lazy("Smoothing λ"), "s"),
    "width": (gettext_lazy("Limit width (standard errors)"), "s"),
    "arl0_lower": (gettext_lazy("Survey months between false alarms"), "n0"),
    "baseline_periods": (gettext_lazy("Baseline survey months"), "s"),
    "periods": (gettext_lazy("Survey months"), "s"),
}

# The numbers a written report states, per kind of signal (the key-figures table).
_KEY: dict[str, tuple[str, ...]] = {
    KIND_CLAIMS: (
        "build_month",
        "mis",
        "cumulative_observed",
        "cumulative_expected",
        "rate_ratio",
        "cusum",
        "threshold",
        "p_value",
        "units_built",
    ),
    "production": (
        "onset_build_month",
        "affected_from",
        "affected_to",
        "observed",
        "expected",
        "rate_ratio",
        "statistic",
        "threshold",
        "affected_units_built",
    ),
    "mode_shift": (
        "mode",
        "recent_count",
        "recent_total",
        "recent_share",
        "prior_share",
        "odds_ratio",
        "adjusted_p_value",
    ),
    KIND_RETURNED: ("worst_cohort", "worst_b10", "pooled_b10", "statistic", "df", "p_value"),
    KIND_PURCHASE: (
        "change_month",
        "level_before",
        "level_after",
        "relative_change",
        "statistic",
        "p_value",
        "amount_before",
        "amount_after",
    ),
    KIND_SATISFACTION: ("period", "mean_score", "responses", "ewma", "lower_limit", "target"),
    KIND_END_USER: ("period", "mean_score", "responses", "ewma", "lower_limit", "target"),
}


# The engine's codes stored in an evidence, as a reader is told them (never the raw code).
_CODES: dict[str, Any] = {
    "other cohorts pooled (leave-one-out)": gettext_lazy(
        "Other build months at the same month in service (leave-one-out)"
    ),
    "given": gettext_lazy("Given baseline claim rates"),
    "survey_score_drop": gettext_lazy("Drop in a survey's mean score"),
}


def _code(raw: Any) -> str:
    from ..models import AlertKind

    signals = {
        "warranty_claims": AlertKind.WARRANTY_CLAIMS.label,
        "purchase_volume_drop": AlertKind.PURCHASE_DROP.label,
        "returned_parts_life": AlertKind.RETURNED_PARTS.label,
        "failure_mode_shift": AlertKind.RETURNED_PARTS.label,
    }
    return str(_CODES.get(raw) or signals.get(raw) or raw)


def label(key: str) -> str:
    entry = _FIELDS.get(key)
    return str(entry[0]) if entry else key.replace("_", " ")


def value(key: str, raw: Any) -> str:
    """``raw`` formatted as the report's sentences write it."""
    fmt = _FIELDS.get(key, (None, "auto"))[1]
    if raw is None:
        return "—"
    if fmt == "n0":
        return num(raw, 0)
    if fmt in ("n1", "n2"):
        return num(raw, int(fmt[1]))
    if fmt == "p":
        return pval(raw)
    if fmt == "pct":
        return pct(raw)
    if fmt == "pct2":
        return pct(raw, 2)
    if fmt == "code":
        return _code(raw)
    if fmt == "bool":
        return str(_("yes") if raw else _("no"))
    if fmt == "excluded" and isinstance(raw, dict):
        return excluded_text(raw)
    if fmt == "range" and isinstance(raw, (list, tuple)) and raw:
        return f"{raw[0]} – {raw[-1]}"
    if isinstance(raw, float):
        return num(raw, 2)
    return str(raw)


def _scalar(raw: Any) -> bool:
    return raw is None or isinstance(raw, (str, int, float, bool))


def _kind_key(kind: str, evidence: dict[str, Any]) -> str:
    if kind == KIND_CLAIMS and evidence.get("onset_build_month"):
        return "production"
    if kind == KIND_RETURNED and evidence.get("signal") == "failure_mode_shift":
        return "mode_shift"
    return kind


def key_figures(kind: str, evidence: dict[str, Any]) -> list[Figure]:
    """The numbers a report on this evidence states, labelled (page, PDF and API)."""
    ev = evidence or {}
    return [
        Figure(k, label(k), value(k, ev.get(k)))
        for k in _KEY.get(_kind_key(kind, ev), ())
        if ev.get(k) is not None
    ]


def all_figures(evidence: dict[str, Any]) -> list[Figure]:
    """Every value of an evidence with its label (nested tables are shown by the charts and
    sentences, not here)."""
    out = []
    for k, raw in (evidence or {}).items():
        if k in _FIELDS and (_scalar(raw) or _FIELDS[k][1] in ("excluded", "range")):
            out.append(Figure(k, label(k), value(k, raw)))
    return out


def labelled_counts(counts: dict[str, Any]) -> list[tuple[str, Any]]:
    """A run's counts with labels (run page)."""
    labels = {
        "parts": _("Parts analysed"),
        "claims": _("Claims read"),
        "claims_used": _("Claims used"),
        "customers_purchases": _("Customers with purchases analysed"),
        "customers_surveyed": _("Customers surveyed"),
        "end_user_months": _("End-user survey months"),
        "findings": _("Findings"),
        "new": _("New alerts"),
        "updated": _("Alerts updated"),
        "resumed": _("Alerts resumed"),
        "unchanged": _("Alerts unchanged"),
        "cleared": _("Alerts cleared"),
    }
    return [(str(labels.get(k, k.replace("_", " "))), v) for k, v in counts.items()]
