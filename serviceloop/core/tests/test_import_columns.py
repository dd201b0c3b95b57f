"""Cells as people write them, parsed by column type with a message a person understands;
header rows found below titles, matched by aliases."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from serviceloop.core.importing import cells
from serviceloop.core.importing.columns import (
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INTEGER,
    MONTH,
    TEXT,
    CellError,
    ChoiceWords,
    Column,
    find_header,
)
from serviceloop.core.models import ImportMode

TODAY = date(2026, 6, 15)


def parse(column: Column, raw):
    return column.parser(TODAY)(raw)


def refused(column: Column, raw) -> str:
    with pytest.raises(CellError) as caught:
        parse(column, raw)
    return caught.value.message


def test_plain_cell_values():
    assert cells.parse_date("2025/3/9") == date(2025, 3, 9)
    assert cells.parse_date("2025年3月9日") == date(2025, 3, 9)
    assert cells.parse_date("20250309") == date(2025, 3, 9)
    assert cells.parse_date(datetime(2025, 3, 9, 0, 0)) == date(2025, 3, 9)
    assert cells.parse_date(45725) == date(2025, 3, 9)  # an Excel serial left unformatted
    assert cells.parse_month("2025/3") == "2025-03"
    assert cells.parse_month("2025年3月") == "2025-03"
    assert cells.parse_month(datetime(2025, 3, 1)) == "2025-03"
    assert cells.parse_decimal("12,000 km") == Decimal("12000")
    assert cells.parse_decimal("¥1,320.50") == Decimal("1320.50")
    assert cells.parse_decimal("1,480件") == Decimal("1480")
    assert cells.parse_bool("是") is True and cells.parse_bool("不可修复") is False
    assert cells.text(12.0) == "12" and cells.text(datetime(2025, 1, 2)) == "2025-01-02"
    for bad in ("2025-02-30", "next week", 10**9):
        with pytest.raises(ValueError):
            cells.parse_date(bad)
    for bad in ("NaN", "inf", True):
        with pytest.raises(ValueError):
            cells.parse_decimal(bad)


def test_text_length_and_control_characters():
    col = Column("name", "名称", TEXT, max_length=5)
    assert parse(col, "  abc ") == "abc"
    assert "At most 5" in refused(col, "abcdefg")
    assert "Control characters" in refused(col, "a\x00b")
    assert parse(Column("note", "备注"), "line 1\nline 2\tend") == "line 1\nline 2\tend"


def test_dates_and_months_in_the_future():
    day = Column("d", "日期", DATE, not_future=True)
    assert parse(day, "2026-06-15") == TODAY
    assert "future" in refused(day, "2026-06-16")
    assert "YYYY-MM-DD" in refused(day, "tomorrow")
    month = Column("m", "月份", MONTH, not_future=True)
    assert parse(month, "2026年6月") == "2026-06"
    assert "future" in refused(month, "2026-07")
    assert "YYYY-MM" in refused(month, "2026-13")


def test_numbers_are_bounded_and_finite():
    """Issue 9: `1e308` (or any absurd number) is a row error, never a 500."""
    km = Column("km", "里程", DECIMAL, max_value=Decimal("99999999.9"))
    assert parse(km, "12,000.5") == Decimal("12000.5")
    assert "Too large" in refused(km, 1e308)
    assert "Too large" in refused(km, "1e308")
    assert "Too large" in refused(km, "1e999999999999")
    assert "Not a number" in refused(km, float("nan"))
    assert "Not a number" in refused(km, "很多")
    plain = Column("x", "数", DECIMAL)  # no bounds given: the default bound still applies
    assert "Too large" in refused(plain, "1e13")
    money = Column("m", "金额", DECIMAL, min_value=0, places=2)
    assert parse(money, "1320.456") == Decimal("1320.46")
    assert "negative" in refused(money, -1)
    count = Column("n", "数量", INTEGER, min_value=1, max_value=100)
    assert parse(count, "12件") == 12 and parse(count, 12.0) == 12
    assert "whole number" in refused(count, 1.5)
    assert "at least 1" in refused(count, 0)
    assert "at most 100" in refused(count, 101)


def test_booleans_and_choices():
    flag = Column("b", "可否", BOOL)
    assert parse(flag, "是") is True and parse(flag, "N") is False
    assert "是" in refused(flag, "maybe")
    words = ChoiceWords(ImportMode, {ImportMode.VALID_ROWS: ["只导入有效行"]})
    mode = Column("mode", "方式", CHOICE, choices=words)
    assert parse(mode, "valid_rows") == "valid_rows"
    assert parse(mode, "Valid rows only") == "valid_rows"  # the English label
    assert parse(mode, "只导入有效行") == "valid_rows"
    assert "Unknown value" in refused(mode, "sometimes")


COLUMNS = (
    Column("customer", "客户编码", TEXT, True, ("客户代码", "customer code")),
    Column("day", "日期", DATE, True, ("date",)),
    Column("note", "备注"),
)


def test_the_header_is_found_below_a_title_by_its_aliases():
    rows = iter(
        [
            (1, ("2026年三包索赔汇总",)),
            (2, ()),
            (3, ("Customer Code", "日 期", "其他")),
            (4, ("C001", "2026-01-01")),
        ]
    )
    header, rest = find_header(rows, COLUMNS)
    assert header is not None and header.number == 3
    assert header.written == {"customer": "Customer Code", "day": "日 期", "note": "备注"}
    assert header.unknown == ["其他"] and not header.missing
    assert list(rest) == [(4, ("C001", "2026-01-01"))]


def test_a_header_without_a_required_column_or_with_one_twice():
    header, _rest = find_header(iter([(1, ("客户编码", "客户代码"))]), COLUMNS)
    assert header is not None
    assert [c.field for c in header.missing] == ["day"]
    assert header.twice == ["客户代码"]
