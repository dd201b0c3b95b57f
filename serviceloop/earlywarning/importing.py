"""Reading production volumes, purchase volumes and survey responses from XLSX or CSV files
with Chinese headers, and checking them row by row (R-5.4.3).

No database here: the caller passes the customer codes it may use. Every problem becomes a
:class:`RowError` naming the spreadsheet row (the header is row 1), the column header as
written in the file, the value and a message; the services store nothing from a file with
errors unless the user asks for its valid rows only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

EXCEL_EPOCH = date(1899, 12, 30)
MAX_QUANTITY = 1_000_000_000
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the template writes it
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    help: str = ""


PRODUCTION_COLUMNS = (
    Column("part_number", "零件号", True, ("零件编号", "图号", "part number"), "SA-2041"),
    Column("part_name", "零件名称", False, ("名称", "part name"), "前减振器"),
    Column(
        "build_month", "生产月份", True, ("生产年月", "月份", "build month"), "2025-03", "YYYY-MM"
    ),
    Column(
        "quantity",
        "数量",
        True,
        ("生产数量", "发货数量", "产量", "quantity", "units"),
        "1520",
        "整数,≥ 0",
    ),
    Column("notes", "备注", False, ("说明", "notes"), ""),
)
PURCHASE_COLUMNS = (
    Column("customer", "客户编码", True, ("客户代码", "customer", "customer code"), "C001"),
    Column("month", "月份", True, ("采购月份", "年月", "month"), "2025-03", "YYYY-MM"),
    Column("quantity", "数量", True, ("采购数量", "quantity"), "480", "整数,≥ 0"),
    Column("amount", "金额", False, ("采购金额", "金额(元)", "amount"), "57600.00", "元,≥ 0"),
)
SURVEY_COLUMNS = (
    Column(
        "kind",
        "调查类型",
        True,
        ("类型", "survey", "kind"),
        "客户满意度",
        "客户满意度 / 最终用户",
    ),
    Column(
        "customer",
        "客户编码",
        False,
        ("客户代码", "customer", "customer code"),
        "C001",
        "客户满意度调查必填",
    ),
    Column("date", "调查日期", True, ("日期", "date"), "2025-03-15", "YYYY-MM-DD"),
    Column("score", "分数", True, ("得分", "评分", "score"), "86", "0-100,或 1-5(见量表)"),
    Column("scale", "量表", False, ("满分", "scale"), "100", "100 或 5,空 = 100"),
    Column("respondent", "受访人", False, ("被调查人", "respondent"), "赵明"),
    Column("comments", "意见", False, ("意见建议", "备注", "comments"), ""),
)
COLUMNS = {
    "production_volumes": PRODUCTION_COLUMNS,
    "purchase_volumes": PURCHASE_COLUMNS,
    "survey_responses": SURVEY_COLUMNS,
}
SHEET_NAMES = {
    "production_volumes": "生产数量",
    "purchase_volumes": "客户采购量",
    "survey_responses": "调查问卷",
}
SURVEY_KIND_WORDS = {
    "customer_satisfaction": "customer_satisfaction",
    "customersatisfaction": "customer_satisfaction",
    "客户满意度": "customer_satisfaction",
    "顾客满意度": "customer_satisfaction",
    "满意度": "customer_satisfaction",
    "end_user": "end_user",
    "enduser": "end_user",
    "最终用户": "end_user",
    "终端用户": "end_user",
    "最终用户调查": "end_user",
}
SCALE_WORDS = {"100": 100, "百分制": 100, "5": 5, "5分制": 5, "五分制": 5}

_FULLWIDTH = str.maketrans("()（）：:", "()()::")


def norm(text: Any) -> str:
    return re.sub(r"[\s_]+", "", str(text or "")).translate(_FULLWIDTH).lower()


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class CheckResult:
    total_rows: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)  # cleaned values + "row"
    errors: list[RowError] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


class FileError(ValueError):
    """The file cannot be read at all (not XLSX/CSV, no header, no rows)."""


# --- reading ---------------------------------------------------------------------------------


def read_table(stream: IO[bytes], name: str, kind: str) -> list[tuple[Any, ...]]:
    lower = (name or "").lower()
    if lower.endswith(".csv"):
        return list(_read_csv(stream))
    if lower.endswith((".xlsx", ".xlsm")):
        return list(_read_xlsx(stream, SHEET_NAMES[kind]))
    raise FileError(_("Upload an .xlsx or .csv file."))


def _read_xlsx(stream: IO[bytes], sheet: str) -> Iterator[tuple[Any, ...]]:
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception:
        raise FileError(_("This is not a readable XLSX workbook.")) from None
    try:
        ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
        yield from ws.iter_rows(values_only=True)
    finally:
        wb.close()


def _read_csv(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    raw = stream.read()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_("The CSV file is neither UTF-8 nor GBK text."))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for row in csv.reader(io.StringIO(text), dialect):
        yield tuple(row)


# --- cells -----------------------------------------------------------------------------------


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


def parse_month(value: Any) -> str:
    if isinstance(value, date | datetime):
        return f"{value.year:04d}-{value.month:02d}"
    m = re.fullmatch(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?", text(value))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(value)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + timedelta(days=int(value))
    raw = text(value).split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        cleaned = re.sub(r"[\s,，¥￥]|元|件|台|套|分", "", text(value))
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


# --- checking --------------------------------------------------------------------------------


class _Row:
    """One data row being checked: cell access by field, errors named by the file's header."""

    def __init__(self, number: int, cells: dict[str, Any], headers: dict[str, str]):
        self.number = number
        self.cells = cells
        self.headers = headers
        self.errors: list[RowError] = []
        self.values: dict[str, Any] = {"row": number}

    def raw(self, field: str) -> Any:
        return self.cells.get(field)

    def fail(self, field: str, message: str) -> None:
        value = self.cells.get(field)
        self.errors.append(
            RowError(
                self.number, self.headers[field], "" if value is None else text(value), message
            )
        )

    def required(self, field: str) -> Any:
        value = self.cells.get(field)
        if blank(value):
            self.fail(field, _("This cell is required."))
            return None
        return value

    def month(self, field: str, today: date) -> None:
        value = self.required(field)
        if value is None:
            return
        try:
            month = parse_month(value)
        except ValueError:
            self.fail(field, _("Not a month; write it as YYYY-MM, e.g. 2025-03."))
            return
        if month > f"{today:%Y-%m}":
            self.fail(field, _("This month lies in the future."))
            return
        self.values[field] = month

    def quantity(self, field: str) -> None:
        value = self.required(field)
        if value is None:
            return
        try:
            number = parse_decimal(value)
        except ValueError:
            self.fail(field, _("Not a number."))
            return
        if number < 0:
            self.fail(field, _("Must not be negative."))
        elif number != number.to_integral_value():
            self.fail(field, _("Must be a whole number."))
        elif number > MAX_QUANTITY:
            self.fail(field, _("Too large."))
        else:
            self.values[field] = int(number)

    def amount(self, field: str) -> None:
        value = self.raw(field)
        if blank(value):
            self.values[field] = None
            return
        try:
            number = parse_decimal(value)
        except ValueError:
            self.fail(field, _("Not a number."))
            return
        if number < 0:
            self.fail(field, _("Must not be negative."))
        elif number > MAX_AMOUNT:
            self.fail(field, _("Too large."))
        else:
            self.values[field] = number.quantize(Decimal("0.01"))

    def short_text(self, field: str, limit: int, *, required: bool = False) -> None:
        value = self.required(field) if required else self.raw(field)
        if value is None:
            if not required:
                self.values[field] = ""
            return
        s = text(value)
        if len(s) > limit:
            self.fail(field, _("At most %(n)s characters.") % {"n": limit})
        else:
            self.values[field] = s

    def customer(self, field: str, customers: dict[str, int], *, required: bool) -> None:
        value = self.raw(field)
        if blank(value):
            if required:
                self.fail(field, _("This cell is required."))
            else:
                self.values[field] = None
            return
        pk = customers.get(text(value)) or customers.get(text(value).upper())
        if pk is None:
            self.fail(field, _("Unknown customer code."))
        else:
            self.values[field] = pk


def _header_map(header: tuple[Any, ...], columns: tuple[Column, ...]) -> dict[int, Column]:
    index: dict[str, Column] = {}
    for col in columns:
        for name in (col.header, col.field, *col.aliases):
            index[norm(name)] = col
    found: dict[int, Column] = {}
    for i, cell in enumerate(header):
        match = index.get(norm(cell))
        if match is not None and match not in found.values():
            found[i] = match
    return found


def check_rows(
    table: Iterable[tuple[Any, ...]],
    kind: str,
    *,
    customers: dict[str, int],
    today: date,
) -> CheckResult:
    """Check every row; raise :class:`FileError` for an empty file or no data rows."""
    columns = COLUMNS[kind]
    rows = list(table)
    while rows and all(blank(c) for c in rows[-1]):
        rows.pop()
    if not rows or all(blank(c) for c in rows[0]):
        raise FileError(_("The file is empty (no header row)."))
    header = rows[0]
    found = _header_map(header, columns)
    headers = {col.field: text(header[i]) for i, col in found.items()}
    result = CheckResult()
    missing = [c for c in columns if c.required and c not in found.values()]
    if missing:
        for col in missing:
            result.errors.append(RowError(1, col.header, "", _("This column is missing.")))
        result.total_rows = sum(1 for r in rows[1:] if not all(blank(c) for c in r))
        return result
    for col in columns:
        headers.setdefault(col.field, col.header)
    data = rows[1:]
    if not any(not all(blank(c) for c in r) for r in data):
        raise FileError(_("The file has no data rows below its header."))
    seen: dict[Any, int] = {}
    for offset, cells in enumerate(data):
        if all(blank(c) for c in cells):
            continue
        number = offset + 2
        result.total_rows += 1
        row = _Row(
            number, {col.field: cells[i] for i, col in found.items() if i < len(cells)}, headers
        )
        key = CHECKS[kind](row, customers, today)
        if key is not None and not row.errors:
            if key in seen:
                first = seen[key]
                row.fail(
                    KEY_FIELD[kind],
                    _("Same %(what)s as row %(row)s.") % {"what": KEY_LABEL[kind](), "row": first},
                )
            else:
                seen[key] = number
        if row.errors:
            result.errors.extend(row.errors)
        else:
            result.rows.append(row.values)
    return result


def _production(row: _Row, customers: dict[str, int], today: date) -> Any:
    row.short_text("part_number", 60, required=True)
    row.short_text("part_name", 200)
    row.month("build_month", today)
    row.quantity("quantity")
    row.short_text("notes", 300)
    return (row.values.get("part_number"), row.values.get("build_month"))


def _purchase(row: _Row, customers: dict[str, int], today: date) -> Any:
    row.customer("customer", customers, required=True)
    row.month("month", today)
    row.quantity("quantity")
    row.amount("amount")
    return (row.values.get("customer"), row.values.get("month"))


def _survey(row: _Row, customers: dict[str, int], today: date) -> Any:
    value = row.required("kind")
    kind = None
    if value is not None:
        kind = SURVEY_KIND_WORDS.get(norm(value))
        if kind is None:
            row.fail("kind", _("Write 客户满意度 (customer satisfaction) or 最终用户 (end user)."))
        else:
            row.values["kind"] = kind
    row.customer("customer", customers, required=kind == "customer_satisfaction")
    day = row.required("date")
    if day is not None:
        try:
            parsed = parse_date(day)
        except ValueError:
            row.fail("date", _("Not a date; write it as YYYY-MM-DD."))
        else:
            if parsed > today:
                row.fail("date", _("This date lies in the future."))
            else:
                row.values["date"] = parsed
    scale = 100
    raw_scale = row.raw("scale")
    if not blank(raw_scale):
        found = SCALE_WORDS.get(norm(text(raw_scale)))
        if found is None:
            row.fail("scale", _("Write 100 or 5."))
        else:
            scale = found
    row.values["scale"] = scale
    value = row.required("score")
    if value is not None:
        try:
            score = parse_decimal(value)
        except ValueError:
            row.fail("score", _("Not a number."))
        else:
            low, high = (Decimal(1), Decimal(5)) if scale == 5 else (Decimal(0), Decimal(100))
            if not low <= score <= high:
                row.fail(
                    "score",
                    _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high},
                )
            else:
                row.values["raw_score"] = score.quantize(Decimal("0.01"))
    row.short_text("respondent", 100)
    row.short_text("comments", 5000)
    return None


CHECKS = {
    "production_volumes": _production,
    "purchase_volumes": _purchase,
    "survey_responses": _survey,
}
KEY_FIELD = {
    "production_volumes": "build_month",
    "purchase_volumes": "month",
    "survey_responses": "date",
}
KEY_LABEL = {
    "production_volumes": lambda: _("part number and build month"),
    "purchase_volumes": lambda: _("customer and month"),
    "survey_responses": lambda: "",
}


def convert_score(raw: Decimal, scale: int) -> Decimal:
    """A 1-5 answer on the 0-100 scale: 1 -> 0, 3 -> 50, 5 -> 100."""
    if scale == 5:
        return ((raw - 1) * 25).quantize(Decimal("0.01"))
    return raw.quantize(Decimal("0.01"))
