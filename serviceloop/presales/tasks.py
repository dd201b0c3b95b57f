"""Periodic jobs of pre-sale service: the deadline sweep (enqueued by `serviceloop serve`)."""

from django_tasks import task

from .services import sweep_overdue


@task()
def sweep_overdue_task() -> dict[str, int]:
    return sweep_overdue()
