"""Exports shared by all apps: XLSX and CSV with headers in the user's language.

Every spreadsheet cell written by ServiceLoop goes through this module (issue 9, finding 1):
user text is written as text, never as a formula. openpyxl turns any string starting with
"=" into a formula cell, so each text cell is given the explicit data type "s" (an inline
string, which Excel never evaluates). CSV has no cell types, so a text field starting with
= + - @ TAB or CR is prefixed with an apostrophe, as OWASP recommends for CSV injection.
Characters that XML 1.0 cannot hold (C0 controls other than TAB/LF/CR) are replaced by U+FFFD
instead of making the export fail for everybody.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from itertools import chain, islice
from typing import IO, Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# First characters that make a spreadsheet treat a CSV field as a formula (OWASP).
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """A value as a spreadsheet holds it: numbers, dates and booleans as they are (aware
    datetimes in local time, naive), everything else as text with unwritable characters
    replaced."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (bool, int, float, Decimal, date)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


def _as_text(cell: Cell | WriteOnlyCell) -> Any:
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never "f": user text is not a formula
    return cell


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Set one cell of a worksheet; text stays text."""
    cell = ws.cell(row=row, column=column)
    cell.value = plain(value)
    _as_text(cell)
    return cell


def append_row(ws: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Append a row to a worksheet (normal or write-only, which streams); text stays text."""
    if isinstance(ws, WriteOnlyWorksheet):
        ws.append([_as_text(WriteOnlyCell(ws, plain(v))) for v in values])
        return
    ws.append([plain(v) for v in values])
    for cell in ws[ws.max_row]:
        _as_text(cell)


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A table as an XLSX sheet: bold frozen header row, columns sized to their content."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = plain(title)[:31]
    append_row(ws, [str(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [max(8, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = [plain(v) for v in row]
        append_row(ws, values)
        for i, v in enumerate(values):
            widths[i] = min(60, max(widths[i], len(str(v)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    total: int | None = None,
    layout: Layout | None = None,
) -> HttpResponse:
    """The table as an XLSX download, built in constant memory (issue 15): a write-only
    workbook written row by row to a temporary file; only the finished, compressed file is
    held to answer (a few MB for 100,000 rows). Give rows from `rows_of(queryset, …)`.

    A list of more than `export_jobs.job_rows()` rows (``total`` when the caller knows it,
    else found by reading that many) is not built in the request: it becomes a background
    job and the answer is the job's page (`core.export_jobs`). In the worker running that
    job, the same call writes into the job's file."""
    from . import export_jobs

    sink = export_jobs.current_sink()
    if sink is not None:
        with xlsx_file(title, headers, sink.rows(rows), layout) as f:
            return sink.save(filename, f)
    handed, rows = export_jobs.hand_over(filename, title, rows, total)
    if handed is not None:
        return handed
    with xlsx_file(title, headers, rows, layout) as f:
        return file_response(f.read(), filename, XLSX_TYPE)


# Rows read to size the columns of a streamed sheet (a write-only sheet fixes widths first).
WIDTH_SAMPLE = 200
CHUNK_SIZE = 2000
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F2")


@dataclass(frozen=True)
class Layout:
    """How a streamed sheet looks beyond a plain table (a paper form's register)."""

    preamble: Sequence[str] = ()  # lines above the header row; the first is the title
    widths: Sequence[int] = ()  # fixed column widths (else sized from the first rows)
    freeze: str = ""  # the first cell below and right of what stays (default: below header)
    boxed: bool = False  # thin borders, wrapped text, a shaded header (a form's look)
    landscape: bool = False


def xlsx_file(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    layout: Layout | None = None,
) -> IO[bytes]:
    """`xlsx_bytes` as an open temporary file (deleted on close), written through a
    write-only workbook: memory stays flat whatever the number of rows; columns are sized to
    the header and the first WIDTH_SAMPLE rows (or as `layout` says)."""
    layout = layout or Layout()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(plain(title)[:31])
    it = iter(rows)
    sample: list[list[Any]] = []
    if layout.widths:
        widths = list(layout.widths)
    else:
        sample = [[plain(v) for v in row] for row in islice(it, WIDTH_SAMPLE)]
        widths = [max(8, len(str(h)) * 2) for h in headers]
        for values in sample:
            for i, v in enumerate(values[: len(widths)]):
                widths[i] = min(60, max(widths[i], len(str(v)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    head_row = len(layout.preamble) + 1
    ws.freeze_panes = layout.freeze or f"A{head_row + 1}"
    if layout.landscape:
        ws.page_setup.orientation = "landscape"
        ws.print_title_rows = f"{head_row}:{head_row}"
    for n, line in enumerate(layout.preamble):
        cell = _as_text(WriteOnlyCell(ws, plain(line)))
        cell.font = Font(size=16, bold=True) if n == 0 else Font(size=9, color="666666")
        ws.append([cell])
    head = []
    for h in headers:
        cell = WriteOnlyCell(ws, plain(str(h)))
        cell.font = Font(bold=True)
        if layout.boxed:
            cell.fill, cell.border = HEAD_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.append(_as_text(cell))
    ws.append(head)
    if layout.boxed:
        wrap = Alignment(wrap_text=True, vertical="top")
        for row in chain(sample, it):
            cells = []
            for v in row:
                cell = _as_text(WriteOnlyCell(ws, plain(v)))
                cell.border, cell.alignment = BOX, wrap
                cells.append(cell)
            ws.append(cells)
    else:
        for row in chain(sample, it):
            append_row(ws, row)
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    wb.save(out)
    out.seek(0)
    return out


def rows_of(
    qs: QuerySet[Any], row: Callable[[Any], Sequence[Any]], chunk_size: int = CHUNK_SIZE
) -> Iterator[Sequence[Any]]:
    """An export's rows from a queryset read in chunks (its prefetches per chunk), never
    the whole result in memory."""
    for obj in qs.iterator(chunk_size=chunk_size):
        yield row(obj)


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_field(value: Any) -> Any:
    """A value for a CSV field: text starting like a formula gets a leading apostrophe."""
    value = plain(value)
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text, one line at a time, UTF-8 BOM first (so that Excel reads UTF-8)."""
    buf = io.StringIO()
    writer = csv.writer(buf)

    def line(values: Iterable[Any]) -> str:
        writer.writerow([csv_field(v) for v in values])
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    yield "\ufeff" + line(headers)
    for row in rows:
        yield line(row)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]] = ()) -> bytes:
    return "".join(csv_lines(headers, rows)).encode("utf-8")


def csv_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A CSV download streamed row by row."""
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(headers, rows)), content_type=CSV_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
