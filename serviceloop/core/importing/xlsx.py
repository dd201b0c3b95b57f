"""A streaming reader of the first (or a named) sheet of an XLSX workbook.

Why not openpyxl's read-only mode: it is correct but slow for what an import needs — about
12 s of CPU for 100,000 rows × 21 columns on these machines, a third of the whole budget of
an import (benchmarks/warranty_import.py). This reader walks the same parts of the file with
the standard library's expat parser and keeps nothing but the shared strings and the row at
hand, about four times faster. openpyxl still writes the templates and the error reports.

Hostile files are refused before and while parsing (`limits.Limits`):
- before: the zip directory — the number of parts, their unpacked total, and each large
  part's unpacked/packed ratio (a 300 MB cell packs into 300 KB: ratio 1000);
- while: the characters of a cell or shared string, and the rows of the sheet, are counted
  as expat delivers them, and reading stops at the first limit. A DOCTYPE is refused (no
  entity expansion). zipfile never unpacks more than a part's declared size.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from posixpath import dirname, join, normpath
from typing import IO, Any
from xml.parsers import expat

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .limits import FileRefused, Limits, cell_too_long, too_many_rows

CHUNK = 64 * 1024
MAX_PARTS = 10_000
REL_SHARED_STRINGS = "/sharedStrings"
REL_STYLES = "/styles"
REL_WORKSHEET = "/worksheet"


def _unreadable() -> FileRefused:
    return FileRefused(_("This is not a readable XLSX workbook."))


def _local(name: str) -> str:
    """An element's name without its namespace (expat gives "uri name")."""
    return name.rpartition(" ")[2]


def _parser() -> Any:
    p = expat.ParserCreate(namespace_separator=" ")
    p.buffer_text = True
    p.buffer_size = CHUNK

    def refuse(*_args: Any) -> None:
        raise FileRefused(_("The workbook declares a DOCTYPE; it is refused."))

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    return p


def _feed(p: Any, stream: IO[bytes]) -> None:
    try:
        while chunk := stream.read(CHUNK):
            p.Parse(chunk, False)
        p.Parse(b"", True)
    except expat.ExpatError:
        raise _unreadable() from None


def check_zip(zf: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose parts unpack to too much, before reading any of them."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise _unreadable()
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_uncompressed:
            raise FileRefused(
                _("The workbook unpacks to more than %(limit)s; it is refused.")
                % {"limit": filesizeformat(limits.max_uncompressed)}
            )
        packed = max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * packed:
            raise FileRefused(
                _(
                    "Part %(part)s of the workbook unpacks %(ratio)s times larger than it is "
                    "stored (%(size)s); the file is refused as a possible zip bomb."
                )
                % {
                    "part": info.filename[:80],
                    "ratio": info.file_size // packed,
                    "size": filesizeformat(info.file_size),
                }
            )


def _read_small(zf: zipfile.ZipFile, name: str, start: Callable[[str, dict], None]) -> None:
    try:
        stream = zf.open(name)
    except KeyError:
        return
    p = _parser()
    p.StartElementHandler = lambda n, a: start(_local(n), a)
    with stream:
        _feed(p, stream)


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target path inside the zip) of a part."""
    folder = dirname(part)
    rels_name = join(folder, "_rels", part.rsplit("/", 1)[-1] + ".rels")
    found: dict[str, tuple[str, str]] = {}

    def start(name: str, attrs: dict) -> None:
        if name == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else normpath(join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    _read_small(zf, rels_name, start)
    return found


def _workbook(zf: zipfile.ZipFile) -> tuple[str, list[tuple[str, str]], bool]:
    """(workbook part, [(sheet name, relationship id)], 1904 calendar)."""
    main = "xl/workbook.xml"

    def root_rel(name: str, attrs: dict) -> None:
        nonlocal main
        if name == "Relationship" and attrs.get("Type", "").endswith("/officeDocument"):
            main = attrs.get("Target", main).lstrip("/")

    _read_small(zf, "_rels/.rels", root_rel)
    sheets: list[tuple[str, str]] = []
    date1904 = False

    def start(name: str, attrs: dict) -> None:
        nonlocal date1904
        if name == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))
        elif name == "workbookPr":
            date1904 = attrs.get("date1904") in ("1", "true")

    if main not in zf.namelist():
        raise _unreadable()
    _read_small(zf, main, start)
    return main, sheets, date1904


def _date_styles(zf: zipfile.ZipFile, path: str) -> list[bool]:
    """For each cell style index: does it format numbers as dates?"""
    custom: dict[int, str] = {}
    formats: list[int] = []
    inside = False

    def start(name: str, attrs: dict) -> None:
        nonlocal inside
        if name == "numFmt":
            custom[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            inside = True
        elif name == "xf" and inside:
            formats.append(int(attrs.get("numFmtId", 0)))
        elif name in ("cellStyles", "dxfs"):
            inside = False

    _read_small(zf, path, start)
    return [is_date_format(custom.get(f) or BUILTIN_FORMATS.get(f, "")) for f in formats]


def _shared_strings(zf: zipfile.ZipFile, path: str, limits: Limits) -> list[str]:
    """The shared-strings table; a string's rich-text runs joined, phonetic hints left out."""
    strings: list[str] = []
    parts: list[str] = []
    append, max_cell = strings.append, limits.max_cell
    size = phonetic = 0
    collect = False
    T = SI = ""  # full names in the part's namespace, set by its root element

    def start(name: str, attrs: dict) -> None:
        nonlocal collect, phonetic, size, T, SI
        if name == T:
            collect = not phonetic
        elif name == SI:
            parts.clear()
            size = 0
        else:
            local = _local(name)
            if local == "rPh":
                phonetic += 1
            elif local == "sst":
                ns = name[: -len(local)]
                T, SI = f"{ns}t", f"{ns}si"

    def end(name: str) -> None:
        nonlocal collect, phonetic
        if name == T:
            collect = False
        elif name == SI:
            append("".join(parts))
        elif _local(name) == "rPh":
            phonetic -= 1

    def data(text: str) -> None:
        nonlocal size
        if collect:
            size += len(text)
            if size > max_cell:
                raise cell_too_long(max_cell, 0)
            parts.append(text)

    try:
        stream = zf.open(path)
    except KeyError:
        return strings
    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = data
    with stream:
        _feed(p, stream)
    return strings


def _column_index(letters: str, cache: dict[str, int]) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for ch in letters:
            index = index * 26 + (ord(ch.upper()) - 64)
        index -= 1
        cache[letters] = index
    return index


class XlsxTable:
    """The rows of one sheet as (row number, cell values), read as the sheet streams in."""

    def __init__(self, stream: IO[bytes], limits: Limits, sheet_name: str = ""):
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _unreadable() from None
        check_zip(self.zip, limits)
        try:
            main, sheets, date1904 = _workbook(self.zip)
            rels = _rels(self.zip, main)
            if not sheets:
                raise _unreadable()
            chosen = next((s for s in sheets if s[0] == sheet_name), sheets[0])
            kind, self.sheet_path = rels.get(chosen[1], ("", ""))
            if not kind.endswith(REL_WORKSHEET) or self.sheet_path not in self.zip.namelist():
                raise _unreadable()
            by_type = {t.rsplit("/", 1)[-1]: p for t, p in rels.values()}
            self.strings = _shared_strings(
                self.zip, by_type.get("sharedStrings", "xl/sharedStrings.xml"), limits
            )
            self.date_styles = _date_styles(self.zip, by_type.get("styles", "xl/styles.xml"))
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
            if isinstance(exc, FileRefused):
                raise
            raise _unreadable() from None
        self._count_rows(limits)
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.size = max(self.zip.getinfo(self.sheet_path).file_size, 1)
        self.read = 0
        self.estimated_rows: int | None = None

    @property
    def progress(self) -> float:
        return min(self.read / self.size, 1.0)

    def _count_rows(self, limits: Limits) -> None:
        """Count the sheet's row tags before parsing it (unpacked once, counted at C speed,
        about 0.15 s per 100,000 rows): a sheet of millions of small rows is refused in a
        second rather than after checking the first `max_rows` of them. A row tag split
        between two chunks may go uncounted; the parser's own count stays exact."""
        count = 0
        try:
            with self.zip.open(self.sheet_path) as stream:
                while chunk := stream.read(1 << 20):
                    count += chunk.count(b"<row") + chunk.count(b":row ") + chunk.count(b":row>")
                    if count > limits.max_rows + 100:
                        raise too_many_rows(limits.max_rows, 0)
        except (zipfile.BadZipFile, EOFError, OSError):
            raise _unreadable() from None

    def _number(self, text: str, style: str | None) -> Any:
        try:
            value: Any = int(text) if text.isdigit() else float(text)
        except ValueError:
            return text
        if style in self.date_style_ids and value == value and abs(value) < 2_958_466:
            key = (text, style)
            found = self.date_cache.get(key)
            if found is None:
                try:
                    found = self.date_cache[key] = from_excel(value, self.epoch)
                except (ValueError, OverflowError):
                    return value
            return found
        return value

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...]]]:  # noqa: C901 (one parser)
        """The handlers below run once per element of a sheet of millions of cells: they
        compare full element names (namespace + name) and keep their state in closure
        variables, which is what keeps this reader fast."""
        limits = self.limits
        max_rows, max_cell, max_columns = limits.max_rows, limits.max_cell, limits.max_columns
        strings, number = self.strings, self._number
        cols: dict[str, int] = {}
        self.date_style_ids = {str(i) for i, is_date in enumerate(self.date_styles) if is_date}
        self.date_cache: dict[tuple[str, str], Any] = {}
        out: list[tuple[int, tuple[Any, ...]]] = []
        row: dict[int, Any] = {}
        row_number = rows_seen = size = phonetic = 0
        col = -1
        kind: str | None = None
        style: str | None = None
        buf: list[str] = []
        collect = in_inline = False
        C = V = ROW = ""  # full names in the sheet's namespace, set by its root element

        def start(name: str, attrs: dict) -> None:
            nonlocal row_number, rows_seen, col, kind, style, size, collect, in_inline, phonetic
            if name == C:
                ref = attrs.get("r")
                col = _column_index(ref.rstrip("0123456789"), cols) if ref else col + 1
                kind = attrs.get("t")
                style = attrs.get("s")
                buf.clear()
                size = 0
            elif name == V:
                collect = True
            elif name == ROW:
                rows_seen += 1
                r = attrs.get("r")
                row_number = int(r) if r and r.isdigit() else row_number + 1
                if rows_seen > max_rows + 1 or row_number > max_rows + 100:
                    raise too_many_rows(max_rows, row_number)
                row.clear()
                col = -1
            else:
                rare_start(name, attrs)

        def rare_start(name: str, attrs: dict) -> None:
            nonlocal collect, in_inline, phonetic, C, V, ROW
            local = _local(name)
            if local == "t":
                collect = in_inline and not phonetic
            elif local == "is":
                in_inline = True
            elif local == "rPh":
                phonetic += 1
            elif local == "dimension":
                last = attrs.get("ref", "").rpartition(":")[2].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ$")
                if last.isdigit():
                    self.estimated_rows = int(last)
            elif local == "worksheet":
                ns = name[: -len(local)]  # "uri " (or "" without a namespace)
                C, V, ROW = f"{ns}c", f"{ns}v", f"{ns}row"

        def end(name: str) -> None:
            nonlocal collect
            if name == C:
                collect = False
                if buf and col < max_columns:
                    text = "".join(buf)
                    if kind is None or kind == "n":
                        row[col] = number(text, style)
                    elif kind == "s":
                        row[col] = strings[int(text)]
                    elif kind == "b":
                        row[col] = text == "1"
                    elif kind == "d":
                        row[col] = datetime.fromisoformat(text)
                    else:  # str (a formula's text), inlineStr, e (an error such as #N/A)
                        row[col] = text
            elif name == ROW:
                if row:
                    values = [None] * (max(row) + 1)
                    for i, v in row.items():
                        values[i] = v
                    out.append((row_number, tuple(values)))
            elif name == V:
                collect = False
            else:
                rare_end(_local(name))

        def rare_end(local: str) -> None:
            nonlocal collect, in_inline, phonetic
            if local == "t":
                collect = False
            elif local == "is":
                in_inline = False
            elif local == "rPh":
                phonetic -= 1

        def data(text: str) -> None:
            nonlocal size
            if collect:
                size += len(text)
                if size > max_cell:
                    raise cell_too_long(max_cell, row_number)
                buf.append(text)

        p = _parser()
        p.StartElementHandler = start
        p.EndElementHandler = end
        p.CharacterDataHandler = data
        try:
            with self.zip.open(self.sheet_path) as stream:
                while chunk := stream.read(CHUNK):
                    p.Parse(chunk, False)
                    self.read += len(chunk)
                    if out:
                        yield from out
                        out.clear()
                p.Parse(b"", True)
                yield from out
        except expat.ExpatError:
            raise _unreadable() from None
        except (zipfile.BadZipFile, EOFError, IndexError, ValueError) as exc:
            if isinstance(exc, FileRefused):
                raise
            raise _unreadable() from None
        finally:
            self.zip.close()
