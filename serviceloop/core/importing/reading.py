"""Rows of an uploaded XLSX or CSV file as (spreadsheet row number, cell values), streamed.

CSV: the encoding is found first (a BOM, else UTF-8 if the whole file decodes as UTF-8,
else GB18030 — the encodings Excel and WPS write in China), then the file is decoded and
split as it is read; rows and cell length are counted as they come (the csv module itself
stops a field at 131,072 characters, so no line grows without bound). XLSX: see `xlsx.py`.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import PurePath
from typing import IO, Any, Protocol

from django.utils.translation import gettext as _

from .limits import FileRefused, Limits, cell_too_long, too_large, too_many_rows
from .xlsx import CHUNK, XlsxTable

EXTENSIONS = (".xlsx", ".xlsm", ".csv")


class Table(Protocol):
    estimated_rows: int | None

    @property
    def progress(self) -> float: ...

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...]]]: ...


def open_table(stream: IO[bytes], name: str, limits: Limits, sheet: str = "") -> Table:
    """A table over the stream (which must be seekable), chosen by the file name."""
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    if size > limits.max_bytes:
        raise too_large(size, limits.max_bytes)
    if size == 0:
        raise FileRefused(_("The file is empty."))
    suffix = PurePath(name or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return XlsxTable(stream, limits, sheet)
    if suffix == ".csv":
        return CsvTable(stream, size, limits)
    raise FileRefused(_("Upload an .xlsx or .csv file."))


def detect_encoding(stream: IO[bytes]) -> tuple[str, int]:
    """(encoding, lines): utf-16 or utf-8-sig by BOM; utf-8 if every byte decodes; else
    gb18030. The line feeds are counted on the way (an upper bound of the rows)."""
    head = stream.read(4)
    stream.seek(0)
    lines = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding = "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    while chunk := stream.read(CHUNK):
        lines += chunk.count(b"\n")
        if encoding == "utf-8":
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                encoding = "gb18030"  # Excel in China saves CSV as GBK (a subset of GB18030)
    if encoding == "utf-8":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "gb18030"
    stream.seek(0)
    return encoding, lines


class CsvTable:
    def __init__(self, stream: IO[bytes], size: int, limits: Limits):
        self.stream, self.size, self.limits = stream, max(size, 1), limits
        self.encoding, self.lines = detect_encoding(stream)
        self.estimated_rows: int | None = self.lines

    @property
    def progress(self) -> float:
        try:
            return min(self.stream.tell() / self.size, 1.0)
        except (OSError, ValueError):
            return 0.0

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        limits = self.limits
        text = io.TextIOWrapper(self.stream, encoding=self.encoding, newline="")
        try:
            sample = text.read(4096)
            text.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            number = 0
            if self.lines > limits.max_rows + 1:
                self._count_records(text, dialect)
            try:
                for number, cells in enumerate(csv.reader(text, dialect), start=1):
                    if number > limits.max_rows + 1:
                        raise too_many_rows(limits.max_rows, number)
                    if any(len(c) > limits.max_cell for c in cells):
                        raise cell_too_long(limits.max_cell, number)
                    yield number, tuple(cells)
            except csv.Error as exc:  # the csv module stops a field at 131,072 characters
                if "field larger than field limit" in str(exc):
                    raise cell_too_long(limits.max_cell, number + 1) from None
                raise FileRefused(_("The CSV file cannot be read: %(e)s") % {"e": exc}) from None
        except UnicodeDecodeError:
            raise FileRefused(_("The CSV file is neither UTF-8 nor GB18030 text.")) from None
        finally:
            text.detach()

    def _count_records(self, text: Any, dialect: Any) -> None:
        """More lines than rows allowed: count the records (a quoted cell may hold line
        feeds) with the csv module alone before checking any, and refuse at once if too
        many — 1.5 million rows in about a second instead of checking 200,000 first."""
        limit = self.limits.max_rows
        try:
            for number, _cells in enumerate(csv.reader(text, dialect), start=1):
                if number > limit + 1:
                    raise too_many_rows(limit, number)
        except csv.Error:
            pass  # the reading proper reports it, with its row
        finally:
            text.seek(0)
