"""Bulk import of warranty claims from XLSX / CSV (R-5.6), in two steps:

1. `import_check` stores the uploaded file as a `WarrantyImport`, reads it, and checks and
   decides every row in memory (customers and agreements pre-loaded: no query per row).
   Nothing else is stored; the user sees the counts, the decisions and every error.
2. `import_confirm` stores the valid claims — all of them only when no row has an error, or
   just the valid ones when the user asks for "valid rows only". It checks the file again
   first (the archive may have changed since), then writes in batches: `bulk_create` of the
   claims, of their first `WarrantyDecisionRecord`, and of ONE audit entry per claim, all in
   one transaction, so an import is all there or not there at all.

Why one audit entry per imported claim rather than one per batch: every claim's own history
must say who created it, when and how (the import's number is the entry's reason) — an
auditor opening a claim should not have to know it came from a spreadsheet. The entries are
appended to the hash chain in bulk (`bulk.audit_create_many`), about a third of the storing
time (benchmarks/warranty_import.py); the batch itself gets its own entries (created, then
imported with the claim number range).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from serviceloop.core.audit import AuditAction, actor_label
from serviceloop.core.models import User
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require, visible_customers
from serviceloop.core.signals import field_data_imported
from serviceloop.customers.models import Customer, ServiceAgreement

from .. import importing
from ..bulk import (
    allocate_numbers,
    audit_create_many,
    audit_create_with_file,
    audit_update_with_file,
    file_snapshot,
)
from ..models import (
    IMPORT_TRANSITIONS,
    ImportStatus,
    WarrantyClaim,
    WarrantyDecisionRecord,
    WarrantyImport,
)
from . import deciding
from .claims import NUMBER_PREFIX

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000
CHUNK = 1000
KEPT_ERRORS = 100_000  # errors stored on the batch (the count is always exact)


def _check_upload(upload: Any) -> None:
    if upload is None or not hasattr(upload, "read"):
        raise ValidationError({"file": _("Choose a file.")})
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in (".xlsx", ".csv"):
        raise ValidationError({"file": _("Upload an .xlsx or .csv file.")})
    size = getattr(upload, "size", 0) or 0
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(MAX_IMPORT_BYTES)}
            }
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if ext == ".xlsx" and head != b"PK\x03\x04":
        raise ValidationError({"file": _("This is not a readable XLSX workbook.")})


def _lookups(actor: User | None) -> tuple[dict[str, int], dict[int, list[Any]]]:
    """Customer code -> id of the customers the actor may see, and their agreements."""
    qs = visible_customers(actor) if actor is not None else Customer.objects.all()
    codes = dict(qs.values_list("code", "id"))
    agreements: dict[int, list[Any]] = defaultdict(list)
    for row in ServiceAgreement.objects.filter(customer_id__in=codes.values()).values(
        "id", "customer_id", "reference", "valid_from", "valid_to", "warranty_months", "warranty_km"
    ):
        agreements[row["customer_id"]].append(row)
    return codes, agreements


def _existing_claims(rows: Sequence[importing.CheckedRow]) -> dict[tuple, str]:
    """Claims already stored for the same part (customer + serial) and failure date."""
    serials = sorted({r.details["serial_number"] for r in rows if r.details.get("serial_number")})
    found: dict[tuple, str] = {}
    for start in range(0, len(serials), 500):
        for cust, serial, failed, number in WarrantyClaim.objects.filter(
            serial_number__in=serials[start : start + 500]
        ).values_list("customer_id", "serial_number", "failure_date", "number"):
            found[(cust, serial, failed)] = number
    return found


def check_file(actor: User | None, stream: Any, name: str) -> importing.CheckResult:
    """Read and check a file against the archive as it is now (no writes)."""
    customers, agreements = _lookups(actor)
    try:
        stream.seek(0)
        result = importing.check_table(
            importing.read_table(stream, name), customers=customers, agreements=agreements
        )
    except importing.FileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if result.total_rows == 0 and not result.errors:
        raise ValidationError({"file": _("The file has no claims below its header row.")})
    if result.total_rows > MAX_IMPORT_ROWS:
        raise ValidationError(
            {"file": _("At most %(n)s rows per file; split the file.") % {"n": MAX_IMPORT_ROWS}}
        )
    existing = _existing_claims(result.rows)
    if existing:
        kept = []
        header = next(c.header for c in importing.COLUMNS if c.field == "serial_number")
        for row in result.rows:
            key = (row.customer_id, row.details.get("serial_number"), row.inputs.failure_date)
            number = existing.get(key)
            if number is None:
                kept.append(row)
                continue
            result.errors.append(
                importing.RowError(
                    row.row,
                    header,
                    str(key[1]),
                    _("This part already has a claim for a failure on the same day: %(number)s.")
                    % {"number": number},
                )
            )
        result.rows = kept
        result.errors.sort(key=lambda e: e.row)
    return result


def _record_result(batch: WarrantyImport, result: importing.CheckResult) -> None:
    batch.total_rows = result.total_rows
    batch.valid_rows = len(result.rows)
    batch.error_rows = result.error_rows
    batch.errors = [e.as_json() for e in result.errors[:KEPT_ERRORS]]
    batch.warnings = list(result.warnings)
    batch.decisions = result.decision_counts()


@transaction.atomic
def import_check(*, actor: User, upload: Any) -> WarrantyImport:
    """Store the file and check every row (parse, validate, decide); stores no claim."""
    require(actor, "warranty.import")
    _check_upload(upload)
    result = check_file(actor, upload, upload.name)
    batch = WarrantyImport(
        number=next_number("WI"),
        original_name=PurePath(upload.name).name[:200],
        created_by=actor,
    )
    _record_result(batch, result)
    upload.seek(0)
    batch.file.save(batch.original_name, upload, save=False)
    batch.save()
    audit_create_with_file(actor=actor, obj=batch)
    setattr(batch, "checked_result", result)  # noqa: B010  (reused by a confirm in this request)
    return batch


def import_confirm(
    *, actor: User, batch: WarrantyImport, valid_rows_only: bool = False
) -> WarrantyImport:
    """Store the checked claims (see the module docstring). A file with errors imports
    nothing unless `valid_rows_only`; the refusal keeps the fresh check on the batch."""
    require(actor, "warranty.import")
    result: importing.CheckResult | None = getattr(batch, "checked_result", None)
    with transaction.atomic():
        batch = WarrantyImport.objects.select_for_update().get(pk=batch.pk)
        _transition(batch, ImportStatus.IMPORTED)
        if result is None:  # a later request: the archive may have changed since the check
            with batch.file.open("rb") as stream:
                result = check_file(actor, stream, batch.original_name)
            _record_result(batch, result)
            batch.save()
    if result.errors and not valid_rows_only:
        raise ValidationError(
            {
                "file": _(
                    "%(n)s rows have errors, so nothing was imported. Correct the file, or "
                    "import the valid rows only."
                )
                % {"n": result.error_rows}
            }
        )
    if not result.rows:
        raise ValidationError({"file": _("The file has no valid rows to import.")})
    with transaction.atomic():
        batch = WarrantyImport.objects.select_for_update().get(pk=batch.pk)
        _transition(batch, ImportStatus.IMPORTED)
        before = file_snapshot(batch)
        now = timezone.now()
        numbers = store_rows(actor, batch, result.rows, now)
        batch.status = ImportStatus.IMPORTED
        batch.valid_rows_only = valid_rows_only
        batch.imported_count = len(numbers)
        batch.imported_at = now
        batch.first_number, batch.last_number = numbers[0], numbers[-1]
        batch.save()
        audit_update_with_file(
            actor=actor,
            obj=batch,
            before=before,
            action=AuditAction.TRANSITION,
            reason=f"{len(numbers)} claims {numbers[0]} … {numbers[-1]}",
        )
        transaction.on_commit(
            lambda: field_data_imported.send(
                sender=WarrantyImport, source="warranty_claims", count=len(numbers)
            )
        )
    return batch


def _transition(batch: WarrantyImport, to: str) -> None:
    if (batch.status, to) not in IMPORT_TRANSITIONS:
        raise ValidationError(
            {
                "status": _("This import is %(state)s; it cannot be changed any more.")
                % {"state": ImportStatus(batch.status).label}
            }
        )


def _chunks(rows: Sequence[importing.CheckedRow]) -> Iterator[Sequence[importing.CheckedRow]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def store_rows(
    actor: User | None,
    batch: WarrantyImport | None,
    rows: Sequence[importing.CheckedRow],
    now: datetime,
    system: str = "",
) -> list[str]:
    """Create the claims of checked rows in batches; returns their numbers. Runs inside the
    caller's transaction."""
    numbers = allocate_numbers(NUMBER_PREFIX, len(rows), now)
    label = actor_label(actor, system)
    reason = f"import {batch.number}" if batch is not None else "import"
    done = 0
    for part in _chunks(rows):
        claims: list[WarrantyClaim] = []
        for row in part:
            claim = WarrantyClaim(
                number=numbers[done + len(claims)],
                customer_id=row.customer_id,
                created_by=actor,
                created_at=now,
                import_batch=batch,
                **row.details,
            )
            claim.cost_total = sum(
                (row.details.get(f, Decimal("0")) for f in importing.COST_FIELDS),
                start=Decimal("0"),
            )
            deciding.apply_rule(claim, row.inputs, row.result, row.agreement, now)
            claim.status = deciding.status_for(claim.decision)
            claims.append(claim)
        WarrantyClaim.objects.bulk_create(claims)
        records = [
            deciding.rule_record(
                claim,
                seq=1,
                inputs=row.inputs,
                result=row.result,
                agreement=row.agreement,
                actor=actor,
                actor_label=label,
                now=now,
                note=reason,
            )
            for claim, row in zip(claims, part, strict=True)
        ]
        WarrantyDecisionRecord.objects.bulk_create(records, batch_size=CHUNK)
        audit_create_many(actor=actor, objs=claims, reason=reason, system=system, at=now)
        done += len(claims)
    return numbers


@transaction.atomic
def import_discard(*, actor: User, batch: WarrantyImport) -> WarrantyImport:
    """Drop a checked import without storing its claims (the file and check stay on record)."""
    require(actor, "warranty.import")
    batch = WarrantyImport.objects.select_for_update().get(pk=batch.pk)
    _transition(batch, ImportStatus.DISCARDED)
    before = file_snapshot(batch)
    batch.status = ImportStatus.DISCARDED
    batch.save()
    audit_update_with_file(actor=actor, obj=batch, before=before, action=AuditAction.TRANSITION)
    return batch


# --- files for people ------------------------------------------------------------------------


def error_report_xlsx(batch: WarrantyImport) -> bytes:
    """Every error of the check: row number, column, value, message (XLSX)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Errors")[:31])
    ws.append([_("Row"), _("Column"), _("Value"), _("Message")])
    for e in batch.errors:
        ws.append([e["row"], e["column"], e["value"], e["message"]])
    if batch.error_rows and len(batch.errors) < batch.error_rows:
        ws.append(["", "", "", _("Only the first %(n)s errors are listed.") % {"n": KEPT_ERRORS}])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_xlsx() -> bytes:
    """The import template: an empty sheet with the headers, an example, and the rules."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = importing.SHEET_NAME
    cols = importing.TEMPLATE_COLUMNS
    ws.append([c.header for c in cols])
    for i, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="B3261E" if col.required else "000000")
        ws.column_dimensions[cell.column_letter].width = max(12, len(col.header) * 2 + 4)
    ws.freeze_panes = "A2"
    example = wb.create_sheet("示例")
    example.append([c.header for c in cols])
    example.append([c.example for c in cols])
    second = {c.field: c.example for c in cols} | {
        "purchase_date": "",
        "findings": "改装;使用不当",
        "repairable": "否",
        "serial_number": "SA2041-250301-0002",
        "failure_mode": "活塞杆断裂",
    }
    example.append([second[c.field] for c in cols])
    guide = wb.create_sheet("说明")
    guide.append(["列", "必填", "格式 / 说明", "示例"])
    for col in cols:
        guide.append([col.header, "是" if col.required else "", col.help, col.example])
    guide.append([])
    guide.append(["检验结论代码", "中文", "English"])
    for code in deciding.FINDING_ORDER:
        zh, en = deciding.rules.REASON_LABELS[code]
        guide.append([code, zh, en])
    for sheet in (guide,):
        for row in sheet.iter_rows(min_row=1, max_row=1):
            for cell in row:
                cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 26
        sheet.column_dimensions["B"].width = 40
        sheet.column_dimensions["C"].width = 50
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv() -> bytes:
    header = ",".join(c.header for c in importing.TEMPLATE_COLUMNS)
    return ("\ufeff" + header + "\r\n").encode("utf-8")
