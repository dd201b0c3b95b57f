"""XLSX exports: the Customer Complaint Register in its form's layout (顾客投诉登记表, R-5.5.1)
and the management-review summary with charts (R-5.5.9)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from serviceloop.core.exports import (
    CHUNK_SIZE,
    Layout,
    append_row,
    workbook_bytes,
    xlsx_file,
    xlsx_response,
)

from ..models import ActionStatus, Complaint

REGISTER_TITLE = "顾客投诉登记表"
# The register's columns, as on the paper form: (header, width).
REGISTER_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6),
    ("投诉编号", 17),
    ("类别", 10),
    ("接收日期", 12),
    ("顾客名称", 22),
    ("顾客编号", 14),
    ("零件号", 14),
    ("零件名称", 14),
    ("批次号", 14),
    ("数量", 8),
    ("问题描述", 40),
    ("是否在产", 9),
    ("严重程度", 9),
    ("接收人", 10),
    ("8D编号", 16),
    ("8D负责人", 10),
    ("8D状态", 12),
    ("责任部门", 14),
    ("原因", 40),
    ("纠正措施", 40),
    ("回复日期", 12),
    ("状态", 10),
    ("关闭日期", 12),
    ("传阅确认", 24),
]
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F2")
WRAP = Alignment(wrap_text=True, vertical="top")


def _day(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _register_row(n: int, c: Complaint) -> list[Any]:
    report = getattr(c, "eight_d", None)
    causes, actions, departments, circulation = [], [], [], []
    reply_at = None
    if report is not None:
        for cause in report.root_causes.all():
            causes.append(f"[{cause.get_kind_display()}] {cause.description}")
            if cause.department is not None:
                departments.append(str(cause.department))
        actions = [
            a.description
            for a in report.actions.all()
            if a.discipline == "d5" and a.status != ActionStatus.CANCELLED
        ]
        reply = getattr(report, "reply", None)
        reply_at = reply.sent_at if reply is not None else None
        circulation = [
            f"{r.get_role_display()} {_day(r.acknowledged_at) or _('awaiting acknowledgement')}"
            for r in report.circulation.all()
        ]
    return [
        n,
        c.number,
        c.get_kind_display(),
        _day(c.received_at),
        c.customer.name,
        c.customer.code,
        c.part_number,
        c.part_name,
        c.lot,
        c.quantity if c.quantity is not None else "",
        c.description,
        _("yes") if c.in_production else _("no"),
        c.get_severity_display(),
        str(c.received_by or ""),
        report.number if report else "",
        str(report.leader or "") if report else "",
        report.get_status_display() if report else "",
        "、".join(dict.fromkeys(departments)),
        "\n".join(causes),
        "\n".join(actions),
        _day(reply_at),
        c.get_status_display(),
        _day(c.closed_at),
        "\n".join(circulation),
    ]


# What the register export reads with each complaint (per chunk of rows).
REGISTER_PREFETCH = ("eight_d__root_causes__department", "eight_d__actions", "eight_d__circulation")
REGISTER_RELATED = ("customer", "received_by", "eight_d__leader", "eight_d__reply")


def register_sheet(
    complaints: Iterable[Complaint], *, exported_by: str, filters: str
) -> tuple[list[str], Iterator[list[Any]], Layout]:
    """The register in the layout of the paper form, as a streamed sheet: its headers, its
    rows (lazily, one complaint at a time; write them with Chinese active) and its layout."""
    note = f"导出时间:{timezone.localtime().strftime('%Y-%m-%d %H:%M')}  导出人:{exported_by}"
    layout = Layout(
        preamble=(REGISTER_TITLE, note + (f"  筛选:{filters}" if filters else "")),
        widths=[w for _, w in REGISTER_COLUMNS],
        freeze="C4",
        boxed=True,
        landscape=True,
    )
    rows = (_register_row(n, c) for n, c in enumerate(complaints, start=1))
    return [h for h, _ in REGISTER_COLUMNS], rows, layout


def register_response(
    qs: QuerySet[Complaint], *, exported_by: str, filters: str, total: int | None = None
) -> HttpResponse:
    """The register as an XLSX download (core.exports: constant memory, a background job
    when large), its values in Chinese whatever the reader's language."""
    with translation.override("zh-hans"):
        rows = qs.select_related(*REGISTER_RELATED).prefetch_related(*REGISTER_PREFETCH)
        headers, lines, layout = register_sheet(
            rows.iterator(chunk_size=CHUNK_SIZE), exported_by=exported_by, filters=filters
        )
        stamp = timezone.localdate().isoformat()
        return xlsx_response(
            f"complaint-register-{stamp}.xlsx",
            REGISTER_TITLE,
            headers,
            lines,
            total=total,
            layout=layout,
        )


def register_xlsx(complaints: Iterable[Complaint], *, exported_by: str, filters: str) -> bytes:
    """The register as bytes (small registers, tests)."""
    with translation.override("zh-hans"):
        headers, rows, layout = register_sheet(complaints, exported_by=exported_by, filters=filters)
        with xlsx_file(REGISTER_TITLE, headers, rows, layout) as f:
            return f.read()


def _table_with_chart(
    ws: Worksheet, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], anchor: str
) -> None:
    append_row(ws, [title])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
    append_row(ws, headers)
    head = ws.max_row
    for cell in ws[head]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
    for row in rows:
        append_row(ws, row)
    if rows:
        chart = BarChart()
        chart.type = "bar" if len(rows) > 6 else "col"
        chart.title = title
        chart.legend = None
        chart.height, chart.width = max(6, 0.6 * len(rows) + 3), 16
        data = Reference(ws, min_col=2, min_row=head, max_row=head + len(rows))
        cats = Reference(ws, min_col=1, min_row=head + 1, max_row=head + len(rows))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        ws.add_chart(chart, anchor)
    ws.append([])


def review_xlsx(summary: Any) -> bytes:
    """The management-review summary: one sheet per breakdown, each with its bar chart."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Summary")[:31]
    append_row(ws, [_("Complaints: management-review input (R-5.5.9)")])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    append_row(ws, [_("Period"), f"{summary.date_from} – {summary.date_to}"])
    facts = [
        (_("Complaints"), summary.total),
        (_("Closed"), summary.closed),
        (_("Open"), summary.open),
        (_("Mean days to close"), summary.close_days.get("mean")),
        (_("Median days to close"), summary.close_days.get("median")),
        (_("90th percentile days to close"), summary.close_days.get("p90")),
        (_("Action items"), summary.actions_total),
        (_("Action items done late"), summary.actions_late),
        (_("Action items overdue now"), len(summary.overdue_actions)),
    ]
    for label, value in facts:
        append_row(ws, [label, value])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 34, 22
    count = _("Complaints")
    sheets = [
        (_("By month"), _("Month"), summary.by_month),
        (_("By customer"), _("Customer"), summary.by_customer),
        (_("By part"), _("Part number"), summary.by_part),
        (_("By cause"), _("Cause category"), summary.by_cause),
        (_("By severity"), _("Severity"), summary.by_severity),
        (_("Time to close"), _("Days to close"), summary.close_buckets),
    ]
    for title, label, rows in sheets:
        sheet = wb.create_sheet(title[:31])
        sheet.column_dimensions["A"].width = 28
        _table_with_chart(sheet, title, [label, count], rows, "D2")
    late = wb.create_sheet(_("Overdue actions")[:31])
    append_row(late, [_("8D"), _("Action item"), _("Owner"), _("Due")])
    for cell in late[1]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
    for a in summary.overdue_actions:
        append_row(late, [a.report.number, a.description, a.assignee, _day(a.due_at)])
    for col, width in zip("ABCD", (18, 60, 16, 12), strict=True):
        late.column_dimensions[col].width = width
    return workbook_bytes(wb)
