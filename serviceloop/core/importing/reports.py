"""Files for people: the error report of a job and the template of a kind."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from serviceloop.core.exports import append_row, csv_bytes, workbook_bytes
from serviceloop.core.models import ImportJob

from .kinds import Kind

RED = "B3261E"


def error_report_xlsx(job: ImportJob) -> bytes:
    """Every kept error of the check: row number, column, value, message."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Errors")[:31])
    append_row(ws, [_("Row"), _("Column"), _("Value"), _("Message")])
    for e in job.errors:
        append_row(ws, [e["row"], e["column"], e.get("value", ""), e["message"]])
    if job.error_count > len(job.errors):
        append_row(
            ws, ["", "", "", _("Only the first %(n)s errors are listed.") % {"n": len(job.errors)}]
        )
    return workbook_bytes(wb)


def template_xlsx(kind: Kind) -> bytes:
    """The template: the headers (required ones in red) with an example row, more examples
    if the kind has them, and a sheet explaining every column."""
    columns = kind.template_columns
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = (kind.sheet or str(kind.label))[:31]
    append_row(ws, [c.header for c in columns])
    append_row(ws, [c.example for c in columns])
    for extra in kind.example_rows:
        append_row(ws, [extra.get(c.field, c.example) for c in columns])
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color=RED if col.required else "000000")
        ws.column_dimensions[cell.column_letter].width = max(12, len(col.header) * 2 + 6)
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("说明")
    append_row(guide, ["列", "必填", "格式 / 说明", "示例"])
    for col in columns:
        append_row(guide, [col.header, "是" if col.required else "", str(col.help), col.example])
    if kind.guide is not None:
        guide.append([])
        for line in kind.guide():
            append_row(guide, line)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 26), ("B", 40), ("C", 50), ("D", 30)):
        guide.column_dimensions[letter].width = width
    return workbook_bytes(wb)


def template_csv(kind: Kind) -> bytes:
    """The headers as a CSV line, UTF-8 with a BOM (so that Excel opens it as UTF-8)."""
    return csv_bytes([c.header for c in kind.template_columns])
