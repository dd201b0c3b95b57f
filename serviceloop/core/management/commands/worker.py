"""`serviceloop worker`: one background job worker, for the configured task backend.

The database backend (default) runs django-tasks-db's worker; with
SERVICELOOP_TASKS_BACKEND=rq it runs an RQ worker on SERVICELOOP_REDIS_URL. Either way the
worker writes a heartbeat that `/healthz` reads (serviceloop.core.health). Start as many as
the load needs; `serviceloop serve` starts one itself unless told `--no-worker`."""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from serviceloop.core import health


class Command(BaseCommand):
    help = "Run a background job worker (database or RQ, as configured) with a heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--queue", default="default", help="Queue to work on.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Database worker: seconds between polls."
        )
        parser.add_argument(
            "--max-jobs", type=int, default=None, help="Exit after this many jobs (tests)."
        )

    def handle(self, *args, queue: str, interval: float, max_jobs: int | None, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        name = health.worker_name()
        stop = threading.Event()
        if backend.startswith("django_tasks_rq"):
            kind = "rq"
        elif backend.startswith("django_tasks_db"):
            kind = "database"
        else:
            raise CommandError(f"The task backend {backend} runs jobs without a worker.")
        health.start_heartbeat(name, backend=kind, stop=stop)
        verbosity = options.get("verbosity", 1)
        try:
            if kind == "rq":
                call_command(
                    "rqworker",
                    queue,
                    job_class="django_tasks_rq.backend.Job",
                    name=name,
                    max_jobs=max_jobs,
                    verbosity=verbosity,
                )
            else:
                call_command(
                    "db_worker",
                    queue_name=queue,
                    interval=interval,
                    reload=False,
                    startup_delay=False,
                    max_tasks=max_jobs,
                    verbosity=verbosity,
                )
        finally:
            stop.set()
            health.stop_heartbeat(name)
