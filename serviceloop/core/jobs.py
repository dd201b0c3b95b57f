"""Periodic jobs: apps register tasks (django-tasks `@task()` functions taking no arguments)
in AppConfig.ready; `serviceloop serve` enqueues each of them on a timer, and
`serviceloop sweep` runs them once in-process (for cron or a manual catch-up). Every periodic
job must be idempotent: several workers may run the same sweep at once."""

from __future__ import annotations

from typing import Any

PERIODIC: list[Any] = []


def register_periodic(task: Any) -> Any:
    if task not in PERIODIC:
        PERIODIC.append(task)
    return task
