"""API: `imports` (interface.md) — one resource for every bulk import.

POST imports/ (multipart: kind, file, mode, dry_run) answers 202 {id, status} at once; the
job checks the file in the background, then stores it, or stops at `checked` (dry_run, or
row errors under all_or_nothing) until POST imports/<id>/confirm. GET imports/<id> follows
it: status, rows_total / rows_done / rows_failed, progress and ETA, the first 100 errors.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from serviceloop.core.api_support import API_AUTH, LocalDateTime, user_of
from serviceloop.core.exports import XLSX_TYPE
from serviceloop.core.models import ImportStatus

from . import reports, selectors, services
from .kinds import get_kind, kinds_for
from .uploads import refused_upload

ERRORS_SHOWN = 100
router = Router(tags=["imports"], auth=API_AUTH)

MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "example": "warranty-claims"},
                        "file": {"type": "string", "format": "binary"},
                        "mode": {
                            "type": "string",
                            "enum": ["all_or_nothing", "valid_rows"],
                            "default": "all_or_nothing",
                        },
                        "dry_run": {"type": "boolean", "default": False},
                    },
                    "required": ["kind", "file"],
                }
            }
        },
    }
}


class ImportJobCreated(Schema):
    id: int
    number: str
    status: str


class ImportJobOut(Schema):
    id: int
    number: str
    kind: str
    mode: str
    dry_run: bool
    status: str
    phase: str
    original_name: str
    rows_total: int
    rows_valid: int
    rows_failed: int
    rows_done: int = Field(description="Rows stored so far (all of them once done).")
    rows_created: int
    rows_updated: int
    rows_skipped: int
    progress: float = Field(description="Of the current step (check or store), 0 to 1.")
    eta_seconds: int | None
    error_count: int
    errors: list[dict] = Field(description=f"The first {ERRORS_SHOWN} {{row, column, message}}.")
    warnings: list[str]
    summary: dict[str, Any]
    preview: list[dict]
    message: str
    created_at: LocalDateTime
    created_by: int | None = Field(None, alias="created_by_id")
    finished_at: LocalDateTime | None
    error_report_url: str
    results_url: str

    @staticmethod
    def resolve_errors(obj: Any) -> list[dict]:
        return list(obj.errors[:ERRORS_SHOWN])

    @staticmethod
    def resolve_eta_seconds(obj: Any) -> int | None:
        return eta_seconds(obj)

    @staticmethod
    def resolve_error_report_url(obj: Any) -> str:
        return reverse("api:import_error_report", args=[obj.pk])

    @staticmethod
    def resolve_results_url(obj: Any) -> str:
        kind = get_kind(obj.kind)
        if obj.status != ImportStatus.DONE or kind is None or kind.results_url is None:
            return ""
        return kind.results_url(obj)


def eta_seconds(job: Any) -> int | None:
    """Seconds left of the running step, from its progress so far."""
    if job.status != ImportStatus.RUNNING or not job.started_at or job.progress <= 0.01:
        return None
    spent = (timezone.now() - job.started_at).total_seconds()
    return max(0, round(spent * (1 - job.progress) / job.progress))


class ImportConfirmIn(Schema):
    mode: str | None = Field(None, description="all_or_nothing or valid_rows (default: as sent)")


class ImportColumnOut(Schema):
    field: str
    header: str
    type: str
    required: bool
    aliases: list[str]
    example: str
    help: str


class ImportKindOut(Schema):
    name: str
    label: str
    columns: list[ImportColumnOut]
    template_url: str


def _flag(value: Any) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


@router.get("/", response=list[ImportJobOut])
@paginate(LimitOffsetPagination)
def list_imports(request: HttpRequest, kind: str = "", status: str = ""):
    """The imports of the kinds the caller may import, newest first."""
    return selectors.job_list(user_of(request), kind=kind, status=status)


@router.post("/", response={202: ImportJobCreated}, openapi_extra=MULTIPART)
def create_import(request: HttpRequest):
    """Upload a file; answers 202 at once. The permission is the kind's import action."""
    job = services.import_create(
        actor=user_of(request),
        kind=request.POST.get("kind", ""),
        upload=request.FILES.get("file") or refused_upload(request) or None,
        mode=request.POST.get("mode") or None,
        dry_run=_flag(request.POST.get("dry_run")),
    )
    return Status(202, job)


@router.get("/kinds", response=list[ImportKindOut])
def list_kinds(request: HttpRequest):
    """What the caller may import, with each kind's columns."""
    return [
        {
            "name": k.name,
            "label": str(k.label),
            "columns": [
                {
                    "field": c.field,
                    "header": c.header,
                    "type": c.type,
                    "required": c.required,
                    "aliases": list(c.aliases),
                    "example": str(c.example),
                    "help": str(c.help),
                }
                for c in k.template_columns
            ],
            "template_url": reverse("api:import_template", args=[k.name]),
        }
        for k in kinds_for(user_of(request))
    ]


@router.get("/templates/{import_kind}", url_name="import_template")
def template(request: HttpRequest, import_kind: str, format: str = "xlsx"):
    """A kind's template: XLSX (headers, examples, a guide) or, with format=csv, the headers."""
    found = services.kind_or_error(import_kind)
    if not found.may_import(user_of(request)):
        raise HttpError(403, "You are not allowed to do this.")
    if format == "csv":
        response = HttpResponse(reports.template_csv(found), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{found.name}-template.csv"'
        return response
    response = HttpResponse(reports.template_xlsx(found), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{found.name}-template.xlsx"'
    return response


@router.get("/{int:import_id}", response=ImportJobOut)
def get_import(request: HttpRequest, import_id: int):
    return selectors.job_get(user_of(request), import_id)


@router.post("/{int:import_id}/confirm", response={202: ImportJobCreated})
def confirm_import(request: HttpRequest, import_id: int, data: ImportConfirmIn | None = None):
    """Store a checked import (the rows kept by the check; the file is not read again)."""
    user = user_of(request)
    job = selectors.job_get(user, import_id)
    return Status(
        202, services.import_confirm(actor=user, job=job, mode=data.mode if data else None)
    )


@router.post("/{int:import_id}/discard", response=ImportJobOut)
def discard_import(request: HttpRequest, import_id: int):
    user = user_of(request)
    return services.import_discard(actor=user, job=selectors.job_get(user, import_id))


@router.get("/{int:import_id}/error-report", url_name="import_error_report")
def error_report(request: HttpRequest, import_id: int):
    """Every kept error as XLSX: row, column, value, message."""
    job = selectors.job_get(user_of(request), import_id)
    response = HttpResponse(reports.error_report_xlsx(job), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{job.number}-errors.xlsx"'
    return response
