"""Periodic jobs: apps register tasks (django-tasks `@task()` functions taking no arguments)
in AppConfig.ready; `serviceloop serve` enqueues each of them on a timer, and
`serviceloop sweep` runs them once in-process (for cron or a manual catch-up). Every periodic
job must be idempotent: several workers may run the same sweep at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

PERIODIC: list[Any] = []


def register_periodic(task: Any) -> Any:
    if task not in PERIODIC:
        PERIODIC.append(task)
    return task


# A task of the database queue still "running" this long after its start lost its worker.
STALE_TASK_AFTER = timedelta(hours=6)


class WorkerStopped(RuntimeError):
    """The worker running this task stopped (killed, or its machine lost) before it finished."""


def fail_stale(
    model: Any,
    *,
    running: Any,
    after: timedelta,
    fail: Callable[[Any], object],
    now: datetime | None = None,
) -> int:
    """The reaper of a run left "running" by a worker that died: each row of ``model`` whose
    ``status`` is still ``running`` ``after`` its ``started_at`` is re-read under a row lock
    and, if still running and still that old, handed to ``fail(row)`` (which marks it failed,
    audits and logs) in one transaction. Idempotent; several workers may reap at once.
    Answers how many were failed."""
    cutoff = (now or timezone.now()) - after
    stale = model.objects.filter(status=running, started_at__lt=cutoff)
    count = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            row = model.objects.select_for_update().filter(pk=pk).first()
            if row is None or row.status != running or not (row.started_at or cutoff) < cutoff:
                continue
            fail(row)
        count += 1
    return count


def reap_task_records(now: datetime | None = None) -> int:
    """django-tasks' database queue leaves the record of a task its worker was running as
    "running" forever when the worker is killed. The work itself is taken back by its own
    reaper (imports, exports, backups, analysis runs); this marks the queue's record failed
    STALE_TASK_AFTER after its start, so that no job shows as running forever. Idempotent:
    each record is re-read under a row lock. (RQ keeps its own registry of failed jobs.)"""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    def fail(row: Any) -> None:
        row.set_failed(
            WorkerStopped(f"still running {STALE_TASK_AFTER} after its start: worker stopped")
        )
        logger.warning("task %s (%s) marked failed: its worker stopped", row.pk, row.task_path)

    return fail_stale(
        DBTaskResult, running=TaskResultStatus.RUNNING, after=STALE_TASK_AFTER, fail=fail, now=now
    )
