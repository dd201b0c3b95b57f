"""Periodic job of field service, registered in AppConfig.ready with core.jobs, so that
`serviceloop serve` enqueues it on its timer and `serviceloop sweep` runs it; it is idempotent
and safe to run from several workers at once."""

from django_tasks import task

from .services import sweep


@task()
def sweep_fieldservice_task() -> dict[str, int]:
    return sweep()
