"""The writes of the imports resource: upload (a job is queued), confirm, discard."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.audit import AuditAction, audit_create, audit_record
from serviceloop.core.models import ImportJob, ImportMode, ImportPhase, ImportStatus, User
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require

from . import jobs, rowfile
from .kinds import Kind, get_kind
from .limits import default_limits, too_large
from .reading import EXTENSIONS

NUMBER_PREFIX = "IMP"
S = ImportStatus


def kind_or_error(name: str) -> Kind:
    kind = get_kind(name or "")
    if kind is None:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    return kind


def _mode(mode: str | None) -> str:
    mode = mode or ImportMode.ALL_OR_NOTHING
    if mode not in ImportMode.values:
        raise ValidationError(
            {
                "mode": _("Choose %(a)s or %(b)s.")
                % {"a": ImportMode.values[0], "b": ImportMode.values[1]}
            }
        )
    return mode


def _check_upload(upload: Any, max_bytes: int) -> str:
    """Refuse what is plainly not an importable file; the SHA-256 of its content."""
    if isinstance(upload, str):  # the message of an upload cut off while streaming
        raise ValidationError({"file": upload})
    if upload is None or not hasattr(upload, "read"):
        raise ValidationError({"file": _("Choose a file.")})
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise ValidationError({"file": _("Upload an .xlsx or .csv file.")})
    size = getattr(upload, "size", None) or 0
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > max_bytes:
        raise ValidationError({"file": too_large(size, max_bytes).message})
    digest = hashlib.sha256()
    upload.seek(0)
    head = b""
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        head = head or chunk[:4]
        digest.update(chunk)
    upload.seek(0)
    if suffix != ".csv" and head != b"PK\x03\x04":
        raise ValidationError({"file": _("This is not a readable XLSX workbook.")})
    return digest.hexdigest()


def import_create(
    *,
    actor: User,
    kind: str,
    upload: Any,
    mode: str | None = None,
    dry_run: bool = False,
    enqueue: bool = True,
) -> ImportJob:
    """Keep the file and queue its check (and store) as a background job. Nothing is parsed
    here; the answer comes at once. `enqueue=False` when the caller runs it (`import_now`)."""
    found = kind_or_error(kind)
    require(actor, found.permission)
    mode = _mode(mode)
    sha256 = _check_upload(upload, default_limits().max_bytes)
    job = ImportJob(
        kind=found.name,
        mode=mode,
        dry_run=dry_run,
        original_name=PurePath(upload.name).name[:200],
        size=upload.size,
        sha256=sha256,
        created_by=actor,
        heartbeat_at=timezone.now(),
    )
    job.file.save(job.original_name, upload, save=False)  # outside the transaction: no lock held
    try:
        with transaction.atomic():
            job.number = next_number(NUMBER_PREFIX)
            job.save()
            audit_create(actor=actor, obj=job)
            if enqueue:
                jobs.enqueue(job)
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def import_now(
    *, actor: User, kind: str, upload: Any, mode: str | None = None, dry_run: bool = False
) -> ImportJob:
    """Upload and run the job here and now (the demo, commands, benchmarks): the same job a
    worker would run, without waiting for one."""
    job = import_create(
        actor=actor, kind=kind, upload=upload, mode=mode, dry_run=dry_run, enqueue=False
    )
    jobs.run(job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def import_confirm(*, actor: User, job: ImportJob, mode: str | None = None) -> ImportJob:
    """Store a checked import (its kept rows, not the file again) in the background. Under
    all_or_nothing a file with row errors stores nothing: the user must choose valid_rows."""
    kind = kind_or_error(job.kind)
    require(actor, kind.permission)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != S.CHECKED:
        raise ValidationError(
            {
                "status": _("This import is %(state)s; only a checked import can be confirmed.")
                % {"state": S(job.status).label}
            }
        )
    mode = _mode(mode or job.mode)
    if mode == ImportMode.ALL_OR_NOTHING and job.rows_failed:
        raise ValidationError({"mode": jobs.refusal_message(job.rows_failed)})
    before = {"status": job.status, "mode": job.mode}
    job.mode = mode
    job.status = S.QUEUED
    job.phase = ImportPhase.STORE
    job.progress = 0.0
    job.message = ""
    job.confirmed_by = actor
    job.heartbeat_at = timezone.now()
    job.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=job,
        before=before,
        after={"status": job.status, "mode": mode},
    )
    jobs.enqueue(job)
    return job


@transaction.atomic
def import_discard(*, actor: User, job: ImportJob) -> ImportJob:
    """Drop a checked import: nothing is stored (the file and the check stay on record)."""
    kind = kind_or_error(job.kind)
    require(actor, kind.permission)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != S.CHECKED:
        raise ValidationError(
            {
                "status": _("This import is %(state)s; only a checked import can be discarded.")
                % {"state": S(job.status).label}
            }
        )
    job.status = S.DISCARDED
    job.finished_at = timezone.now()
    job.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=job,
        before={"status": S.CHECKED},
        after={"status": S.DISCARDED},
    )
    pk = job.pk
    transaction.on_commit(lambda: rowfile.remove_all(pk))
    return job
