"""The 8D report as a neutral document — sections with facts, text and tables — that the PDF
(HTML) and DOCX writers both render, so the two never disagree on content."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import ActionStatus, EightDReport
from ..selectors import report_full


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[int] = field(default_factory=list)  # per cent; fixed layout when given


@dataclass
class Record:
    """One finding laid out as a block rather than a table row (long text reads better)."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""


@dataclass
class Section:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    tables: list[Table] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


def fmt(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def _day(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else "—"


def header_facts(report: EightDReport) -> list[tuple[str, str]]:
    c = report.complaint
    return [
        (_("8D number"), report.number),
        (_("Complaint number"), c.number),
        (_("Customer"), c.customer.name),
        (_("Customer's reference"), fmt(c.customer_reference)),
        (_("Kind"), str(c.get_kind_display())),
        (_("Received at"), fmt(c.received_at)),
        (_("Part number"), fmt(c.part_number)),
        (_("Part name"), fmt(c.part_name)),
        (_("Lot / batch"), fmt(c.lot)),
        (_("Quantity"), fmt(c.quantity)),
        (_("Severity"), str(c.get_severity_display())),
        (_("Still in production"), fmt(c.in_production)),
        (_("8D leader"), fmt(report.leader)),
        (_("Status"), str(report.get_status_display())),
    ]


def _discipline_facts(disc: Any) -> list[tuple[str, str]]:
    return [
        (_("Owner"), fmt(disc.owner)),
        (_("Due"), _day(disc.due_at)),
        (_("Status"), str(disc.get_status_display())),
        (_("Completed"), _day(disc.completed_at)),
    ]


def _action_table(actions: list, with_verification: bool = False) -> Table:
    headers = [_("Action item"), _("Kind"), _("Owner"), _("Due"), _("Status"), _("Result")]
    widths = [32, 11, 9, 10, 9, 29]
    if with_verification:
        headers += [_("Verification"), _("Verified by")]
        widths = [22, 11, 8, 9, 9, 18, 15, 8]
    rows = []
    for a in actions:
        row = [
            a.description + (f" [{a.document_ref}]" if a.document_ref else ""),
            str(a.get_kind_display()),
            a.assignee,
            _day(a.due_at),
            str(a.get_status_display()),
            (a.result or "—") + (f" ({_('trained')}: {a.trainees})" if a.trainees else ""),
        ]
        if with_verification:
            row += [a.verification_note or "—", fmt(a.verified_by)]
        rows.append(row)
    return Table(headers, rows, widths)


def eightd_sections(report: EightDReport) -> list[Section]:
    data = report_full(report)
    d = data["disciplines"]
    actions = [a for a in data["actions"] if a.status != ActionStatus.CANCELLED]
    sections = []

    def section(code: str, **kwargs: Any) -> Section:
        s = Section(str(d[code].get_code_display()), _discipline_facts(d[code]), **kwargs)
        sections.append(s)
        return s

    section("d0", text=d["d0"].summary)
    section(
        "d1",
        text=d["d1"].summary,
        tables=[
            Table(
                [_("Name"), _("Role"), _("Department"), _("Responsibility")],
                [
                    [
                        str(m.user),
                        str(m.get_role_display()),
                        fmt(m.department),
                        fmt(m.responsibility),
                    ]
                    for m in data["team"]
                ],
                [20, 15, 25, 40],
            )
        ],
    )
    w = [
        (_("Problem statement"), report.problem_statement),
        (_("What"), report.d2_what),
        (_("Why"), report.d2_why),
        (_("Where"), report.d2_where),
        (_("When"), report.d2_when),
        (pgettext("5W2H", "Who"), report.d2_who),
        (_("How"), report.d2_how),
        (_("How many"), report.d2_how_many),
    ]
    section(
        "d2",
        text=d["d2"].summary,
        tables=[Table([_("5W2H"), ""], [[k, fmt(v)] for k, v in w], [22, 78])],
    )
    section(
        "d3",
        text=d["d3"].summary,
        tables=[
            Table(
                [
                    _("Location"),
                    _("Containment action"),
                    _("Owner"),
                    pgettext("containment quantity", "Checked"),
                    _("Found"),
                    _("Isolated"),
                    _("Tagged"),
                    _("Reworked"),
                    _("Re-inspection"),
                    _("Done"),
                ],
                [
                    [
                        str(c.get_location_display()),
                        c.action + (f" — {c.result}" if c.result else ""),
                        c.assignee,
                        str(c.quantity_checked),
                        str(c.quantity_found),
                        str(c.quantity_isolated),
                        str(c.quantity_tagged),
                        str(c.quantity_reworked),
                        str(c.get_reinspection_display()),
                        _day(c.done_at),
                    ]
                    for c in data["containments"]
                ],
                [11, 29, 9, 7, 7, 7, 7, 7, 8, 8],
            )
        ],
    )
    section(
        "d4",
        text=d["d4"].summary,
        records=[
            Record(
                f"{c.get_kind_display()} · {c.get_category_display()}: {c.description}",
                [
                    (_("Work station"), fmt(c.work_station)),
                    (_("Operator"), fmt(c.operator)),
                    (_("Inspector"), fmt(c.inspector)),
                    (_("Process card"), fmt(c.process_card_ref)),
                    (_("Production report"), fmt(c.production_report_ref)),
                    (_("Inspection record"), fmt(c.inspection_record_ref)),
                    (_("Responsibility"), str(c.get_responsibility_display())),
                    (_("Responsible department"), fmt(c.department)),
                    (_("Confirmed"), fmt(c.verified)),
                ],
                c.why_analysis,
            )
            for c in data["causes"]
        ],
    )
    d5 = [a for a in actions if a.discipline == "d5"]
    section("d5", text=d["d5"].summary, tables=[_action_table(d5)])
    d6 = d5 + [a for a in actions if a.discipline == "d6"]
    section("d6", text=d["d6"].summary, tables=[_action_table(d6, with_verification=True)])
    d7 = [a for a in actions if a.discipline == "d7"]
    section("d7", text=d["d7"].summary, tables=[_action_table(d7, with_verification=True)])
    for index, code in enumerate(("d0", "d1", "d2", "d3", "d4")):
        early = [a for a in actions if a.discipline == code]
        if early:  # analysis and containment tasks set in the early disciplines
            sections[index].tables.append(_action_table(early, with_verification=True))
    d8 = section("d8", text=d["d8"].summary)
    d8.facts += [(_("Closed at"), fmt(report.closed_at)), (_("Closed by"), fmt(report.closed_by))]
    if report.negotiation_outcome:
        d8.facts += [
            (_("Negotiation outcome"), str(report.get_negotiation_outcome_display())),
            (_("Negotiation record"), report.negotiation_text),
        ]
    d8.tables.append(
        Table(
            [_("Circulated to"), _("Circulated at"), _("Acknowledged"), _("By"), _("Comment")],
            [
                [
                    str(r.get_role_display()),
                    fmt(r.circulated_at),
                    fmt(r.acknowledged_at),
                    fmt(r.acknowledged_by),
                    fmt(r.note),
                ]
                for r in data["circulation"]
            ],
            [18, 18, 18, 14, 32],
        )
    )
    return sections
