"""Periodic jobs of complaints. `serviceloop serve` should enqueue the sweep on its timer; it is
idempotent and safe to run from several workers at once."""

from django_tasks import task

from .services import sweep_overdue


@task()
def sweep_overdue_task() -> dict[str, int]:
    return sweep_overdue()
