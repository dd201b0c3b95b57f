"""Bulk import of service records from XLSX or CSV with the Chinese column headers engineers
use (日期, 服务人员, 客户编码, 配套厂家, 零件号, 车辆, 缺陷, 故障模式, 处理结果; optional 数量,
里程). Every row is checked; a file with errors imports nothing unless the user asks for the
valid rows only, and the error report (row, column, message) can be downloaded as XLSX."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from serviceloop.core.audit import audit_create
from serviceloop.core.exports import xlsx_bytes
from serviceloop.core.models import User
from serviceloop.core.permissions import has_role, require, visible_customers
from serviceloop.core.roles import RoleCode
from serviceloop.core.signals import field_data_imported

from .models import (
    FailureMode,
    ImportBatch,
    ImportStatus,
    Outcome,
    Part,
    ServiceRecord,
    Source,
)
from .services._common import is_sales_side
from .services.records import build_record, may_record_service

MAX_ROWS = 10_000
MAX_BYTES = 10 * 1024 * 1024
# field -> (Chinese header, English alias, required column)
COLUMNS: dict[str, tuple[str, str, bool]] = {
    "service_date": ("日期", "date", True),
    "engineer": ("服务人员", "engineer", True),
    "customer": ("客户编码", "customer_code", True),
    "oem": ("配套厂家", "oem", True),
    "part": ("零件号", "part_number", True),
    "vehicle": ("车辆", "vehicle", True),
    "defect": ("缺陷", "defect", True),
    "failure_mode": ("故障模式", "failure_mode", True),
    "outcome": ("处理结果", "outcome", True),
    "quantity": ("数量", "quantity", False),
    "mileage_km": ("里程", "mileage_km", False),
}
FAILURE_ALIASES = {
    FailureMode.LEAK: ["漏油", "渗油", "漏液"],
    FailureMode.NOISE: ["异响", "噪音", "异音"],
    FailureMode.FRACTURE: ["断裂", "折断"],
    FailureMode.NO_DAMPING: ["阻尼失效", "失效", "无阻尼", "减振失效"],
    FailureMode.WEAR: ["磨损"],
    FailureMode.DEFORMATION: ["变形", "弯曲"],
    FailureMode.CORROSION: ["锈蚀", "生锈", "腐蚀"],
    FailureMode.LOOSE: ["松动", "脱落"],
    FailureMode.APPEARANCE: ["外观缺陷", "外观", "磕碰", "划伤"],
    FailureMode.OTHER: ["其他", "其它"],
}
OUTCOME_ALIASES = {
    Outcome.REPAIRED: ["已修复", "修复", "维修", "已维修", "现场修复"],
    Outcome.REPLACED: ["已更换", "更换", "换件", "换新"],
    Outcome.RETURNED: ["退回", "退修", "退换", "退货", "返厂"],
    Outcome.ADJUSTED: ["调整", "已调整", "指导", "指导使用"],
    Outcome.PENDING: ["待处理", "处理中", "未处理"],
    Outcome.NOT_OURS: ["非我司责任", "非我司质量问题", "非本公司产品", "用户责任", "使用不当"],
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S")


def _alias_map(choices: Any, aliases: dict[Any, list[str]]) -> dict[str, str]:
    """Code, English and Chinese label, and the usual synonyms -> code."""
    out: dict[str, str] = {}
    for value, label in choices.choices:
        out[value.lower()] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                out[str(label).lower()] = value
    for value, words in aliases.items():
        for w in words:
            out[w.lower()] = str(value)
    return out


@functools.cache
def value_maps() -> dict[str, dict[str, str]]:
    return {
        "failure_mode": _alias_map(FailureMode, FAILURE_ALIASES),
        "outcome": _alias_map(Outcome, OUTCOME_ALIASES),
    }


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)


def read_table(filename: str, content: bytes) -> list[list[Any]]:
    """The file's rows (first row: headers), from XLSX or CSV (UTF-8 or GB18030)."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise ValidationError({"file": _("This is not a readable XLSX file.")}) from None
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    if name.endswith((".csv", ".txt")):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError({"file": _("The CSV file is neither UTF-8 nor GB18030.")})
        return [list(r) for r in csv.reader(io.StringIO(text))]
    raise ValidationError({"file": _("Upload an .xlsx or .csv file.")})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _header_index(headers: list[Any]) -> tuple[dict[str, int], list[RowError]]:
    names = [_text(h) for h in headers]
    index: dict[str, int] = {}
    errors: list[RowError] = []
    for key, (zh, en, required) in COLUMNS.items():
        for i, name in enumerate(names):
            if name in (zh, en) or name.lower() == en:
                index[key] = i
                break
        else:
            if required:
                errors.append(RowError(1, zh, _("The column is missing.")))
    return index, errors


class _Lookups:
    """Everything the rows refer to, loaded once."""

    def __init__(self, actor: User, rows: list[list[Any]], index: dict[str, int]) -> None:
        def column(key: str) -> set[str]:
            i = index.get(key)
            return {_text(r[i]) for r in rows if i is not None and i < len(r)} - {""}

        people = column("engineer")
        users = User.objects.filter(is_active=True).filter(
            Q(username__in=people) | Q(display_name__in=people)
        )
        self.by_username = {u.username.lower(): u for u in users}
        self.by_name: dict[str, list[User]] = {}
        for u in users:
            if u.display_name:
                self.by_name.setdefault(u.display_name, []).append(u)
        self.customers = {
            c.code: c for c in visible_customers(actor).filter(code__in=column("customer"))
        }
        self.parts = {p.part_number: p for p in Part.objects.filter(part_number__in=column("part"))}


def _check_row(
    actor: User, number: int, raw: list[Any], index: dict[str, int], look: _Lookups
) -> ParsedRow:
    def cell(key: str) -> Any:
        i = index.get(key)
        return raw[i] if i is not None and i < len(raw) else None

    parsed = ParsedRow(number, {})
    err = parsed.errors
    v = parsed.values

    def fail(key: str, message: str) -> None:
        err.append(RowError(number, COLUMNS[key][0], message))

    day = _date(cell("service_date"))
    if not _text(cell("service_date")) and not isinstance(cell("service_date"), date):
        fail("service_date", _("The date is missing."))
    elif day is None:
        fail("service_date", _("Not a date (use YYYY-MM-DD)."))
    elif day > timezone.localdate():
        fail("service_date", _("The date lies in the future."))
    v["service_date"] = day

    who = _text(cell("engineer"))
    person = None
    if not who:
        fail("engineer", _("The service person is missing."))
    else:
        person = look.by_username.get(who.lower())
        if person is None:
            named = look.by_name.get(who, [])
            if len(named) > 1:
                fail("engineer", _("Several users are called %s; use the username.") % who)
            elif not named:
                fail("engineer", _("Unknown service person %s.") % who)
            else:
                person = named[0]
    if person is not None:
        if not may_record_service(person):
            fail("engineer", _("%s is neither a service engineer nor an agent.") % who)
        elif person.pk != actor.pk and not (
            is_sales_side(actor) or has_role(actor, RoleCode.ADMIN)
        ):
            fail("engineer", _("You can only import your own service records."))
    v["engineer"] = person

    code = _text(cell("customer"))
    v["customer"] = look.customers.get(code)
    if not code:
        fail("customer", _("The customer code is missing."))
    elif v["customer"] is None:
        fail("customer", _("Unknown customer code %s.") % code)

    pn = _text(cell("part"))
    v["part"] = look.parts.get(pn)
    if not pn:
        fail("part", _("The part number is missing."))
    elif v["part"] is None:
        fail("part", _("Unknown part number %s.") % pn)
    elif not v["part"].is_active:
        fail("part", _("Part %s is no longer active.") % pn)

    v["oem"] = _text(cell("oem"))[:200]
    v["vehicle"] = _text(cell("vehicle"))[:200]
    v["defect"] = _text(cell("defect"))
    if not v["defect"]:
        fail("defect", _("The defect is missing."))

    for key, mapping in value_maps().items():
        word = _text(cell(key))
        v[key] = mapping.get(word.lower())
        if not word:
            fail(key, _("This column is empty."))
        elif v[key] is None:
            fail(key, _("Unknown value %s.") % word)

    for key, default in (("quantity", 1), ("mileage_km", None)):
        word = _text(cell(key))
        v[key] = default
        if word:
            try:
                v[key] = int(word)
            except ValueError:
                fail(key, _("Not a whole number."))
                continue
            if key == "quantity" and v[key] <= 0:
                fail(key, _("The quantity must be greater than zero."))
            if key == "mileage_km" and v[key] < 0:
                fail(key, _("The mileage cannot be negative."))
    return parsed


def _key(v: dict[str, Any]) -> tuple:
    return (
        v["engineer"].pk,
        v["service_date"],
        v["customer"].pk,
        v["part"].pk,
        v["vehicle"],
        v["defect"],
    )


def _check_duplicates(rows: list[ParsedRow]) -> None:
    """A row already in the file, or already recorded, is refused (re-importing a file twice
    must not double the records)."""
    good = [r for r in rows if not r.errors]
    if not good:
        return
    days = [r.values["service_date"] for r in good]
    existing = {
        (e, d, c, p, veh, defect): number
        for e, d, c, p, veh, defect, number in ServiceRecord.objects.filter(
            engineer_id__in={r.values["engineer"].pk for r in good},
            service_date__gte=min(days),
            service_date__lte=max(days),
        ).values_list(
            "engineer_id", "service_date", "customer_id", "part_id", "vehicle", "defect", "number"
        )
    }
    seen: dict[tuple, int] = {}
    for r in good:
        key = _key(r.values)
        if key in existing:
            r.errors.append(
                RowError(r.row, COLUMNS["defect"][0], _("Already recorded as %s.") % existing[key])
            )
        elif key in seen:
            r.errors.append(RowError(r.row, COLUMNS["defect"][0], _("Same as row %d.") % seen[key]))
        else:
            seen[key] = r.row


def check_file(
    actor: User, filename: str, content: bytes
) -> tuple[list[ParsedRow], list[RowError]]:
    """Parse and check every row; nothing is written."""
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    table = read_table(filename, content)
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    index, header_errors = _header_index(table[0])
    if header_errors:
        return [], header_errors
    body = [(n, r) for n, r in enumerate(table[1:], start=2) if any(_text(c) for c in r)]
    if not body:
        raise ValidationError({"file": _("The file has no data rows.")})
    if len(body) > MAX_ROWS:
        raise ValidationError({"file": _("At most %d rows per file.") % MAX_ROWS})
    look = _Lookups(actor, [r for _n, r in body], index)
    rows = [_check_row(actor, n, r, index, look) for n, r in body]
    _check_duplicates(rows)
    return rows, []


@transaction.atomic
def service_records_import(
    *, actor: User, filename: str, content: bytes, valid_only: bool = False
) -> ImportBatch:
    """Import service records. With errors and not `valid_only`, no record is stored (the batch
    with its error report is kept so the report can be downloaded)."""
    require(actor, "record.import")
    rows, header_errors = check_file(actor, filename, content)
    errors = header_errors + [e for r in rows for e in r.errors]
    valid = [r for r in rows if not r.errors]
    store = not header_errors and (not errors or valid_only)
    batch = ImportBatch.objects.create(
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        filename=(filename or "upload")[:255],
        valid_only=valid_only,
        status=(
            ImportStatus.REJECTED
            if not store
            else ImportStatus.PARTIAL
            if errors
            else ImportStatus.IMPORTED
        ),
        total_rows=len(rows),
        imported_rows=len(valid) if store else 0,
        errors=[e.as_dict() for e in errors],
    )
    audit_create(actor=actor, obj=batch)
    if store and valid:
        for r in valid:
            build_record(actor=actor, source=Source.IMPORT, import_batch=batch, **r.values)
        count = len(valid)
        # R-5.4.3 (a): the early-warning engine analyses service records after bulk imports.
        transaction.on_commit(
            lambda: field_data_imported.send(
                sender=ServiceRecord, source="service_records", count=count
            )
        )
    return batch


def error_report(batch: ImportBatch) -> bytes:
    return xlsx_bytes(
        _("Import errors"),
        [_("Row"), _("Column"), _("Message")],
        ([e["row"], e["column"], e["message"]] for e in batch.errors),
    )


def template_bytes() -> bytes:
    headers = [zh for zh, _en, _req in COLUMNS.values()]
    example = [
        timezone.localdate().isoformat(),
        "eng1",
        "C001",
        "华北重型汽车集团",
        "SA-1001",
        "HN1090 冀A12345",
        "减振器漏油",
        "漏油",
        "已更换",
        1,
        8200,
    ]
    return xlsx_bytes(_("Service records"), headers, [example])
