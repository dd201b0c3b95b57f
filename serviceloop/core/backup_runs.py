"""Backups as the product runs them (issue 13): the scheduled daily backup with rotation, the
administrator's "back up now", and the record of each run (BackupRun). The writing itself is
`core.backup`."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record, audit_update, snapshot
from .backup import BackupError, make_backup, verify_backup
from .jobs import fail_stale
from .models import BackupRun, BackupStatus
from .models.audit import AuditAction
from .permissions import require

NAME = re.compile(r"^serviceloop-(\d{8})-(\d{6})$")
# A run still "running" this long after it started was left by a worker that died (issue 9:
# no job stays running forever); the next sweep marks it failed.
STALE_AFTER = timedelta(hours=6)


def backup_folder() -> Path:
    return Path(settings.SERVICELOOP_BACKUP_DIR)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def perform_backup(run: BackupRun) -> BackupRun:
    """Write and verify one backup into the backup folder, record the outcome on `run`, then
    rotate the folder. Never raises for a failed backup: the run says what went wrong."""
    local = timezone.localtime(run.started_at)
    path = backup_folder() / f"serviceloop-{local:%Y%m%d-%H%M%S}"
    run.path = str(path)
    try:
        backup_folder().mkdir(parents=True, exist_ok=True)
        manifest = make_backup(path)
        verify_backup(path)
    except (BackupError, OSError) as exc:
        run.status, run.message = BackupStatus.FAILED, str(exc)[:2000]
    else:
        run.status = BackupStatus.OK
        run.size_bytes = _size(path)
        run.audit_entries = manifest["audit_chain"]["count"]
        run.message = _("%(rows)s rows in %(tables)s tables, %(files)s files checked.") % {
            "rows": sum(manifest["tables"].values()),
            "tables": len(manifest["tables"]),
            "files": len(manifest["files"]),
        }
    run.finished_at = timezone.now()
    run.save()
    if run.status == BackupStatus.OK:
        rotate()
    return run


def backup_request(*, actor: Any) -> BackupRun:
    """ "Back up now": a run record, and the job that writes it once this transaction commits."""
    require(actor, "backup.manage")
    from .tasks import run_backup_task

    with transaction.atomic():
        run = BackupRun.objects.create(requested_by=actor)
        audit_record(actor=actor, action=AuditAction.EVENT, obj=run, reason="backup requested")
        transaction.on_commit(lambda: run_backup_task.enqueue(run.pk))
    return run


def scheduled_backup(now: datetime | None = None) -> str:
    """The daily backup: the first sweep of each company-zone day writes one (a unique day
    on the run keeps two workers from writing two)."""
    now = now or timezone.now()
    reap_stale_runs(now)
    if not settings.SERVICELOOP_BACKUP_SCHEDULED:
        return "off"
    day = timezone.localdate(now)
    if BackupRun.objects.filter(day=day).exists():
        return "done today"
    try:
        with transaction.atomic():
            run = BackupRun.objects.create(day=day, started_at=now)
    except IntegrityError:
        return "done today"
    return perform_backup(run).status


def reap_stale_runs(now: datetime) -> int:
    """Mark failed the runs still "running" STALE_AFTER after their start (their worker died)."""

    def fail(run: BackupRun) -> None:
        before = snapshot(run)
        run.status, run.finished_at = BackupStatus.FAILED, now
        run.message = _(
            "The worker stopped while writing this backup (still running after 6 hours)."
        )
        run.save(update_fields=["status", "finished_at", "message"])
        audit_update(actor=None, obj=run, before=before, system="backup_reaper")

    return fail_stale(
        BackupRun, running=BackupStatus.RUNNING, after=STALE_AFTER, fail=fail, now=now
    )


def _taken(name: str) -> datetime | None:
    m = NAME.match(name)
    if m is None:
        return None
    try:
        return datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def rotation_keeps(
    names: list[str], keep_daily: int, keep_monthly: int
) -> tuple[set[str], set[str]]:
    """Which backup folders rotation keeps and which it removes: the newest of each of the
    `keep_daily` most recent days that have one, and the newest of each of the
    `keep_monthly` most recent months. Names not made by the job are neither."""
    dated = sorted(((t, n) for n in names if (t := _taken(n)) is not None), reverse=True)
    keep: set[str] = set()
    days: list[date] = []
    months: list[tuple[int, int]] = []
    for taken, name in dated:
        if taken.date() not in days and len(days) < keep_daily:
            days.append(taken.date())
            keep.add(name)
        month = (taken.year, taken.month)
        if month not in months and len(months) < keep_monthly:
            months.append(month)
            keep.add(name)
    return keep, {n for _t, n in dated} - keep


def rotate() -> list[str]:
    """Remove the backup folders rotation no longer keeps; their names."""
    folder = backup_folder()
    if not folder.is_dir():
        return []
    names = [p.name for p in folder.iterdir() if p.is_dir()]
    _keep, remove = rotation_keeps(
        names, settings.SERVICELOOP_BACKUP_KEEP_DAILY, settings.SERVICELOOP_BACKUP_KEEP_MONTHLY
    )
    for name in sorted(remove):
        shutil.rmtree(folder / name, ignore_errors=True)
    return sorted(remove)
