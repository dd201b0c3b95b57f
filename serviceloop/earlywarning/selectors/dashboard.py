"""The per-part dashboard: claims per unit by build month x month in service (heat table),
each cohort's CUSUM status, the failure-mode Pareto and the Weibull fits with their
confidence intervals - all from one :func:`engine.analyse_one_part`, computed by the analysis
run and stored (`services.dashboards`); a view reads the stored analysis (issue 15)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from ..documents import charts, narrative
from ..engine import ENGINE_VERSION, PartAnalysis, analyse_one_part
from ..engine.inputs import part_changed_since
from ..engine.warranty import fit_dict, group_table, pareto_rows, weibull_chart
from ..models import PartDashboard
from ..stats.claims_monitor import WARRANTY_MONTHS


def _cell_style(ratio: float | None) -> str:
    """Red for more claims than expected at that month in service, pale when fewer."""
    if ratio is None:
        return ""
    if ratio <= 1:
        return "background:#f4f8fc"
    alpha = min(1.0, (ratio - 1.0) / 3.0) * 0.85 + 0.1
    color = "#fff" if alpha > 0.55 else "#1f2933"
    return f"background:rgba(179,38,30,{alpha:.2f});color:{color}"


def heat_rows(pa: PartAnalysis) -> list[dict[str, Any]]:
    """One row per build month: units, age, and per MIS claims per 1000 units at risk."""
    table = pa.table
    rows_by_cohort: dict[str, int] = {}
    pooled = None
    if table is not None:
        rows_by_cohort = {c: i for i, c in enumerate(table.cohorts)}
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = table.claims.sum(axis=0) / np.where(
                table.units.sum(axis=0) > 0, table.units.sum(axis=0), np.nan
            )
    prod = pa.production
    out = []
    for c, cohort in enumerate(pa.cohorts):
        r = rows_by_cohort.get(cohort)
        cells = []
        for m in range(WARRANTY_MONTHS):
            if table is None or r is None or table.units[r, m] <= 0:
                cells.append({"value": "", "title": "", "style": ""})
                continue
            y, u = int(table.claims[r, m]), float(table.units[r, m])
            expected = float(pooled[m] * u) if pooled is not None and np.isfinite(pooled[m]) else 0
            ratio = (y / expected) if expected > 0 else None
            cells.append(
                {
                    "value": f"{y / u * 1000:.2f}" if y else "·",
                    "title": f"{cohort} MIS {m + 1}: {y} / {u:,.0f} ({expected:.2f})",
                    "style": _cell_style(ratio) if y else "",
                }
            )
        status = None
        if prod is not None and r is not None and prod.scan.judged[0, r].any():
            status = {
                "cusum": float(prod.scan.step[0, r].max()),
                "threshold": float(prod.params.h_step),
                "alarm": bool(prod.scan.alarm[0, r]),
            }
        out.append(
            {
                "cohort": cohort,
                "built": int(pa.built[c]),
                "age": int(pa.ages[c]),
                "claims": int(table.claims[r].sum()) if table is not None and r is not None else 0,
                "cells": cells,
                "status": status,
            }
        )
    return out


def part_context(part_number: str, as_of: date) -> dict[str, Any]:
    pa = analyse_one_part(part_number, as_of)
    chart = weibull_chart(pa)
    disp = pa.dispersion
    return {
        "analysis": pa,
        "heat": heat_rows(pa),
        "mis_range": list(range(1, WARRANTY_MONTHS + 1)),
        "pareto_svg": charts.pareto_chart(pareto_rows(pa.pareto)),
        "pareto": pareto_rows(pa.pareto, 15),
        "weibull_svg": charts.weibull_plot(chart),
        "pooled_fit": fit_dict(pa.pooled_fit),
        "group_fits": group_table(pa),
        "homogeneity": pa.homogeneity,
        "dispersion": disp,
        "clock": pa.clock,
        "excluded": narrative.excluded_text(dict(pa.excluded)),
        "problems": pa.problems + pa.insufficient,
        "shift": pa.shift,
    }


def stored_part(part_number: str) -> PartDashboard:
    """The part's stored analysis; computed now if no run has stored it yet."""
    found = PartDashboard.objects.filter(part_number=part_number).first()
    if found is None:
        from ..services.dashboards import refresh_part

        found = refresh_part(part_number)
    return found


def stale_reasons(stored: PartDashboard, today: date) -> list[str]:
    """Why a stored analysis no longer matches its inputs (empty: it is current)."""
    from django.utils.translation import gettext as _

    reasons = []
    if stored.engine_version != ENGINE_VERSION:
        reasons.append(_("the analysis method has changed"))
    if (stored.as_of.year, stored.as_of.month) != (today.year, today.month):
        reasons.append(_("a month has passed (months in service have moved on)"))
    if part_changed_since(stored.part_number, stored.computed_at):
        reasons.append(_("claims, production volumes or baselines of the part have changed"))
    return reasons


def stored_context(part_number: str, today: date) -> dict[str, Any]:
    """The dashboard's context from the stored analysis, with when it was computed and
    whether it is stale."""
    stored = stored_part(part_number)
    d = stored.data
    return {
        "analysis": {
            "name": d["name"],
            "cohorts": d["cohorts"],
            "counted_claims": d["counted_claims"],
        },
        "heat": d["heat"],
        "mis_range": list(range(1, WARRANTY_MONTHS + 1)),
        "pareto_svg": charts.pareto_chart(d["pareto"][:10]),
        "pareto": d["pareto"][:15],
        "weibull_svg": charts.weibull_plot(d["weibull"]),
        "pooled_fit": d["pooled_fit"],
        "group_fits": d["group_fits"],
        "homogeneity": d["homogeneity"],
        "dispersion": d["dispersion"],
        "clock": d["clock"],
        "excluded": narrative.excluded_text(d["excluded"]),
        "problems": d["problems"],
        "stored": stored,
        "stale": stale_reasons(stored, today),
    }
