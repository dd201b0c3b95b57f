"""Exports are inert (issue 9, finding 1): user text is written as text, never a formula."""

import zipfile
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from serviceloop.core.exports import csv_bytes, csv_field, xlsx_bytes
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with

FORMULA = '=HYPERLINK("http://evil.example/x","click")'


def cells(content: bytes) -> list:
    wb = load_workbook(BytesIO(content))
    return [c for row in wb.active.iter_rows() for c in row]


def sheet_xml(content: bytes) -> str:
    return zipfile.ZipFile(BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_writes_formula_like_text_as_text():
    content = xlsx_bytes("t", ["name", "n"], [[FORMULA, 3], ["+1-1", 4], ["@SUM(A1)", None]])
    assert "<f>" not in sheet_xml(content)
    texts = [c for c in cells(content) if isinstance(c.value, str) and c.value]
    assert {c.data_type for c in texts} == {"s"}
    assert FORMULA in [c.value for c in texts]
    assert [c.value for c in cells(content) if c.data_type == "n"] == [3, 4]


def test_xlsx_replaces_characters_xml_cannot_hold():
    content = xlsx_bytes("t", ["subject"], [["a\x00b\x1bc\td"]])
    assert cells(content)[1].value == "a\ufffdb\ufffdc\td"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formula_starts(start):
    assert csv_field(f"{start}1+1") == f"'{start}1+1"
    assert csv_bytes(["h"], [[f"{start}cmd|' /C calc'!A0"]]).decode("utf-8").splitlines()[1][
        :2
    ] in {"'" + start, "\"'"}


def test_csv_keeps_numbers_and_plain_text():
    assert csv_field(-5) == -5 and csv_field("a=b") == "a=b"
    assert csv_bytes(["名称"], [["长江"]]).decode("utf-8") == "\ufeff名称\r\n长江\r\n"


@pytest.mark.django_db
def test_customer_export_keeps_a_planted_formula_as_text():
    CustomerFactory(name=FORMULA)
    client = Client()
    client.force_login(user_with("sales"))
    response = client.get("/customers/", {"export": "xlsx"})
    assert response.status_code == 200
    assert "<f>" not in sheet_xml(response.content)
    assert [c.data_type for c in cells(response.content) if c.value == FORMULA] == ["s"]


@pytest.mark.sqlite_only  # PostgreSQL cannot store NUL in text at all
@pytest.mark.django_db
def test_communication_export_survives_control_characters_already_stored():
    """Rows stored before input validation existed must not make the export a 500."""
    sales = user_with("sales")
    comm = register_communication(sales, subject=FORMULA)
    type(comm).objects.filter(pk=comm.pk).update(subject="a\x00b")
    client = Client()
    client.force_login(sales)
    response = client.get("/communications/", {"export": "xlsx"})
    assert response.status_code == 200
    assert "a\ufffdb" in [c.value for c in cells(response.content)]


def test_streamed_xlsx_keeps_header_widths_order_and_text_cells():
    """Issue 15: the export is written by a write-only workbook to a temporary file."""
    from io import BytesIO

    from openpyxl import load_workbook

    from serviceloop.core.exports import WIDTH_SAMPLE, xlsx_file

    rows = ([f"=row{i}", i] for i in range(WIDTH_SAMPLE + 50))
    with xlsx_file("t", ["name", "n"], rows) as f:
        ws = load_workbook(BytesIO(f.read())).active
    assert ws.max_row == WIDTH_SAMPLE + 51
    assert ws["A1"].value == "name" and ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert ws.cell(WIDTH_SAMPLE + 51, 1).value == f"=row{WIDTH_SAMPLE + 49}"
    assert ws.cell(WIDTH_SAMPLE + 51, 1).data_type == "s"  # text, never a formula
    assert ws.cell(WIDTH_SAMPLE + 51, 2).value == WIDTH_SAMPLE + 49
    assert ws.column_dimensions["A"].width >= 8
