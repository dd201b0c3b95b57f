"""`serviceloop serve --port N`: the web UI and API (waitress) plus background jobs.

The database job worker (django-tasks-db's db_worker) runs as a child process, and a timer
enqueues the periodic deadline sweep. With SERVICELOOP_TASKS_BACKEND=rq, run RQ workers
separately instead (docs/adr/0002-background-jobs.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand


def _sweep_loop(stop: threading.Event, interval: int) -> None:
    from serviceloop.core.jobs import PERIODIC

    while not stop.is_set():
        for task in PERIODIC:
            try:
                task.enqueue()
            except Exception as exc:  # keep serving; the next tick tries again
                print(f"could not enqueue {task.name}: {exc}", file=sys.stderr)
        stop.wait(interval)


class Command(BaseCommand):
    help = "Serve ServiceLoop (web UI, API) with background jobs."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background job worker."
        )

    def handle(self, *args, port: int, host: str, threads: int, no_worker: bool, **options):
        from waitress import serve

        from config.wsgi import application

        worker = None
        stop = threading.Event()
        db_backend = settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")
        if not no_worker and db_backend:
            worker = subprocess.Popen(
                [sys.executable, "-m", "serviceloop.cli", "db_worker", "--interval", "1"],
                env=os.environ.copy(),
            )
            threading.Thread(
                target=_sweep_loop, args=(stop, settings.SERVICELOOP_SWEEP_INTERVAL), daemon=True
            ).start()

        def shutdown(*_):
            stop.set()
            if worker:
                worker.terminate()
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, shutdown)
        self.stdout.write(
            f"ServiceLoop is serving on http://{host}:{port}/ "
            f"(jobs: {'worker running' if worker else 'no worker'})"
        )
        try:
            serve(application, host=host, port=port, threads=threads, ident="ServiceLoop")
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            if worker:
                worker.terminate()
                worker.wait(timeout=10)
