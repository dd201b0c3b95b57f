"""Reading claims from an XLSX or CSV file with Chinese headers and checking them row by row.

No database here: the caller passes the customers (code -> id) and their agreements, so the
check runs in memory over 100,000 rows in seconds. Each row is normalised exactly like a
claim entered in the form or the API (`deciding.make_inputs`) and decided by the same rule
(`deciding.run_rule`); every problem becomes a `RowError` (spreadsheet row number, column
header as written in the file, the value, a message), which the error report lists.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .domain import rules
from .models import WarrantyClaim
from .services import deciding

SHEET_NAME = "三包索赔"


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the template writes it
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("customer", "客户编码", True, ("客户代码", "customer", "customer code"), "C001"),
    Column("purchase_date", "购买日期", False, ("purchase date",), "2025-03-10", "YYYY-MM-DD"),
    Column("failure_date", "故障日期", True, ("failure date",), "2025-09-01", "YYYY-MM-DD"),
    Column(
        "mileage_km",
        "行驶里程(km)",
        False,
        ("行驶里程", "里程", "里程(km)", "mileage", "mileage (km)", "mileage_km"),
        "12000",
    ),
    Column(
        "findings",
        "检验结论",
        False,
        ("检验结果", "findings", "inspection findings"),
        "制造缺陷影响正常使用",
        "; 或 、 分隔",
    ),
    Column("repairable", "可否修复", False, ("能否修复", "repairable"), "是", "是 / 否 / 空"),
    Column("part_number", "零件号", False, ("零件编号", "part number"), "SA-2041"),
    Column("part_name", "零件名称", False, ("part name",), "前减振器"),
    Column("serial_number", "序列号", False, ("serial", "serial number"), "SA2041-250301-0001"),
    Column("lot", "批次号", False, ("批号", "lot"), "L2503-07"),
    Column("build_month", "生产月份", False, ("production month", "build month"), "2025-02"),
    Column("oem", "配套厂家", False, ("oem",), "长江汽车股份有限公司"),
    Column("vehicle", "车辆", False, ("vehicle", "vin / model"), ""),
    Column("vin", "车辆识别号(VIN)", False, ("vin", "车架号"), "LZZ1CCND5PA123456"),
    Column("vehicle_model", "车型", False, ("vehicle model",), "ZZ4257"),
    Column("failure_mode", "故障模式", False, ("failure mode",), "漏油"),
    Column("description", "故障描述", False, ("description",), "行驶中异响,拆检发现油封漏油"),
    Column("cost_parts", "配件费", False, ("parts cost", "cost_parts"), "320.00"),
    Column("cost_labour", "工时费", False, ("labour cost", "cost_labour"), "80.00"),
    Column("cost_travel", "差旅费", False, ("travel cost", "cost_travel"), "0"),
    Column("replacement_serial", "更换件序列号", False, ("replacement serial",), ""),
    Column("reported_on", "报修日期", False, ("reported on",), "2025-09-02", "YYYY-MM-DD"),
)
TEMPLATE_COLUMNS = tuple(c for c in COLUMNS if c.field != "vehicle")
TEXT_FIELDS = {
    "part_number",
    "part_name",
    "serial_number",
    "lot",
    "oem",
    "vin",
    "vehicle_model",
    "failure_mode",
    "description",
    "replacement_serial",
}


def _max_length(name: str) -> int:
    field = WarrantyClaim._meta.get_field(name)
    return getattr(field, "max_length", None) or 5000  # the description has no limit


MAX_LENGTH: dict[str, int] = {name: _max_length(name) for name in TEXT_FIELDS}
DATE_FIELDS = ("purchase_date", "failure_date", "reported_on")
COST_FIELDS = ("cost_parts", "cost_labour", "cost_travel")
MAX_COST = Decimal("9999999999.99")

_FULLWIDTH = str.maketrans("()（）：:", "()()::")


def _norm_header(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or "")).translate(_FULLWIDTH).lower()


HEADER_INDEX: dict[str, Column] = {}
for _col in COLUMNS:
    for _name in (_col.header, _col.field, *_col.aliases):
        HEADER_INDEX[_norm_header(_name)] = _col

# Finding codes, their labels in both languages, and short forms people write.
FINDING_WORDS: dict[str, str] = {}
for _code in rules.Finding:
    zh, en = rules.REASON_LABELS[_code]
    for _word in (_code.value, zh, en):
        FINDING_WORDS[_norm_header(_word)] = _code.value
for _word, _code in {
    "材料不合格": rules.Finding.MATERIAL_NONCONFORMITY,
    "材料不符": rules.Finding.MATERIAL_NONCONFORMITY,
    "材料缺陷": rules.Finding.MATERIAL_NONCONFORMITY,
    "制造缺陷": rules.Finding.MANUFACTURING_DEFECT,
    "制造质量问题": rules.Finding.MANUFACTURING_DEFECT,
    "安装不当": rules.Finding.IMPROPER_INSTALLATION,
    "未按说明书安装": rules.Finding.IMPROPER_INSTALLATION,
    "使用不当": rules.Finding.IMPROPER_USE,
    "改装": rules.Finding.MODIFICATION,
    "改装损坏": rules.Finding.MODIFICATION,
    "拆卸不当": rules.Finding.IMPROPER_DISASSEMBLY,
    "非本公司产品": rules.Finding.ORIGIN_UNPROVEN,
    "来源不明": rules.Finding.ORIGIN_UNPROVEN,
    "保管不善": rules.Finding.APPEARANCE_POOR_CARE,
    "外观缺陷": rules.Finding.APPEARANCE_POOR_CARE,
    "非原厂零件": rules.Finding.NON_ORIGINAL_PARTS,
    "非原厂件": rules.Finding.NON_ORIGINAL_PARTS,
}.items():
    FINDING_WORDS[_norm_header(_word)] = _code.value
FINDING_SPLIT = re.compile(r"[;；、,，/\n]+")
YES = {"是", "可", "能", "可以", "可修复", "能修复", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "不可", "不能", "不可以", "不可修复", "不能修复", "n", "no", "false", "0", "×", "✗"}
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
EXCEL_EPOCH = date(1899, 12, 30)


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


@dataclass(slots=True)
class CheckedRow:
    """A valid row: what the claim will hold and the rule's decision on it."""

    row: int
    customer_id: int
    inputs: deciding.Inputs
    details: dict[str, Any]
    result: rules.WarrantyDecision
    agreement: Any


@dataclass
class CheckResult:
    total_rows: int = 0
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def decision_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.rows:
            counts[r.result.decision.value] = counts.get(r.result.decision.value, 0) + 1
        return counts


class FileError(ValueError):
    """The file cannot be read at all (not an XLSX/CSV, no header …)."""


# --- reading ---------------------------------------------------------------------------------


def read_table(stream: IO[bytes], name: str) -> Iterator[tuple[Any, ...]]:
    """Rows of the file's first sheet (or the sheet named 三包索赔), header row first."""
    lower = (name or "").lower()
    if lower.endswith(".csv"):
        yield from _read_csv(stream)
    elif lower.endswith((".xlsx", ".xlsm")):
        yield from _read_xlsx(stream)
    else:
        raise FileError(_("Upload an .xlsx or .csv file."))


def _read_xlsx(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception:
        raise FileError(_("This is not a readable XLSX workbook.")) from None
    try:
        ws = wb[SHEET_NAME] if SHEET_NAME in wb.sheetnames else wb.worksheets[0]
        yield from ws.iter_rows(values_only=True)
    finally:
        wb.close()


def _read_csv(stream: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    raw = stream.read()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK by default
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError(_("The CSV file is neither UTF-8 nor GBK text."))
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for row in csv.reader(io.StringIO(text), dialect):
        yield tuple(row)


# --- cell values -----------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + timedelta(days=int(value))  # an Excel serial date left unformatted
    text = _text(value).split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_month(value: Any) -> str:
    if isinstance(value, date | datetime):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value)
    m = re.fullmatch(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(value)
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


def parse_number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = re.sub(r"(?i)[\s,，¥￥]|km|公里|元", "", _text(value))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_bool(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(value)


def parse_findings(value: Any) -> tuple[list[str], list[str]]:
    """(codes, unknown words) from "制造缺陷;改装" or "manufacturing_defect、modification"."""
    codes: list[str] = []
    unknown: list[str] = []
    if _blank(value):
        return codes, unknown
    for word in FINDING_SPLIT.split(_text(value)):
        word = word.strip()
        if not word:
            continue
        code = FINDING_WORDS.get(_norm_header(word))
        if code:
            codes.append(code)
        else:
            unknown.append(word)
    return codes, unknown


def split_vehicle(value: Any) -> tuple[str, str]:
    """ "LZZ1CCND5PA123456 / ZZ4257" -> (VIN, model); a lone VIN or a lone model works too."""
    vin, model = "", []
    for token in re.split(r"[\s/|]+", _text(value)):
        if not token:
            continue
        if not vin and VIN_RE.match(token.upper()):
            vin = token.upper()
        else:
            model.append(token)
    return vin, " ".join(model)


# --- checking --------------------------------------------------------------------------------


def map_header(cells: Iterable[Any]) -> tuple[dict[int, Column], dict[str, str], list[RowError]]:
    """Column index -> Column, field -> header text as written, and header errors (row 1)."""
    mapping: dict[int, Column] = {}
    written: dict[str, str] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        if _blank(cell):
            continue
        col = HEADER_INDEX.get(_norm_header(cell))
        if col is None:
            continue
        if col.field in written:
            errors.append(RowError(1, str(cell), str(cell), _("This column appears twice.")))
            continue
        mapping[index] = col
        written[col.field] = str(cell).strip()
    for col in COLUMNS:
        if col.required and col.field not in written:
            errors.append(
                RowError(
                    1,
                    col.header,
                    "",
                    _("The required column %(h)s is missing.") % {"h": col.header},
                )
            )
    return mapping, written, errors


def unknown_headers(cells: Iterable[Any]) -> list[str]:
    return [str(c).strip() for c in cells if not _blank(c) and _norm_header(c) not in HEADER_INDEX]


HEADER_SEARCH_ROWS = 10


def _find_header(
    rows: Iterator[tuple[Any, ...]],
) -> tuple[int, tuple[Any, ...] | None, Iterator[tuple[Any, ...]]]:
    """(row number, header, the rows below it). The header is the first of the top rows that
    names every required column — a sheet may carry a title such as "2026年三包索赔汇总" above
    it — else the first non-empty row (whose missing columns are then reported)."""
    seen: list[tuple[Any, ...]] = []
    required = {c.field for c in COLUMNS if c.required}
    for row in rows:
        seen.append(row)
        fields = {HEADER_INDEX[k].field for k in map(_norm_header, row) if k in HEADER_INDEX}
        if required <= fields:
            return len(seen), row, rows
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    for number, row in enumerate(seen, start=1):
        if not all(_blank(c) for c in row):
            return number, row, itertools.chain(seen[number:], rows)
    return 0, None, rows


def check_table(
    rows: Iterator[tuple[Any, ...]],
    *,
    customers: Mapping[str, int],
    agreements: Mapping[int, list[Any]],
) -> CheckResult:
    """Check every row; keep the valid ones with their decision, list every problem."""
    result = CheckResult()
    header_row, header, rows = _find_header(rows)
    if header is None:
        raise FileError(_("The file is empty."))
    if header_row > 1:
        result.warnings.append(
            _("The column headers were found in row %(row)s; the rows above were skipped.")
            % {"row": header_row}
        )
    mapping, written, header_errors = map_header(header)
    extra = unknown_headers(header)
    if extra:
        result.warnings.append(
            _("These columns were not recognised and are ignored: %(cols)s.")
            % {"cols": ", ".join(extra)}
        )
    if header_errors:
        result.errors.extend(header_errors)
        result.total_rows = sum(1 for row in rows if not all(_blank(c) for c in row))
        return result
    headers = {
        f: written.get(f, next(c.header for c in COLUMNS if c.field == f))
        for f in (c.field for c in COLUMNS)
    }
    seen: dict[tuple[int, str, date | None], int] = {}
    for number, row in enumerate(rows, start=header_row + 1):
        if all(_blank(c) for c in row):
            continue
        result.total_rows += 1
        values = {col.field: row[i] for i, col in mapping.items() if i < len(row)}
        checked, errors = _check_row(number, values, headers, customers, agreements)
        serial = checked.details.get("serial_number") if checked is not None else None
        if checked is not None and serial:
            key = (checked.customer_id, serial, checked.inputs.failure_date)
            if key in seen:
                message = _("Same part and failure date as row %(row)s.") % {"row": seen[key]}
                errors.append(RowError(number, headers["serial_number"], serial, message))
                checked = None
            else:
                seen[key] = number
        if errors:
            result.errors.extend(errors)
        elif checked is not None:
            result.rows.append(checked)
    return result


def _check_row(
    number: int,
    values: dict[str, Any],
    headers: dict[str, str],
    customers: Mapping[str, int],
    agreements: Mapping[int, list[Any]],
) -> tuple[CheckedRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        raw = values.get(name)
        errors.append(RowError(number, headers[name], "" if raw is None else _text(raw), message))

    customer_id = None
    code = values.get("customer")
    if _blank(code):
        fail("customer", _("The customer code is required."))
    else:
        customer_id = customers.get(_text(code))
        if customer_id is None:
            fail("customer", _("Unknown customer code."))

    dates: dict[str, date | None] = {}
    for name in DATE_FIELDS:
        raw = values.get(name)
        dates[name] = None
        if not _blank(raw):
            try:
                dates[name] = parse_date(raw)
            except ValueError:
                fail(name, _("Not a date; write it as YYYY-MM-DD."))
    mileage: Any = None
    if not _blank(values.get("mileage_km")):
        try:
            mileage = parse_number(values["mileage_km"])
        except ValueError:
            fail("mileage_km", _("The mileage must be a number of kilometres."))
    codes, unknown = parse_findings(values.get("findings"))
    if unknown:
        fail(
            "findings",
            _("Unknown finding %(words)s. Use the codes or the labels listed in the template.")
            % {"words": "、".join(unknown)},
        )
    repairable = None
    try:
        repairable = parse_bool(values.get("repairable"))
    except ValueError:
        fail("repairable", _("Write 是 (yes), 否 (no) or leave it empty."))

    details: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        raw = values.get(name)
        if _blank(raw):
            continue
        text = _text(raw)
        if len(text) > MAX_LENGTH[name]:
            fail(name, _("At most %(n)s characters.") % {"n": MAX_LENGTH[name]})
        details[name] = text
    if not _blank(values.get("vehicle")):
        vin, model = split_vehicle(values["vehicle"])
        if vin and not details.get("vin"):
            details["vin"] = vin
        if model and not details.get("vehicle_model"):
            details["vehicle_model"] = model[: MAX_LENGTH["vehicle_model"]]
    if not _blank(values.get("build_month")):
        try:
            details["build_month"] = parse_month(values["build_month"])
        except ValueError:
            fail("build_month", _("Not a month; write it as YYYY-MM."))
    for name in COST_FIELDS:
        raw = values.get(name)
        if _blank(raw):
            continue
        try:
            cost = parse_number(raw).quantize(Decimal("0.01"))
        except (ValueError, InvalidOperation):
            fail(name, _("Not an amount of money."))
            continue
        if cost < 0:
            fail(name, _("A cost cannot be negative."))
        elif cost > MAX_COST:
            fail(name, _("The amount is implausibly large."))
        details[name] = cost
    if dates["reported_on"] is not None:
        details["reported_on"] = dates["reported_on"]

    inputs, input_errors = deciding.make_inputs(
        purchase_date=dates["purchase_date"],
        failure_date=dates["failure_date"],
        mileage_km=mileage,
        findings=codes,
        repairable=repairable,
    )
    already = {e.column for e in errors}
    for name, message in input_errors.items():
        if headers[name] not in already:
            fail(name, message)
    month = details.get("build_month")
    if month and inputs.failure_date and month > inputs.failure_date.strftime("%Y-%m"):
        fail("build_month", _("The part cannot be produced after it failed."))
    if errors or customer_id is None:
        return None, errors
    try:
        decision, agreement = deciding.run_rule(inputs, agreements.get(customer_id, ()))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            fail(name if name in headers else "customer", " ".join(messages))
        return None, errors
    return CheckedRow(number, customer_id, inputs, details, decision, agreement), errors
