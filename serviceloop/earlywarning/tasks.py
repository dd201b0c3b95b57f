"""Background jobs of the early warning. `run_analysis_task` executes a queued run (or, for
the schedule, checks whether one is needed); `sweep_overdue_task` flags overdue reports and
customer notifications. Both are idempotent and registered as periodic jobs (called with
no arguments, `run_analysis_task` is the schedule's cheap check)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_analysis_task(trigger: str = "schedule", run_id: int | None = None) -> dict[str, Any]:
    """Execute run ``run_id``; without one (the schedule) run only if the inputs changed
    since the last successful run and the schedule has not looked in the last 24 hours."""
    from .services.runs import execute_run, scheduled_check

    if run_id is not None:
        return execute_run(run_id)
    if trigger != "schedule":
        from .services.runs import run_request

        run = run_request(actor=None, trigger=trigger, enqueue=False)
        return execute_run(run.pk)
    return scheduled_check()


@task()
def sweep_overdue_task() -> dict[str, int]:
    """Flag overdue reports and notifications, and fail the runs whose worker died."""
    from .services.alerts import sweep_overdue
    from .services.runs import reap_stale_runs

    return {**sweep_overdue(), "stale_runs": reap_stale_runs()}


@task()
def refresh_part_dashboard_task(part_number: str) -> dict[str, Any]:
    """Recompute and store one part's analysis (Quality's "recompute" on its dashboard)."""
    from .services.dashboards import refresh_part

    stored = refresh_part(part_number)
    return {"part": part_number, "computed_at": stored.computed_at.isoformat()}
