"""Reading XLSX and CSV as they stream, and refusing hostile files at the first limit
(issue 9): zip bombs, a huge cell, millions of rows, DTDs, odd encodings."""

import io
import zipfile
from datetime import date, datetime

import pytest

from serviceloop.core.importing.limits import FileRefused, Limits
from serviceloop.core.importing.reading import detect_encoding, open_table
from serviceloop.core.importing.xlsx import XlsxTable
from serviceloop.core.testing.imports import (
    SHEET_NS,
    csv_upload,
    raw_xlsx,
    sheet_xml,
    xlsx_upload,
)

LIMITS = Limits()


def rows_of(data: bytes, name: str = "t.xlsx", limits: Limits = LIMITS, sheet: str = ""):
    return list(open_table(io.BytesIO(data), name, limits, sheet))


def test_xlsx_values_as_excel_writes_them():
    upload = xlsx_upload(
        [
            ["C001", date(2025, 3, 9), 12000, 12.5, True, None, "中文 "],
            [None, None, "=not a formula", None, None, None, None],
        ],
        headers=["客户编码", "日期", "数量", "金额", "可否", "空", "备注"],
    )
    rows = rows_of(upload.read())
    assert rows[0] == (1, ("客户编码", "日期", "数量", "金额", "可否", "空", "备注"))
    number, cells = rows[1]
    assert number == 2
    assert cells == ("C001", datetime(2025, 3, 9), 12000, 12.5, True, None, "中文 ")
    # openpyxl writes "=…" as a formula with no cached value: the reader reads values only
    # (never formulas), so that row is blank and left out.
    assert len(rows) == 2


def test_sparse_cells_keep_their_columns_and_rows_their_numbers():
    sheet = (
        f'<worksheet xmlns="{SHEET_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>c</t></is></c></row>'
        '<row r="5"><c r="B5"><v>42</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    assert rows_of(raw_xlsx(sheet)) == [(1, ("a", None, "c")), (5, (None, 42))]


def test_shared_strings_rich_text_and_phonetic_runs():
    sst = (
        f'<sst xmlns="{SHEET_NS}"><si><t>plain</t></si>'
        "<si><r><t>ri</t></r><r><t>ch</t></r><rPh><t>ignored</t></rPh></si></sst>"
    ).encode()
    sheet = (
        f'<worksheet xmlns="{SHEET_NS}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>'
    ).encode()
    assert rows_of(raw_xlsx(sheet, sst)) == [(1, ("plain", "rich"))]


def test_a_named_sheet_is_read_when_there_is_one():
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["first"])
    wb.create_sheet("三包索赔").append(["second"])
    buf = io.BytesIO()
    wb.save(buf)
    assert rows_of(buf.getvalue(), sheet="三包索赔") == [(1, ("second",))]
    assert rows_of(buf.getvalue(), sheet="nope") == [(1, ("first",))]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings_chinese_excel_writes(encoding):
    upload = csv_upload(
        [["C001", "漏油", "1,200"]], headers=["客户编码", "故障", "金额"], encoding=encoding
    )
    data = upload.read()
    assert rows_of(data, "t.csv") == [
        (1, ("客户编码", "故障", "金额")),
        (2, ("C001", "漏油", "1,200")),
    ]


def test_csv_encoding_is_chosen_by_the_whole_file():
    text = ("a,b\n" + "x,y\n" * 30_000 + "中,文\n").encode("gb18030")
    assert detect_encoding(io.BytesIO(text)) == ("gb18030", 30_002)
    assert rows_of(text, "t.csv")[-1] == (30_002, ("中", "文"))


def test_csv_semicolons_are_sniffed():
    upload = csv_upload([["1", "2"]], headers=["a", "b"], delimiter=";")
    assert rows_of(upload.read(), "t.csv")[1] == (2, ("1", "2"))


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("t.pdf", b"%PDF", "Upload an .xlsx or .csv"),
        ("t.xlsx", b"", "empty"),
        ("t.xlsx", b"not a zip at all", "not a readable XLSX"),
        ("t.csv", b"\xff\xfe\x00\xd8bad\x81", None),
    ],
)
def test_unreadable_files(name, data, message):
    if message is None:  # a UTF-16 BOM with a lone surrogate
        with pytest.raises(FileRefused):
            rows_of(data, name)
        return
    with pytest.raises(FileRefused, match=message):
        rows_of(data, name)


def test_a_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(FileRefused, match="too large"):
        rows_of(b"x" * 2000, "t.csv", Limits(max_bytes=1000))


def test_a_zip_bomb_is_refused_before_parsing():
    """5 MB of one letter pack into a few KB: the ratio gives it away before any parsing."""
    cell = "a" * (5 * 1024 * 1024)
    data = raw_xlsx(sheet_xml([[cell]]))
    assert len(data) < 50_000
    with pytest.raises(FileRefused, match="zip bomb"):
        rows_of(data)


def test_a_workbook_unpacking_past_the_total_is_refused():
    data = raw_xlsx(sheet_xml([["x" * 5000] for _ in range(100)]))
    with pytest.raises(FileRefused, match="unpacks to more than"):
        rows_of(data, limits=Limits(max_uncompressed=100_000))


def test_a_cell_over_the_limit_stops_the_reading():
    data = raw_xlsx(sheet_xml([["ok"], ["y" * 5000], ["never read"]]))
    with pytest.raises(FileRefused, match="row 2 holds more than 1000") as caught:
        rows_of(data, limits=Limits(max_cell=1000, ratio_floor=10**9))
    assert caught.value.row == 2


def test_a_shared_string_over_the_limit_stops_the_reading():
    sst = f'<sst xmlns="{SHEET_NS}"><si><t>{"z" * 5000}</t></si></sst>'.encode()
    sheet = f'<worksheet xmlns="{SHEET_NS}"><sheetData></sheetData></worksheet>'.encode()
    with pytest.raises(FileRefused, match="more than 1000 characters"):
        rows_of(raw_xlsx(sheet, sst), limits=Limits(max_cell=1000, ratio_floor=10**9))


def test_a_long_csv_cell_is_refused():
    data = ("a,b\n1," + "x" * 2000 + "\n").encode()
    with pytest.raises(FileRefused, match="row 2 holds more than 1000"):
        rows_of(data, "t.csv", Limits(max_cell=1000))
    huge = ('a,b\n1,"' + "x" * 200_000 + '"\n').encode()  # past the csv module's own limit
    with pytest.raises(FileRefused, match="more than"):
        rows_of(huge, "t.csv")


def _many_rows(n: int):
    yield f'<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode()
    for r in range(1, n + 1):
        yield f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'.encode()
    yield b"</sheetData></worksheet>"


def test_too_many_csv_rows():
    data = ("a\n" + "1\n" * 500).encode()
    with pytest.raises(FileRefused, match="more than 100 rows"):
        rows_of(data, "t.csv", Limits(max_rows=100))


def test_line_feeds_inside_cells_are_not_rows():
    """The quick count before reading counts records, not lines."""
    data = ("a,b\n" + '1,"line one\nline two\nline three"\n' * 50).encode()
    assert len(rows_of(data, "t.csv", Limits(max_rows=60))) == 51
    with pytest.raises(FileRefused, match="more than 30 rows"):
        rows_of(data, "t.csv", Limits(max_rows=30))


def test_a_sheet_of_many_rows_is_refused_before_parsing():
    data = raw_xlsx(_many_rows(200_000))
    with pytest.raises(FileRefused, match="more than 1000 rows") as caught:
        XlsxTable(io.BytesIO(data), Limits(max_rows=1000, ratio_floor=10**9))
    assert caught.value.row == 0  # counted, not parsed


def test_a_doctype_is_refused():
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>'
        + f'<worksheet xmlns="{SHEET_NS}"><sheetData/></worksheet>'.encode()
    )
    with pytest.raises(FileRefused, match="DOCTYPE"):
        rows_of(raw_xlsx(sheet))


def test_a_broken_sheet_part_is_unreadable():
    with pytest.raises(FileRefused, match="not a readable XLSX"):
        rows_of(raw_xlsx(b"<worksheet><sheetData><row>"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "no workbook here")
    with pytest.raises(FileRefused, match="not a readable XLSX"):
        rows_of(buf.getvalue())
