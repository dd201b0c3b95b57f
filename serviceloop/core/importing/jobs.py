"""Running an import job in the worker: claim it, check the file, store the kept rows, and
take back the jobs of workers that died (the reaper).

The lease: a worker claims a queued job by writing a fresh token (one UPDATE … WHERE
status='queued', so two workers never both win) and renews `heartbeat_at` every few
seconds while it works. Every progress write and every store transaction checks the token;
a worker that finds it replaced has lost the job and stops. The reaper (a periodic job)
queues again every running job whose heartbeat is older than the lease.

Idempotent re-runs: the check starts over into a new checked-rows file; the store commits
each chunk together with the job's checkpoint (`rows_done`) and resumes after it; a file
whose content was already imported (same kind, same SHA-256) stores nothing.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core import leases
from serviceloop.core.leases import LeaseLost
from serviceloop.core.models import ImportJob, ImportMode, ImportPhase, ImportStatus
from serviceloop.core.signals import field_data_imported

from . import rowfile
from .checking import Checker, CheckResult
from .kinds import Kind, StoreContext, get_kind
from .limits import FileRefused, default_limits
from .reading import open_table

log = logging.getLogger(__name__)
S = ImportStatus
SYSTEM = "imports"
MAX_ATTEMPTS = 3


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "SERVICELOOP_IMPORT_LEASE_SECONDS", 120))


class Lease(leases.Lease):
    model = ImportJob
    running = S.RUNNING


def enqueue(job: ImportJob) -> None:
    """Run the job in the worker once the current transaction commits."""
    from .tasks import run_import_task

    pk = job.pk
    transaction.on_commit(lambda: run_import_task.enqueue(pk))


@contextmanager
def few_collections() -> Iterator[None]:
    """An import allocates millions of short-lived containers and keeps few; at its default
    thresholds the cyclic garbage collector spends a fifth of the time finding nothing
    (benchmarks/warranty_import.py). Objects alive before the run are frozen out of its
    scans and young collections are rarer while it runs."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def run(pk: int) -> str:
    """Claim a queued job and carry it as far as it goes; returns its status."""
    token = leases.claim(ImportJob, pk, queued=S.QUEUED, running=S.RUNNING)
    if not token:
        return "not queued"
    job = ImportJob.objects.select_related("created_by", "confirmed_by").get(pk=pk)
    kind = get_kind(job.kind)
    lease_ = Lease(pk, token)
    with few_collections():
        return _run(job, kind, token, lease_)


def _run(job: ImportJob, kind: Kind | None, token: str, lease_: Lease) -> str:
    pk = job.pk
    try:
        if kind is None:
            _finish(job, token, S.FAILED, _("This kind of import is no longer available."))
        elif job.phase == ImportPhase.CHECK:
            _check(job, kind, token, lease_)
            job.refresh_from_db()
        if kind is not None and job.status == S.RUNNING and job.phase == ImportPhase.STORE:
            _store(job, kind, token)
    except LeaseLost:
        log.warning("import %s: lease lost, another worker has it", job.number)
        return "lease lost"
    except Exception:
        log.exception("import %s failed", job.number)
        job.refresh_from_db()
        if job.lease_token == token and job.status == S.RUNNING:
            _finish(
                job,
                token,
                S.FAILED,
                _("The import stopped on an unexpected error after storing %(n)s rows.")
                % {"n": job.rows_done},
            )
        raise
    return ImportJob.objects.filter(pk=pk).values_list("status", flat=True).get()


# --- check -----------------------------------------------------------------------------------


def _check(job: ImportJob, kind: Kind, token: str, lease_: Lease) -> None:
    earlier = (
        ImportJob.objects.filter(kind=job.kind, sha256=job.sha256, status=S.DONE, rows_done__gt=0)
        .exclude(pk=job.pk)
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        _finish(
            job,
            token,
            S.DONE,
            _("This file was already imported as %(number)s; nothing was stored again.")
            % {"number": earlier.number},
        )
        return
    lookups = kind.prepare(job.created_by)
    name = rowfile.name_for(job.pk, token)
    writer = rowfile.Writer(rowfile.folder() / name)

    def progress(result: CheckResult, fraction: float) -> None:
        lease_.beat(
            rows_total=result.rows_total,
            rows_valid=result.rows_valid,
            rows_failed=result.rows_failed,
            progress=fraction,
        )

    limits = default_limits().with_rows(kind.max_rows)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with job.file.storage.open(str(job.file.name), "rb") as stream:
            table = open_table(stream, job.original_name, limits, kind.sheet)
            result = Checker(kind, lookups, writer.write, progress).run(table)
    except FileRefused as exc:
        writer.close()
        rowfile.remove_all(job.pk)
        job.errors = [{"row": exc.row, "column": "", "message": exc.message, "value": ""}]
        job.error_count = 1
        _finish(job, token, S.FAILED, exc.message, fields=["errors", "error_count"])
        return
    finally:
        writer.close()
    log.info(
        "import %s: %s rows checked in %.1f s, %.1f s CPU (%s valid)",
        job.number,
        result.rows_total,
        time.perf_counter() - started,
        time.process_time() - cpu,
        result.rows_valid,
    )
    _record_check(job, result, name)
    if result.file_error:
        _finish(
            job, token, S.FAILED, _("The file's header row is not usable; nothing was checked.")
        )
    elif result.rows_valid == 0:
        _finish(job, token, S.FAILED, _("The file has no valid rows to import."))
    elif job.dry_run or (job.mode == ImportMode.ALL_OR_NOTHING and result.rows_failed):
        message = ""
        if result.rows_failed and job.mode == ImportMode.ALL_OR_NOTHING:
            message = refusal_message(result.rows_failed)
        _finish(job, token, S.CHECKED, message)
    else:
        _save_if_leased(job, token, phase=ImportPhase.STORE, progress=0.0)


def refusal_message(rows_failed: int) -> str:
    return _(
        "%(n)s rows have errors, so nothing was imported. Correct the file, or import the "
        "valid rows only."
    ) % {"n": rows_failed}


def _record_check(job: ImportJob, result: CheckResult, rows_file: str) -> None:
    job.rows_total, job.rows_valid = result.rows_total, result.rows_valid
    job.rows_failed, job.error_count = result.rows_failed, result.error_count
    job.errors = [e.as_dict() for e in result.errors]
    job.warnings = result.warnings
    job.summary = dict(sorted(result.summary.items()))
    job.preview = result.preview
    job.rows_file = rows_file
    job.checked_at = timezone.now()
    _save_if_leased(
        job,
        job.lease_token,
        rows_total=job.rows_total,
        rows_valid=job.rows_valid,
        rows_failed=job.rows_failed,
        error_count=job.error_count,
        errors=job.errors,
        warnings=job.warnings,
        summary=job.summary,
        preview=job.preview,
        rows_file=rows_file,
        checked_at=job.checked_at,
        progress=1.0,
    )
    rowfile.remove_all(job.pk, keep=rows_file)


def _save_if_leased(job: ImportJob, token: str, **fields: Any) -> None:
    updated = ImportJob.objects.filter(pk=job.pk, lease_token=token, status=S.RUNNING).update(
        heartbeat_at=timezone.now(), **fields
    )
    if not updated:
        raise LeaseLost(job.pk)
    for name, value in fields.items():
        setattr(job, name, value)


# --- store -----------------------------------------------------------------------------------


def _store(job: ImportJob, kind: Kind, token: str) -> None:
    actor = job.confirmed_by or job.created_by
    ctx = StoreContext(actor=actor, job=job, now=timezone.now(), lookups=kind.prepare(actor))
    total = max(job.rows_valid, 1)
    path = rowfile.folder() / job.rows_file
    started, cpu = time.perf_counter(), time.process_time()
    for chunk in rowfile.read(path, skip=job.rows_done, chunk=kind.store_chunk):
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.lease_token != token or locked.status != S.RUNNING:
                raise LeaseLost(job.pk)
            ctx.job = locked
            stored = kind.store(ctx, chunk)
            locked.rows_done += len(chunk)
            locked.rows_created += stored.created
            locked.rows_updated += stored.updated
            locked.rows_skipped += stored.skipped
            if stored.notes:
                locked.summary = {**locked.summary, **stored.notes}
            locked.progress = locked.rows_done / total
            locked.heartbeat_at = timezone.now()
            locked.save(
                update_fields=[
                    "rows_done",
                    "rows_created",
                    "rows_updated",
                    "rows_skipped",
                    "summary",
                    "progress",
                    "heartbeat_at",
                ]
            )
        job = locked
    log.info(
        "import %s: %s rows stored in %.1f s, %.1f s CPU",
        job.number,
        job.rows_done,
        time.perf_counter() - started,
        time.process_time() - cpu,
    )
    message = ""
    if job.rows_skipped:
        message = _("%(n)s rows were already on record and were left as they are.") % {
            "n": job.rows_skipped
        }
    _finish(job, token, S.DONE, message)
    changed = job.rows_created + job.rows_updated
    if kind.data_source and changed:
        transaction.on_commit(
            lambda: field_data_imported.send(
                sender=ImportJob, source=kind.data_source, count=changed
            )
        )


# --- the end of a run ------------------------------------------------------------------------


def _finish(
    job: ImportJob,
    token: str,
    status: str,
    message: str,
    *,
    fields: list[str] | None = None,
) -> None:
    """Move the job to checked, done or failed (the worker's last word), audited, and tell
    the people who asked for it."""

    def apply(locked: ImportJob, now: Any) -> None:
        for name in fields or ():
            setattr(locked, name, getattr(job, name))
        if status != S.CHECKED:
            locked.finished_at = now
            locked.progress = 1.0

    leases.settle(
        ImportJob,
        job.pk,
        token,
        status=status,
        message=message,
        apply=apply,
        reason=lambda locked: f"rows {locked.rows_total}, errors {locked.rows_failed}",
        system=SYSTEM,
        tell=_tell,
    )
    if status != S.CHECKED:
        rowfile.remove_all(job.pk)
    job.status, job.message = status, message


def _tell(job: ImportJob) -> None:
    from serviceloop.core.notifications import Message, notify

    people = [u for u in (job.created_by, job.confirmed_by) if u is not None]
    titles: dict[str, str] = {
        S.DONE: gettext_noop("Import %(number)s is done: %(n)s records stored."),
        S.FAILED: gettext_noop("Import %(number)s failed."),
        S.CHECKED: gettext_noop("Import %(number)s is checked and waits for your confirmation."),
    }
    title = Message(titles[job.status], number=job.number, n=job.rows_created + job.rows_updated)
    notify(
        people,
        kind=f"import.{job.status}",
        title=title,
        body=Message.verbatim(job.message),
        url=job.get_absolute_url(),
        dedupe_key=f"import:{job.pk}:{job.status}:{job.attempts}",
    )


# --- the reaper ------------------------------------------------------------------------------


def reap(now: Any = None) -> int:
    """Queue again the jobs whose worker stopped renewing its lease (killed, machine gone),
    and the queued jobs no worker has picked up for a lease (their task was lost); give up
    after MAX_ATTEMPTS (``core.leases.take_back``). Safe to run from several workers at once."""
    taken = leases.take_back(
        ImportJob,
        lease=lease(),
        max_attempts=MAX_ATTEMPTS,
        system=SYSTEM,
        enqueue=enqueue,
        gave_up=_tell,
        message=lambda n: _("The import was given up after %(n)s attempts.") % {"n": n},
        related=("created_by", "confirmed_by"),
        now=now,
    )
    for pk, gave_up in taken:
        if gave_up:
            rowfile.remove_all(pk)
    return len(taken)
