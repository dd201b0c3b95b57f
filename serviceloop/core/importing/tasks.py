"""Background jobs of the imports: run one job, and the reaper (periodic)."""

from __future__ import annotations

from django_tasks import task

from . import jobs


@task()
def run_import_task(job_id: int) -> str:
    return jobs.run(job_id)


@task()
def reap_imports_task() -> int:
    """Queue again the imports whose worker died (see jobs.reap); idempotent."""
    return jobs.reap()
