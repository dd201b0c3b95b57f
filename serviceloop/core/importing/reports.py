"""Files for people: the error report of a job and the template of a kind."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from serviceloop.core.models import ImportJob

from .kinds import Kind

RED = "B3261E"


def _text_cell(value: Any) -> Any:
    """Text stays text: a value a user wrote such as "=HYPERLINK(…)" must not become a
    formula in the report (issue 9)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def error_report_xlsx(job: ImportJob) -> bytes:
    """Every kept error of the check: row number, column, value, message."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Errors")[:31])
    ws.append([_("Row"), _("Column"), _("Value"), _("Message")])
    for e in job.errors:
        ws.append([e["row"], _text_cell(e["column"]), _text_cell(e.get("value", "")), e["message"]])
    if job.error_count > len(job.errors):
        ws.append(
            ["", "", "", _("Only the first %(n)s errors are listed.") % {"n": len(job.errors)}]
        )
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_xlsx(kind: Kind) -> bytes:
    """The template: the headers (required ones in red) with an example row, more examples
    if the kind has them, and a sheet explaining every column."""
    columns = kind.template_columns
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = (kind.sheet or str(kind.label))[:31]
    ws.append([c.header for c in columns])
    ws.append([c.example for c in columns])
    for extra in kind.example_rows:
        ws.append([extra.get(c.field, c.example) for c in columns])
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color=RED if col.required else "000000")
        ws.column_dimensions[cell.column_letter].width = max(12, len(col.header) * 2 + 6)
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("说明")
    guide.append(["列", "必填", "格式 / 说明", "示例"])
    for col in columns:
        guide.append([col.header, "是" if col.required else "", str(col.help), col.example])
    if kind.guide is not None:
        guide.append([])
        for line in kind.guide():
            guide.append(line)
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 26), ("B", 40), ("C", 50), ("D", 30)):
        guide.column_dimensions[letter].width = width
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv(kind: Kind) -> bytes:
    """The headers as a CSV line, UTF-8 with a BOM (so that Excel opens it as UTF-8)."""
    return ("\ufeff" + ",".join(c.header for c in kind.template_columns) + "\r\n").encode("utf-8")
