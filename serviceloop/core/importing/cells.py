"""Cell values as people write them in Chinese spreadsheets, read into Python values.

Each parser takes what the reader gives (str, int, float, bool, datetime or None) and
returns the value or raises ValueError; the engine turns that into a row error naming the
column. Numbers are finite and bounded (issue 9: `1e308` is a row error, never a 500).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from serviceloop.core.text_input import CONTROL_RE

EXCEL_EPOCH = date(1899, 12, 30)
LAST_EXCEL_SERIAL = 2_958_466  # 9999-12-31
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
MONTH_RE = re.compile(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?")
NUMBER_NOISE = re.compile(r"(?i)[\s,，¥￥]|km|公里|元|件|台|套|个|分")
# Control characters a text cell may not hold: the one rule of all text input.
CONTROL = CONTROL_RE
YES = {"是", "可", "能", "有", "可以", "可修复", "能修复", "y", "yes", "true", "1", "√", "✓", "对"}
NO = {
    "否",
    "不",
    "不可",
    "不能",
    "无",
    "不可以",
    "不可修复",
    "不能修复",
    "n",
    "no",
    "false",
    "0",
    "×",
    "✗",
}
_FULLWIDTH = str.maketrans("()（）：:", "()()::")
_SPACES = re.compile(r"[\s_]+")


def norm(text: Any) -> str:
    """A header or word as compared: no spaces or underscores, half-width brackets, lower."""
    return _SPACES.sub("", str(text or "")).translate(_FULLWIDTH).lower()


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    """A cell as text: 12.0 -> "12", a date-time at midnight -> its date."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if value is None:
        return ""
    return str(value).strip()


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < LAST_EXCEL_SERIAL:
            return EXCEL_EPOCH + timedelta(days=int(value))  # a serial date left unformatted
        raise ValueError(value)
    raw = text(value).split(" ")[0].split("T")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_month(value: Any) -> str:
    """ "YYYY-MM" from 2025-03, 2025/3, 2025年3月 or a date."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    m = MONTH_RE.fullmatch(text(value))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(value)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def parse_decimal(value: Any) -> Decimal:
    """A finite Decimal from 1320.5, "¥1,320.50", "12,000 km", "1,480件"."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(NUMBER_NOISE.sub("", text(value)))
        except InvalidOperation:
            raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(value)
