"""Periodic job of retention: the disposal-review sweep (idempotent)."""

from django_tasks import task

from .services import sweep_disposal_review


@task()
def disposal_review_task() -> int:
    return sweep_disposal_review()
