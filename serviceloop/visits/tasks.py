"""Periodic job of visits: flags plans not approved by their due date and overdue
improvement actions (idempotent)."""

from django_tasks import task

from .services import sweep_overdue


@task()
def sweep_visits_task() -> dict[str, int]:
    return sweep_overdue()
