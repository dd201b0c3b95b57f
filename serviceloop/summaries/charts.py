"""The summary's charts (server-rendered SVG, core.charts): the same markup on the page and
in the PDF, drawn from the frozen figures."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from serviceloop.core.charts import column_chart, grouped_column_chart, hbar_chart


def _pct(rate: float | None) -> float:
    return round(100 * rate, 1) if rate is not None else 0.0


def top_failure_modes(figures: dict[str, Any], limit: int = 8) -> list[tuple[str, int]]:
    """Field service and warranty failure modes of the period, merged and ranked."""
    detail = figures.get("detail", {})
    merged: dict[str, int] = {}
    for source in (detail.get("fieldservice", {}), detail.get("warranty", {})):
        for label, n in source.get("top_failure_modes", []):
            merged[label] = merged.get(label, 0) + n
    return sorted(merged.items(), key=lambda p: (-p[1], p[0]))[:limit]


def summary_charts(figures: dict[str, Any]) -> list[SafeString]:
    detail = figures.get("detail", {})
    comm = detail.get("communications", {})
    comp = detail.get("complaints", {})
    visits = detail.get("visits", {})
    warranty = detail.get("warranty", {})
    charts = [
        hbar_chart(
            [
                (_("24 h first answer"), _pct(comm.get("answer", {}).get("rate"))),
                (_("7-day feedback"), _pct(comm.get("feedback", {}).get("rate"))),
                (_("Visit plan completion"), _pct(visits.get("completion_rate"))),
            ],
            title=_("On-time and completion rates (%)"),
        ),
        column_chart(
            [
                (_("Complaints"), comp.get("received", 0)),
                (_("8D opened"), comp.get("eight_d_opened", 0)),
                (_("8D closed"), comp.get("eight_d_closed", 0)),
                (_("8D overdue"), comp.get("eight_d_overdue", 0)),
                (_("Warranty claims"), warranty.get("claims", 0)),
            ],
            title=_("Complaints, 8D and warranty claims"),
        ),
        hbar_chart(top_failure_modes(figures), title=_("Top failure modes")),
    ]
    if visits.get("months"):
        charts.append(
            grouped_column_chart(
                visits["months"],
                [
                    (_("Planned"), visits.get("planned_by_month", [])),
                    (_("Done"), visits.get("done_by_month", [])),
                ],
                title=_("Customer visits: plan vs actual"),
            )
        )
    return charts
