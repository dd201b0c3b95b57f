"""The summary as sections of labelled figures: one structure for the page, the PDF and the
DOCX, so the three always say the same."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .charts import top_failure_modes


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"


def money(value: float | None) -> str:
    return f"¥{value or 0:,.2f}"


def _pairs(items: list[list[Any]] | list[tuple[str, int]]) -> str:
    return "; ".join(f"{label} {n}" for label, n in items) or "—"


def figure_sections(figures: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    d = figures.get("detail", {})
    comm, comp = d.get("communications", {}), d.get("complaints", {})
    war, field = d.get("warranty", {}), d.get("fieldservice", {})
    ew, vis, tr = d.get("earlywarning", {}), d.get("visits", {}), d.get("training", {})
    ans, fb = comm.get("answer", {}), comm.get("feedback", {})

    def clock(c: dict[str, Any]) -> str:
        return _("%(rate)s (%(on)s of %(owed)s on time, %(late)s late, %(miss)s missing)") % {
            "rate": pct(c.get("rate")),
            "on": c.get("on_time", 0),
            "owed": c.get("owed", 0),
            "late": c.get("late", 0),
            "miss": c.get("missing", 0),
        }

    sat = vis.get("mean_satisfaction")
    return [
        (
            _("Customer communications"),
            [
                (_("Communications received"), str(comm.get("received", 0))),
                (_("24 h first answer on time"), clock(ans)),
                (_("7-day feedback on time"), clock(fb)),
                (
                    _("Late entries (补录)"),
                    _("%(a)s answers, %(f)s feedbacks")
                    % {"a": ans.get("late_entries", 0), "f": fb.get("late_entries", 0)},
                ),
                (_("Feedback deadlines extended"), str(comm.get("extended", 0))),
                (_("Major quality problems raised"), str(comm.get("major", 0))),
            ],
        ),
        (
            _("Complaints and 8D"),
            [
                (_("Complaints received"), str(comp.get("received", 0))),
                (_("Complaints closed"), str(comp.get("closed", 0))),
                (_("8D reports opened"), str(comp.get("eight_d_opened", 0))),
                (_("8D reports closed"), str(comp.get("eight_d_closed", 0))),
                (_("8D reports overdue"), str(comp.get("eight_d_overdue", 0))),
                (_("8D actions overdue"), str(comp.get("actions_overdue", 0))),
                (_("Leading parts"), _pairs(comp.get("top_parts", []))),
                (_("Leading root causes"), _pairs(comp.get("top_causes", []))),
                (_("Top failure modes"), _pairs(top_failure_modes(figures, 5))),
            ],
        ),
        (
            _("Warranty claims"),
            [
                (_("Claims reported"), str(war.get("claims", 0))),
                (_("Accepted"), str(war.get("accepted", 0))),
                (_("Rejected"), str(war.get("rejected", 0))),
                (_("Settled"), str(war.get("settled", 0))),
                (_("Cost of accepted claims"), money(war.get("cost_total"))),
                (
                    _("of which parts / labour / travel"),
                    " / ".join(
                        money(war.get(k)) for k in ("cost_parts", "cost_labour", "cost_travel")
                    ),
                ),
            ],
        ),
        (
            _("Field service"),
            [
                (_("Service records"), str(field.get("records", 0))),
                (_("Parts affected"), str(field.get("quantity", 0))),
                (_("Outcomes"), _pairs(field.get("by_outcome", []))),
                (_("Return-for-repair forms"), str(field.get("returns", 0))),
                (_("Returned quantity"), str(field.get("returned_quantity", 0))),
                (_("Parts requests"), str(field.get("parts_requests", 0))),
                (_("Parts issued"), str(field.get("parts_issued", 0))),
            ],
        ),
        (
            _("Early warning"),
            [
                (_("Alerts raised"), str(ew.get("alerts", 0))),
                (_("By signal"), _pairs(ew.get("by_kind", []))),
                (_("Dismissed"), str(ew.get("dismissed", 0))),
                (_("Failure-analysis reports issued"), str(ew.get("reports_issued", 0))),
            ],
        ),
        (
            _("Customer visits"),
            [
                (_("Visits"), str(vis.get("visits", 0))),
                (_("Planned visits in the period"), str(vis.get("planned", 0))),
                (_("Planned visits done"), str(vis.get("planned_done", 0))),
                (_("Plan completion"), pct(vis.get("completion_rate"))),
                (_("Unplanned visits"), str(vis.get("unplanned_visits", 0))),
                (_("Mean satisfaction (1–5)"), "—" if sat is None else f"{sat:.2f}"),
                (
                    _("Improvement actions (verified / overdue)"),
                    f"{vis.get('actions', 0)} ({vis.get('actions_verified', 0)} / "
                    f"{vis.get('actions_overdue', 0)})",
                ),
            ],
        ),
        (
            _("Training"),
            [
                (_("Trainings held"), str(tr.get("trainings_held", 0))),
                (_("Trainings planned"), str(tr.get("trainings_planned", 0))),
                (_("Hours"), f"{tr.get('hours', 0):g}"),
                (_("Attendances"), str(tr.get("attendances", 0))),
                (_("Passed"), str(tr.get("passed", 0))),
            ],
        ),
    ]


def narrative_sections(summary: Any) -> list[tuple[str, str]]:
    return [
        (_("Achievements"), summary.achievements),
        (_("Shortcomings"), summary.shortcomings),
        (_("Direction for the next period"), summary.direction),
    ]
