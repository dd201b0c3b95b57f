"""Periodic job of training: the 1 October warning (idempotent)."""

from django_tasks import task

from .services import sweep_training_warning


@task()
def training_warning_task() -> int:
    return sweep_training_warning()
