"""A task whose worker was killed does not stay "running" in the queue forever (issue 9): the
periodic reaper marks its record failed six hours after its start, and leaves younger ones."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from serviceloop.core.jobs import PERIODIC, STALE_TASK_AFTER, reap_task_records
from serviceloop.core.tasks import reap_task_records_task

pytestmark = pytest.mark.django_db


def _running(started_ago: timedelta) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=now - started_ago,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="serviceloop.core.tasks.sweep_exports_task",
        backend_name="default",
        queue_name="default",
        run_after=now - started_ago,
        worker_ids=["killed-worker"],
    )


def test_a_task_left_running_by_a_dead_worker_is_marked_failed():
    dead = _running(STALE_TASK_AFTER + timedelta(minutes=1))
    alive = _running(STALE_TASK_AFTER - timedelta(minutes=1))
    assert reap_task_records() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == TaskResultStatus.FAILED and dead.finished_at is not None
    assert dead.exception_class_path == "serviceloop.core.jobs.WorkerStopped"
    assert "worker stopped" in dead.traceback
    assert alive.status == TaskResultStatus.RUNNING
    assert reap_task_records() == 0  # a second sweep changes nothing


def test_the_reaper_is_a_periodic_job():
    assert reap_task_records_task in PERIODIC
