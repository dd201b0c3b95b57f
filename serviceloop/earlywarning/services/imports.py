"""Bulk import of production volumes, purchase volumes and survey responses (R-5.4.3).

In the UI it is two steps: `import_check` stores the file as a `DataImport` and checks every
row (nothing else is stored), the user sees the errors (and can download them as XLSX), then
`import_confirm` stores the rows - all of them only when no row has an error, or the valid
ones when the user asks for "valid rows only" - or `import_discard` drops the file. The API
does both in one step (`import_upload`): a file with errors is refused whole (422 naming
each row and column) and nothing at all is stored.

Existing records are updated in place (the same part and build month, the same customer
and month); a survey response already on record is not added twice. Every stored record
gets its audit entry; on commit `core.signals.field_data_imported` announces the import,
which schedules an analysis run.
"""

from __future__ import annotations

from collections import Counter
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

from serviceloop.core.audit import AuditAction, snapshot
from serviceloop.core.models import User
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require, visible_customers
from serviceloop.core.signals import field_data_imported

from .. import importing
from ..models import (
    IMPORT_TRANSITIONS,
    DataImport,
    ImportKind,
    ImportStatus,
    ProductionVolume,
    PurchaseVolume,
    SurveyResponse,
)
from .common import audit_file_record, audit_many, file_snapshot, transition

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000
KEPT_ERRORS = 20_000
API_ERRORS = 200  # errors listed in a 422 answer


class ImportRejected(ValidationError):
    """A file with errors, refused whole; ``row_errors`` name each row and column."""

    def __init__(self, errors: list[importing.RowError], error_rows: int):
        self.row_errors = errors
        self.error_rows = error_rows
        head = _("%(n)s rows have errors, so nothing was imported.") % {"n": error_rows}
        super().__init__({"file": [head, *[str(e) for e in errors[:API_ERRORS]]]})


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


def _check_kind(kind: str) -> None:
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Choose what the file holds.")})


def check_file(actor: User | None, kind: str, stream: Any, name: str) -> importing.CheckResult:
    """Read and check a file (no writes)."""
    qs = visible_customers(actor) if actor is not None else None
    from serviceloop.customers.models import Customer

    customers = dict((qs if qs is not None else Customer.objects.all()).values_list("code", "id"))
    try:
        stream.seek(0)
        table = importing.read_table(stream, name, kind)
        result = importing.check_rows(table, kind, customers=customers, today=timezone.localdate())
    except importing.FileError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if result.total_rows > MAX_IMPORT_ROWS:
        raise ValidationError(
            {"file": _("At most %(n)s rows per file; split the file.") % {"n": MAX_IMPORT_ROWS}}
        )
    return result


def _record_check(batch: DataImport, result: importing.CheckResult) -> None:
    batch.total_rows = result.total_rows
    batch.valid_rows = len(result.rows)
    batch.error_rows = result.error_rows
    batch.errors = [e.as_json() for e in result.errors[:KEPT_ERRORS]]


def _announce(kind: str, count: int) -> None:
    transaction.on_commit(
        lambda: field_data_imported.send(sender=DataImport, source=kind, count=count)
    )


@transaction.atomic
def import_check(*, actor: User, kind: str, upload: Any) -> DataImport:
    """Store the file and check every row; stores no data (step 1 of the UI import)."""
    require(actor, "ew.data")
    _check_kind(kind)
    _check_upload(upload)
    result = check_file(actor, kind, upload, upload.name)
    batch = DataImport(
        number=next_number("EWI"),
        kind=kind,
        original_name=PurePath(upload.name).name[:200],
        created_by=actor,
    )
    _record_check(batch, result)
    upload.seek(0)
    batch.file.save(batch.original_name, upload, save=False)
    batch.save()
    audit_file_record(actor=actor, obj=batch, action=AuditAction.CREATE)
    return batch


def import_confirm(*, actor: User, batch: DataImport, valid_rows_only: bool = False) -> DataImport:
    """Store the checked rows (step 2). Refused when rows have errors, unless
    ``valid_rows_only``; the file is checked again first (the data may have changed)."""
    require(actor, "ew.data")
    with transaction.atomic():
        batch = DataImport.objects.select_for_update().get(pk=batch.pk)
        transition(batch, IMPORT_TRANSITIONS, ImportStatus.IMPORTED, ImportStatus)
        with batch.file.open("rb") as stream:
            result = check_file(actor, batch.kind, stream, batch.original_name)
        before = file_snapshot(batch)
        _record_check(batch, result)
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
        _store(actor, batch, result, valid_rows_only)
        audit_file_record(actor=actor, obj=batch, action=AuditAction.TRANSITION, before=before)
    return batch


@transaction.atomic
def import_discard(*, actor: User, batch: DataImport) -> DataImport:
    require(actor, "ew.data")
    batch = DataImport.objects.select_for_update().get(pk=batch.pk)
    before = file_snapshot(batch)
    transition(batch, IMPORT_TRANSITIONS, ImportStatus.DISCARDED, ImportStatus)
    batch.save()
    audit_file_record(actor=actor, obj=batch, action=AuditAction.TRANSITION, before=before)
    return batch


@transaction.atomic
def import_upload(
    *, actor: User, kind: str, upload: Any, valid_rows_only: bool = False
) -> DataImport:
    """Check and store a file in one step (the API). A file with errors is refused whole
    (:class:`ImportRejected`) unless ``valid_rows_only``; nothing is stored then."""
    require(actor, "ew.data")
    _check_kind(kind)
    _check_upload(upload)
    result = check_file(actor, kind, upload, upload.name)
    if result.errors and not valid_rows_only:
        raise ImportRejected(result.errors, result.error_rows)
    if not result.rows:
        raise ValidationError({"file": _("The file has no valid rows to import.")})
    batch = DataImport(
        number=next_number("EWI"),
        kind=kind,
        original_name=PurePath(upload.name).name[:200],
        created_by=actor,
    )
    _record_check(batch, result)
    upload.seek(0)
    batch.file.save(batch.original_name, upload, save=False)
    batch.save()
    audit_file_record(actor=actor, obj=batch, action=AuditAction.CREATE)
    before = file_snapshot(batch)
    batch.status = ImportStatus.IMPORTED
    _store(actor, batch, result, valid_rows_only)
    audit_file_record(actor=actor, obj=batch, action=AuditAction.TRANSITION, before=before)
    return batch


def _store(
    actor: User, batch: DataImport, result: importing.CheckResult, valid_rows_only: bool
) -> None:
    store = {
        ImportKind.PRODUCTION: _store_production,
        ImportKind.PURCHASES: _store_purchases,
        ImportKind.SURVEYS: _store_surveys,
    }[ImportKind(batch.kind)]
    now = timezone.now()
    created, updated, unchanged = store(actor, batch, result.rows, now)
    audit_many(
        actor=actor, created=created, updated=updated, reason=f"import {batch.number}", at=now
    )
    batch.status = ImportStatus.IMPORTED
    batch.valid_rows_only = valid_rows_only
    batch.created_count, batch.updated_count = len(created), len(updated)
    batch.unchanged_count = unchanged
    batch.imported_at, batch.imported_by = now, actor
    batch.warnings = (
        [_("%(n)s rows were already on record and were left as they are.") % {"n": unchanged}]
        if unchanged
        else []
    )
    batch.save()
    if created or updated:
        _announce(batch.kind, len(created) + len(updated))


def _store_production(actor, batch, rows, now):
    PV = ProductionVolume
    parts = {r["part_number"] for r in rows}
    existing = {(v.part_number, v.build_month): v for v in PV.objects.filter(part_number__in=parts)}
    new, changed, unchanged = [], [], 0
    for r in rows:
        current = existing.get((r["part_number"], r["build_month"]))
        if current is None:
            new.append(
                PV(
                    part_number=r["part_number"],
                    part_name=r["part_name"],
                    build_month=r["build_month"],
                    quantity=r["quantity"],
                    notes=r["notes"],
                    import_batch=batch,
                    created_by=actor,
                    created_at=now,
                )
            )
            continue
        values = {"quantity": r["quantity"]}
        if r["part_name"]:
            values["part_name"] = r["part_name"]
        if r["notes"]:
            values["notes"] = r["notes"]
        if all(getattr(current, k) == v for k, v in values.items()):
            unchanged += 1
            continue
        before = snapshot(current)
        for k, v in values.items():
            setattr(current, k, v)
        current.import_batch, current.updated_at = batch, now
        changed.append((current, before))
    PV.objects.bulk_create(new, batch_size=500)
    if changed:
        PV.objects.bulk_update(
            [c for c, _ in changed],
            ["quantity", "part_name", "notes", "import_batch", "updated_at"],
            batch_size=500,
        )
    return new, changed, unchanged


def _store_purchases(actor, batch, rows, now):
    customers = {r["customer"] for r in rows}
    existing = {
        (v.customer_id, v.month): v
        for v in PurchaseVolume.objects.filter(customer_id__in=customers)
    }
    new, changed, unchanged = [], [], 0
    for r in rows:
        current = existing.get((r["customer"], r["month"]))
        if current is None:
            new.append(
                PurchaseVolume(
                    customer_id=r["customer"],
                    month=r["month"],
                    quantity=r["quantity"],
                    amount=r["amount"],
                    import_batch=batch,
                    created_by=actor,
                    created_at=now,
                )
            )
            continue
        amount = r["amount"] if r["amount"] is not None else current.amount
        if current.quantity == r["quantity"] and current.amount == amount:
            unchanged += 1
            continue
        before = snapshot(current)
        current.quantity, current.amount, current.import_batch = r["quantity"], amount, batch
        current.updated_at = now
        changed.append((current, before))
    PurchaseVolume.objects.bulk_create(new, batch_size=500)
    if changed:
        PurchaseVolume.objects.bulk_update(
            [c for c, _ in changed], ["quantity", "amount", "import_batch", "updated_at"]
        )
    return new, changed, unchanged


def _survey_key(kind, customer, day, raw, scale, respondent, comments) -> tuple:
    return (kind, customer, day, f"{raw:.2f}", int(scale), respondent, comments)


def _store_surveys(actor, batch, rows, now):
    days = [r["date"] for r in rows]
    on_record = Counter(
        _survey_key(*values)
        for values in SurveyResponse.objects.filter(
            date__gte=min(days), date__lte=max(days)
        ).values_list("kind", "customer_id", "date", "raw_score", "scale", "respondent", "comments")
    )
    new, unchanged = [], 0
    for r in rows:
        key = _survey_key(
            r["kind"],
            r["customer"],
            r["date"],
            r["raw_score"],
            r["scale"],
            r["respondent"],
            r["comments"],
        )
        if on_record[key] > 0:
            on_record[key] -= 1
            unchanged += 1
            continue
        new.append(
            SurveyResponse(
                kind=r["kind"],
                customer_id=r["customer"],
                date=r["date"],
                raw_score=r["raw_score"],
                scale=r["scale"],
                score=importing.convert_score(r["raw_score"], r["scale"]),
                respondent=r["respondent"],
                comments=r["comments"],
                import_batch=batch,
                created_by=actor,
                created_at=now,
            )
        )
    SurveyResponse.objects.bulk_create(new, batch_size=500)
    return new, [], unchanged


# --- files for people ------------------------------------------------------------------------


def error_report_xlsx(batch: DataImport) -> bytes:
    """Every error of the check: row, column, value, message (XLSX)."""
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


def template_xlsx(kind: str) -> bytes:
    """The import template of a kind: the headers (required ones in red), an example row
    and a sheet explaining each column."""
    _check_kind(kind)
    columns = importing.COLUMNS[kind]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = importing.SHEET_NAMES[kind]
    ws.append([c.header for c in columns])
    ws.append([c.example for c in columns])
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="B3261E" if col.required else "000000")
        ws.column_dimensions[cell.column_letter].width = max(12, len(col.header) * 2 + 6)
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("说明")
    guide.append(["列", "必填", "格式 / 说明", "示例"])
    for col in columns:
        guide.append([col.header, "是" if col.required else "", col.help, col.example])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
