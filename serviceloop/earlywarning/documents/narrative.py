"""Plain sentences from an alert's evidence: its headline, the statistics in words, and the
pre-filled sections of the written report (R-5.4.2). Every sentence is a translatable
msgid; the report draft is written in the company language (settings.LANGUAGE_CODE)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

KIND_CLAIMS = "warranty_claims"
KIND_PURCHASE = "purchase_drop"
KIND_SATISFACTION = "satisfaction_survey"
KIND_RETURNED = "returned_parts"
KIND_END_USER = "end_user_survey"


def num(value: Any, digits: int = 1) -> str:
    """A number for a sentence: thousands separated, ``digits`` decimals, "—" if unknown."""
    if value is None:
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if digits == 0 or (v.is_integer() and abs(v) >= 100):
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def pval(value: Any) -> str:
    if value is None:
        return "—"
    v = float(value)
    if v < 1e-4:
        return f"{v:.1e}"
    return f"{v:.4f}".rstrip("0").rstrip(".") if v < 0.01 else f"{v:.3f}"


def pct(value: Any, digits: int = 0) -> str:
    return "—" if value is None else f"{float(value) * 100:.{digits}f}%"


def _e(alert: Any) -> dict[str, Any]:
    return dict(getattr(alert, "evidence", None) or {})


class Frozen:
    """An alert as a report saw it: its subject with the report's frozen ``evidence``, so a
    report's headline and figures come from the same evidence as its text and charts."""

    def __init__(self, alert: Any, evidence: dict[str, Any]) -> None:
        self.kind, self.part_number, self.cohort = alert.kind, alert.part_number, alert.cohort
        self.customer = alert.customer
        self.subject_label = getattr(alert, "subject_label", "")
        self.evidence = evidence


def _customer(alert: Any, ev: dict[str, Any]) -> str:
    customer = getattr(alert, "customer", None)
    if customer is not None:
        return str(customer.name)
    return str(ev.get("customer_name") or ev.get("customer_code") or "")


def _part(ev: dict[str, Any], alert: Any) -> str:
    part = ev.get("part_number") or getattr(alert, "part_number", "")
    name = ev.get("part_name") or ""
    return f"{part} {name}".strip()


def _is_production(ev: dict[str, Any]) -> bool:
    """Evidence of the production-time monitor (issue 14), with an onset build month."""
    return bool(ev.get("onset_build_month"))


def _detector_name(ev: dict[str, Any]) -> str:
    if ev.get("detector") == "drift":
        return str(_("gradual rise (drift)"))
    group = {
        "all": _("all months in service"),
        "early": _("early life, months in service 1-3"),
        "middle": _("months in service 4-8"),
        "late": _("wear-out, months in service 9-12"),
    }.get(str(ev.get("mis_group")), str(ev.get("mis_group", "")))
    return str(_("step change (%(group)s)") % {"group": group})


def change_facts(alert: Any) -> list[tuple[str, str]]:
    """Labelled values of a change along production time, for the alert page."""
    ev = _e(alert)
    if alert.kind != KIND_CLAIMS or not _is_production(ev):
        return []
    return [
        (str(_("Estimated onset build month")), str(ev.get("onset_build_month"))),
        (
            str(_("Build months affected")),
            str(
                _("%(start)s to %(end)s (%(n)s months)")
                % {
                    "start": ev.get("affected_from"),
                    "end": ev.get("affected_to"),
                    "n": ev.get("affected_months"),
                }
            ),
        ),
        (str(_("Detected as")), _detector_name(ev)),
        (
            str(_("Claims against expected")),
            f"{ev.get('observed')} / {num(ev.get('expected'))} (× {num(ev.get('rate_ratio'), 2)})",
        ),
        (str(_("Baseline")), str(ev.get("baseline_note") or ev.get("baseline") or "—")),
    ]


def _is_mode_shift(ev: dict[str, Any]) -> bool:
    return ev.get("signal") == "failure_mode_shift"


# --------------------------------------------------------------------------- headline


def headline(alert: Any) -> str:
    """One line naming what signalled."""
    ev, kind = _e(alert), alert.kind
    if kind == KIND_CLAIMS and _is_production(ev):
        return _(
            "%(part)s: claims up since build month %(onset)s (%(what)s), "
            "%(obs)s against %(exp)s expected"
        ) % {
            "part": alert.part_number,
            "onset": ev.get("onset_build_month"),
            "what": _detector_name(ev),
            "obs": ev.get("observed", "—"),
            "exp": num(ev.get("expected")),
        }
    if kind == KIND_CLAIMS:
        return _(
            "%(part)s built %(cohort)s: %(obs)s claims against %(exp)s expected by month "
            "in service %(mis)s"
        ) % {
            "part": alert.part_number,
            "cohort": alert.cohort,
            "obs": ev.get("cumulative_observed", "—"),
            "exp": num(ev.get("cumulative_expected")),
            "mis": ev.get("mis", "—"),
        }
    if kind == KIND_RETURNED and _is_mode_shift(ev):
        return _(
            "%(part)s: failure mode “%(mode)s” rising "
            "(%(recent)s of recent failures, before %(prior)s)"
        ) % {
            "part": alert.part_number,
            "mode": ev.get("mode", alert.cohort),
            "recent": pct(ev.get("recent_share")),
            "prior": pct(ev.get("prior_share")),
        }
    if kind == KIND_RETURNED:
        return _(
            "%(part)s: life differs between build months "
            "(B10 of %(cohort)s %(b10)s months, all %(pooled)s)"
        ) % {
            "part": alert.part_number,
            "cohort": ev.get("worst_cohort", alert.cohort),
            "b10": num(ev.get("worst_b10")),
            "pooled": num(ev.get("pooled_b10")),
        }
    if kind == KIND_PURCHASE:
        return _("%(customer)s: purchases down %(drop)s since %(month)s") % {
            "customer": _customer(alert, ev),
            "drop": pct(-float(ev.get("relative_change") or 0)),
            "month": ev.get("change_month", alert.cohort),
        }
    if kind == KIND_SATISFACTION:
        return _(
            "%(customer)s: satisfaction score falling (EWMA %(ewma)s below the limit %(lcl)s)"
        ) % {
            "customer": _customer(alert, ev),
            "ewma": num(ev.get("ewma")),
            "lcl": num(ev.get("lower_limit")),
        }
    if kind == KIND_END_USER:
        return _("End users: survey score falling (EWMA %(ewma)s below the limit %(lcl)s)") % {
            "ewma": num(ev.get("ewma")),
            "lcl": num(ev.get("lower_limit")),
        }
    return str(getattr(alert, "subject_label", ""))


# --------------------------------------------------------------------------- statistics


def _production_lines(ev: dict[str, Any]) -> list[str]:
    if ev.get("detector") == "drift":
        method = _(
            "Method: a likelihood-ratio test for a rise of unknown size in the claim rate "
            "that began at some build month of the last 24 (generalised likelihood ratio "
            "along production time)."
        )
    else:
        method = _(
            "Method: a Poisson CUSUM along production time, build month after build month, "
            "on the claims at each month in service against the expected claims, designed "
            "to detect a %(shift)s-fold claim rate."
        ) % {"shift": num(ev.get("shift"), 0)}
    lines = [
        method,
        _(
            "Baseline: %(baseline)s; each build month is judged only against build months "
            "made before it and not under alarm, never against later ones."
        )
        % {"baseline": ev.get("baseline_note") or ev.get("baseline", "—")},
        _(
            "Detected: %(what)s. Estimated onset: build month %(onset)s; build months "
            "affected: %(start)s to %(end)s (%(n)s months). The statistic reached %(stat)s "
            "against the limit h = %(h)s at build month %(alarm)s (month in service %(mis)s)."
        )
        % {
            "what": _detector_name(ev),
            "onset": ev.get("onset_build_month"),
            "start": ev.get("affected_from"),
            "end": ev.get("affected_to"),
            "n": ev.get("affected_months"),
            "stat": num(ev.get("statistic"), 2),
            "h": num(ev.get("threshold"), 2),
            "alarm": ev.get("build_month"),
            "mis": ev.get("mis"),
        },
        _(
            "Claims of the affected build months: %(obs)s against %(exp)s expected "
            "(%(ratio)s times the baseline rate); over-dispersion φ = %(phi)s. The limits "
            "keep the chance of any false alarm over 60 build months × 12 months in service "
            "at or below %(far)s."
        )
        % {
            "obs": ev.get("observed"),
            "exp": num(ev.get("expected")),
            "ratio": num(ev.get("rate_ratio"), 2),
            "phi": num(ev.get("phi"), 2),
            "far": pct(ev.get("false_alarm_design")),
        },
    ]
    fit = ev.get("cohort_fit")
    if fit:
        lines.append(_fit_sentence(_("Weibull fit of the onset build month"), fit))
    lines.extend(_clock_lines(ev))
    return lines


def _claims_lines(ev: dict[str, Any]) -> list[str]:
    if _is_production(ev):
        return _production_lines(ev)
    lines = [
        _(
            "Method: a Poisson CUSUM per build month over the months in service, designed to "
            "detect a %(shift)s-fold claim rate (reference value k = μ(ρ−1)/ln ρ). Expected "
            "claims come from the other build months at the same month in service "
            "(leave-one-out), units at risk from the production volumes (%(units)s units "
            "built in this month)."
        )
        % {"shift": num(ev.get("shift"), 0), "units": num(ev.get("units_built"), 0)},
        _(
            "The CUSUM reached %(cusum)s at month in service %(mis)s, at or above its decision "
            "interval h = %(h)s; the probability of a false alarm of this chart over the whole "
            "12-month warranty window is %(far)s."
        )
        % {
            "cusum": num(ev.get("cusum"), 2),
            "mis": ev.get("mis"),
            "h": num(ev.get("threshold"), 2),
            "far": pct(ev.get("false_alarm_probability"), 2),
        },
        _(
            "Claims up to month in service %(mis)s: %(obs)s against %(exp)s expected "
            "(%(ratio)s times the usual rate); the Poisson probability of so many or more is "
            "p = %(p)s."
        )
        % {
            "mis": ev.get("mis"),
            "obs": ev.get("cumulative_observed"),
            "exp": num(ev.get("cumulative_expected")),
            "ratio": num(ev.get("rate_ratio"), 2),
            "p": pval(ev.get("p_value")),
        },
    ]
    latest = ev.get("latest") or {}
    if latest and latest.get("mis") != ev.get("mis"):
        lines.append(
            _(
                "Latest month in service observed: %(mis)s; claims so far %(obs)s against "
                "%(exp)s expected; CUSUM now %(cusum)s."
            )
            % {
                "mis": latest.get("mis"),
                "obs": latest.get("cumulative_observed"),
                "exp": num(latest.get("cumulative_expected")),
                "cusum": num(latest.get("cusum"), 2),
            }
        )
    lines.extend(_dispersion_lines(ev))
    fit = ev.get("cohort_fit")
    if fit:
        lines.append(_fit_sentence(_("Weibull fit of this build month"), fit))
    lines.extend(_clock_lines(ev))
    return lines


def _dispersion_lines(ev: dict[str, Any]) -> list[str]:
    d = ev.get("dispersion")
    if not d:
        return []
    if d.get("overdispersed"):
        tail = _("the claims vary more than Poisson, so the limits were widened (÷ φ).")
    else:
        tail = _("no significant over-dispersion, Poisson limits apply.")
    return [
        _(
            "Over-dispersion (build month + month in service Poisson model): "
            "φ = %(phi)s, p = %(p)s; %(tail)s"
        )
        % {"phi": num(d.get("phi"), 2), "p": pval(d.get("p_value")), "tail": tail}
    ]


def _fit_sentence(label: str, fit: dict[str, Any]) -> str:
    shape_ci = fit.get("shape_ci") or [None, None]
    scale_ci = fit.get("scale_ci") or [None, None]
    return _(
        "%(label)s: shape β = %(shape)s (95%% CI %(s1)s–%(s2)s), scale η = %(scale)s months "
        "(95%% CI %(c1)s–%(c2)s), B10 life %(b10)s months; %(failures)s failures among "
        "%(n)s units."
    ) % {
        "label": label,
        "shape": num(fit.get("shape"), 2),
        "s1": num(shape_ci[0], 2),
        "s2": num(shape_ci[1], 2),
        "scale": num(fit.get("scale"), 0),
        "c1": num(scale_ci[0], 0),
        "c2": num(scale_ci[1], 0),
        "b10": num(fit.get("b10")),
        "failures": num(fit.get("failures"), 0),
        "n": num(fit.get("n"), 0),
    }


def _clock_lines(ev: dict[str, Any]) -> list[str]:
    clock = ev.get("clock") or {}
    lines = [
        _(
            "Service is taken to start %(lag)s month(s) after build (median over %(n)s claims "
            "with a purchase date); %(counted)s claims of the part were counted."
        )
        % {
            "lag": clock.get("lag", "—"),
            "n": clock.get("lag_claims", 0),
            "counted": ev.get("claims_counted", "—"),
        }
    ]
    excluded = ev.get("claims_excluded") or {}
    if excluded:
        lines.append(_("Claims left out: %(parts)s.") % {"parts": excluded_text(excluded)})
    sources = ev.get("feedback_sources") or {}
    if sources:
        lines.append(
            _(
                "Failures counted by source: %(sources)s; %(twice)s of them reported by more "
                "than one source and counted once."
            )
            % {"sources": sources_text(sources), "twice": ev.get("feedback_reported_twice", 0)}
        )
    return lines


def sources_text(sources: dict[str, int]) -> str:
    """Which after-sales sources reported the failures, e.g. "warranty claims 40; service
    records 12" (a failure two sources reported counts for both)."""
    labels = {
        "warranty_claim": _("warranty claims"),
        "service_record": _("service records"),
        "complaint": _("complaints"),
        "information_feedback_form": _("information feedback forms"),
    }
    return "; ".join(f"{labels.get(k, k)} {v}" for k, v in sources.items())


def excluded_text(excluded: dict[str, int]) -> str:
    """Why claims were not counted, e.g. "not covered 12; in the current month 3"."""
    labels = {
        "not_covered": _("not covered"),
        "no_build_month": _("no build month"),
        "no_production_volume": _("no production volume"),
        "current_month": _("in the current month"),
        "over_km_limit": _("over 30,000 km"),
        "after_warranty_window": _("after 12 months in service"),
    }
    return "; ".join(f"{labels.get(k, k)} {v}" for k, v in excluded.items())


def _returned_lines(ev: dict[str, Any]) -> list[str]:
    if _is_mode_shift(ev):
        return [
            _(
                "Method: one-sided Fisher exact test per failure mode, failures of the last "
                "3 months against the 12 months before, Bonferroni-adjusted over %(k)s modes "
                "(alert below 1%%)."
            )
            % {"k": ev.get("modes_tested")},
            _(
                "“%(mode)s”: %(rc)s of %(rt)s recent failures (%(rs)s) against %(pc)s of %(pt)s "
                "before (%(ps)s); odds ratio %(or)s, p = %(p)s, adjusted p = %(ap)s."
            )
            % {
                "mode": ev.get("mode"),
                "rc": ev.get("recent_count"),
                "rt": ev.get("recent_total"),
                "rs": pct(ev.get("recent_share")),
                "pc": ev.get("prior_count"),
                "pt": ev.get("prior_total"),
                "ps": pct(ev.get("prior_share")),
                "or": num(ev.get("odds_ratio"), 2),
                "p": pval(ev.get("p_value")),
                "ap": pval(ev.get("adjusted_p_value")),
            },
        ]
    lines = [
        _(
            "Method: Weibull maximum-likelihood fits per build month (failures at mid-month of "
            "their month in service, units without a claim censored at the age of their build "
            "month) and a likelihood-ratio test of one common Weibull against one per build "
            "month: χ² = %(stat)s on %(df)s degrees of freedom, p = %(p)s."
        )
        % {"stat": num(ev.get("statistic"), 2), "df": ev.get("df"), "p": pval(ev.get("p_value"))},
    ]
    pooled = ev.get("pooled_fit")
    if pooled:
        lines.append(_fit_sentence(_("All build months together"), pooled))
    for row in ev.get("cohorts") or []:
        if row.get("shape") is None:
            continue
        lines.append(
            _(
                "Build month %(cohort)s: β = %(shape)s, η = %(scale)s months, B10 %(b10)s "
                "months (%(f)s failures, %(n)s units)."
            )
            % {
                "cohort": row.get("cohort"),
                "shape": num(row.get("shape"), 2),
                "scale": num(row.get("scale"), 0),
                "b10": num(row.get("b10")),
                "f": num(row.get("failures"), 0),
                "n": num(row.get("n"), 0),
            }
        )
    return lines


def _purchase_lines(ev: dict[str, Any]) -> list[str]:
    lines = [
        _(
            "Method: the largest two-sample t statistic for a downward shift of log(1 + monthly "
            "quantity) over all change points leaving at least 3 months on each side, with a "
            "permutation p-value (%(n)s permutations); an alert needs p < 1%% and a drop of at "
            "least 30%%."
        )
        % {"n": ev.get("n_permutations")},
        _(
            "Result: t = %(t)s, p = %(p)s; %(nb)s months before and %(na)s months from "
            "%(month)s on; level %(lb)s → %(la)s units per month (%(change)s)."
        )
        % {
            "t": num(ev.get("statistic"), 2),
            "p": pval(ev.get("p_value")),
            "nb": ev.get("months_before"),
            "na": ev.get("months_after"),
            "month": ev.get("change_month"),
            "lb": num(ev.get("level_before"), 0),
            "la": num(ev.get("level_after"), 0),
            "change": pct(ev.get("relative_change")),
        },
    ]
    if ev.get("amount_before") is not None and ev.get("amount_after") is not None:
        lines.append(
            _("Average amount per month: %(before)s → %(after)s CNY.")
            % {"before": num(ev.get("amount_before"), 0), "after": num(ev.get("amount_after"), 0)}
        )
    return lines


def _survey_lines(ev: dict[str, Any]) -> list[str]:
    return [
        _(
            "Method: EWMA chart of the monthly mean score (λ = %(lam)s, limits ±%(width)s "
            "standard errors, exact for each month's number of responses); the target is the "
            "mean of the first survey months, σ = %(sigma)s points. The lower side of this "
            "chart gives a false alarm about once in %(arl)s survey months."
        )
        % {
            "lam": ev.get("lam"),
            "width": ev.get("width"),
            "sigma": num(ev.get("sigma")),
            "arl": num(ev.get("arl0_lower"), 0),
        },
        _(
            "Survey month %(period)s: mean %(mean)s (%(n)s responses), EWMA %(ewma)s below the "
            "lower limit %(lcl)s; target %(target)s; below the limit since %(start)s."
        )
        % {
            "period": ev.get("period"),
            "mean": num(ev.get("mean_score")),
            "n": ev.get("responses"),
            "ewma": num(ev.get("ewma")),
            "lcl": num(ev.get("lower_limit")),
            "target": num(ev.get("target")),
            "start": ev.get("episode_start", ev.get("period")),
        },
    ]


def statistics_lines(alert: Any) -> list[str]:
    """The evidence in sentences (alert page, report analysis section)."""
    ev = _e(alert)
    if alert.kind == KIND_CLAIMS:
        return _claims_lines(ev)
    if alert.kind == KIND_RETURNED:
        return _returned_lines(ev)
    if alert.kind == KIND_PURCHASE:
        return _purchase_lines(ev)
    return _survey_lines(ev)


# --------------------------------------------------------------------------- report draft


def _pareto_sentence(ev: dict[str, Any], part: str) -> str:
    rows = ev.get("pareto") or []
    if not rows:
        return ""
    listed = ", ".join(f"{r['mode']} {pct(r['share'])} ({num(r['count'], 0)})" for r in rows[:5])
    return _("Leading failure modes of part %(part)s in the field: %(list)s.") % {
        "part": part,
        "list": listed,
    }


def phenomenon(alert: Any) -> str:
    ev, kind = _e(alert), alert.kind
    if kind == KIND_CLAIMS and _is_production(ev):
        return _(
            "Warranty claims of part %(part)s are above the baseline from build month "
            "%(onset)s on (build months %(start)s to %(end)s): %(obs)s claims against "
            "%(exp)s expected (%(ratio)s times the baseline rate)."
        ) % {
            "part": _part(ev, alert),
            "onset": ev.get("onset_build_month"),
            "start": ev.get("affected_from"),
            "end": ev.get("affected_to"),
            "obs": ev.get("observed"),
            "exp": num(ev.get("expected")),
            "ratio": num(ev.get("rate_ratio"), 2),
        }
    if kind == KIND_CLAIMS:
        return _(
            "Warranty claims of part %(part)s built in %(cohort)s are above those of the other "
            "build months: %(obs)s claims in the first %(mis)s months in service against "
            "%(exp)s expected (%(ratio)s times the usual rate)."
        ) % {
            "part": _part(ev, alert),
            "cohort": alert.cohort,
            "obs": ev.get("cumulative_observed"),
            "mis": ev.get("mis"),
            "exp": num(ev.get("cumulative_expected")),
            "ratio": num(ev.get("rate_ratio"), 2),
        }
    if kind == KIND_RETURNED and _is_mode_shift(ev):
        return _(
            "Failure mode “%(mode)s” of part %(part)s makes up %(rs)s of the failures of the "
            "last 3 months (%(rc)s of %(rt)s) against %(ps)s in the 12 months before."
        ) % {
            "mode": ev.get("mode"),
            "part": _part(ev, alert),
            "rs": pct(ev.get("recent_share")),
            "rc": ev.get("recent_count"),
            "rt": ev.get("recent_total"),
            "ps": pct(ev.get("prior_share")),
        }
    if kind == KIND_RETURNED:
        return _(
            "The field life of part %(part)s differs between build months: build month "
            "%(cohort)s has a B10 life of %(b10)s months against %(pooled)s months for all "
            "build months together."
        ) % {
            "part": _part(ev, alert),
            "cohort": ev.get("worst_cohort"),
            "b10": num(ev.get("worst_b10")),
            "pooled": num(ev.get("pooled_b10")),
        }
    if kind == KIND_PURCHASE:
        return _(
            "Monthly purchases of %(customer)s fell from about %(before)s to %(after)s units "
            "per month from %(month)s on (%(change)s)."
        ) % {
            "customer": _customer(alert, ev),
            "before": num(ev.get("level_before"), 0),
            "after": num(ev.get("level_after"), 0),
            "month": ev.get("change_month"),
            "change": pct(ev.get("relative_change")),
        }
    who = _customer(alert, ev) if kind == KIND_SATISFACTION else _("end users")
    return _(
        "Survey scores of %(who)s have fallen below their usual level: survey month "
        "%(period)s averaged %(mean)s points (%(n)s responses) against a target of %(target)s; "
        "below the lower limit since %(start)s."
    ) % {
        "who": who,
        "period": ev.get("period"),
        "mean": num(ev.get("mean_score")),
        "n": ev.get("responses"),
        "target": num(ev.get("target")),
        "start": ev.get("episode_start", ev.get("period")),
    }


def causes(alert: Any) -> str:
    ev, kind = _e(alert), alert.kind
    if kind in (KIND_CLAIMS, KIND_RETURNED):
        lines = [_pareto_sentence(ev, alert.part_number)]
        lines.append(
            _(
                "To be completed by Quality Management after inspecting returned parts: "
                "material, process or supplier changes around build month %(cohort)s, "
                "assembly, handling and use."
            )
            % {"cohort": alert.cohort or "—"}
        )
        return "\n".join(line for line in lines if line)
    if kind == KIND_PURCHASE:
        return _(
            "To be clarified with the customer: quality or delivery problems, price, a "
            "competitor, or a change in the customer's own production or product mix."
        )
    return _(
        "To be clarified from the survey comments and with the customer: product quality, "
        "delivery, service response, price."
    )


def actions(alert: Any) -> str:
    ev, kind = _e(alert), alert.kind
    if kind in (KIND_CLAIMS, KIND_RETURNED):
        return _(
            "1. Quarantine and inspect stock of part %(part)s from build month %(cohort)s "
            "(finished goods and stock at customers).\n"
            "2. Analyse returned parts; open an 8D report if a manufacturing or material "
            "defect is confirmed.\n"
            "3. Review process, material and supplier changes around that build month.\n"
            "4. Sales informs the customers concerned and agrees the handling with them "
            "(repair if repairable, otherwise replacement)."
        ) % {"part": alert.part_number, "cohort": alert.cohort or "—"}
    if kind == KIND_PURCHASE:
        return _(
            "1. Sales contacts %(customer)s to learn the reason for the drop.\n"
            "2. Review complaints, warranty claims and deliveries of this customer in the "
            "period.\n"
            "3. Agree corrective actions with the customer and follow them up."
        ) % {"customer": _customer(alert, ev)}
    who = _customer(alert, ev) if kind == KIND_SATISFACTION else _("the end users")
    return _(
        "1. Sales discusses the survey result with %(who)s.\n"
        "2. Review recent complaints and service records.\n"
        "3. Agree improvement actions and check their effect in the next survey."
    ) % {"who": who}


def scope(alert: Any) -> str:
    ev, kind = _e(alert), alert.kind
    if kind == KIND_CLAIMS and _is_production(ev):
        return _(
            "Part %(part)s, build months %(start)s to %(end)s (estimated onset %(onset)s): "
            "%(units)s units built. Customers supplied from these build months: to be "
            "confirmed by Sales."
        ) % {
            "part": _part(ev, alert),
            "start": ev.get("affected_from"),
            "end": ev.get("affected_to"),
            "onset": ev.get("onset_build_month"),
            "units": num(ev.get("affected_units_built"), 0),
        }
    if kind == KIND_CLAIMS:
        return _(
            "Part %(part)s, build month %(cohort)s: %(units)s units built; %(age)s of 12 "
            "months in service observed. Customers supplied from this build month: to be "
            "confirmed by Sales."
        ) % {
            "part": _part(ev, alert),
            "cohort": alert.cohort,
            "units": num(ev.get("units_built"), 0),
            "age": ev.get("age_months", "—"),
        }
    if kind == KIND_RETURNED:
        return _(
            "Part %(part)s, all build months in service (%(n)s monitored); build month "
            "%(cohort)s in particular. Customers concerned: to be confirmed by Sales."
        ) % {
            "part": _part(ev, alert),
            "n": ev.get("cohorts_monitored", "—"),
            "cohort": alert.cohort or "—",
        }
    if kind == KIND_PURCHASE:
        window = ev.get("window") or ["—", "—"]
        return _("Customer %(customer)s (%(code)s); months %(start)s – %(end)s.") % {
            "customer": _customer(alert, ev),
            "code": ev.get("customer_code", ""),
            "start": window[0],
            "end": window[-1],
        }
    if kind == KIND_SATISFACTION:
        return _("Customer %(customer)s (%(code)s); %(n)s survey months.") % {
            "customer": _customer(alert, ev),
            "code": ev.get("customer_code", ""),
            "n": ev.get("periods", "—"),
        }
    return _("End users of the company's products; %(n)s survey months.") % {
        "n": ev.get("periods", "—")
    }


def report_title(alert: Any) -> str:
    return _("Failure analysis: %(headline)s") % {"headline": headline(alert)}


def draft_sections(alert: Any) -> dict[str, str]:
    """The pre-filled report: title and the five sections (see models.REPORT_SECTIONS)."""
    return {
        "title": report_title(alert)[:200],
        "phenomenon": phenomenon(alert),
        "analysis": "\n".join(statistics_lines(alert)),
        "causes": causes(alert),
        "actions": actions(alert),
        "scope": scope(alert),
    }


# --------------------------------------------------------------------------- notices


def headline_of(alert_id: int) -> str:
    """The headline of an alert by id, in the active language (a notice's argument, shown
    when the reader opens it: core.notifications.Later)."""
    from ..models import Alert

    return headline(Alert.objects.get(pk=alert_id))


def statistics_of(alert_id: int) -> str:
    from ..models import Alert

    return "\n".join(statistics_lines(Alert.objects.get(pk=alert_id)))
