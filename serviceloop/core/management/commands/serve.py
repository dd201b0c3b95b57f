"""`serviceloop serve --port N`: the web UI and API (waitress) plus background jobs.

One job worker (`serviceloop worker`: database or RQ, as configured) runs as a child
process, and a timer enqueues the periodic deadline sweep. The child dies with its parent even
when the parent is killed with SIGKILL (Linux: PR_SET_PDEATHSIG), so no orphan worker is left
behind (issue 9, item 8). For a team, run `serve --no-worker` and `serviceloop worker`
processes of their own (README, "Running for a team").
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand

logger = logging.getLogger("serviceloop.serve")
FIRST_SWEEP_DELAY = 60  # seconds: the first pages after a start get the CPU, not the sweep


def _sweep_loop(stop: threading.Event, interval: int) -> None:
    from serviceloop.core.jobs import PERIODIC

    stop.wait(min(interval, FIRST_SWEEP_DELAY))
    while not stop.is_set():
        for task in PERIODIC:
            try:
                task.enqueue()
            except Exception as exc:  # keep serving; the next tick tries again
                logger.warning("could not enqueue %s: %s", task.name, exc)
        stop.wait(interval)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> Callable[[], None]:
    """A `preexec_fn`: the child gets SIGTERM when its parent dies, however it dies."""

    def setup() -> None:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(0)

    return setup


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "serviceloop.cli", "worker"],
        env=os.environ.copy(),
        preexec_fn=die_with_parent(os.getpid()),  # started before any thread
    )


class Command(BaseCommand):
    help = "Serve ServiceLoop (web UI, API) with background jobs."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background job worker."
        )
        parser.add_argument(
            "--trusted-proxy",
            default=os.environ.get("SERVICELOOP_TRUSTED_PROXY", ""),
            help="Address of the reverse proxy (or '*') whose X-Forwarded-Proto/-For/-Host "
            "headers to believe; without it waitress drops them.",
        )
        parser.add_argument(
            "--no-sweep", action="store_true", help="Do not enqueue the periodic deadline sweep."
        )

    def handle(
        self,
        *args,
        port: int,
        host: str,
        threads: int,
        no_worker: bool,
        no_sweep: bool,
        trusted_proxy: str,
        **options,
    ):
        from waitress import serve

        from config.wsgi import application

        worker = None
        stop = threading.Event()
        backend = settings.TASKS["default"]["BACKEND"]
        queued = backend.startswith(("django_tasks_db", "django_tasks_rq"))
        if not no_worker and queued:
            worker = start_worker()
        if not no_sweep:
            threading.Thread(
                target=_sweep_loop, args=(stop, settings.SERVICELOOP_SWEEP_INTERVAL), daemon=True
            ).start()

        def shutdown(*_):
            stop.set()
            if worker:
                worker.terminate()
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, shutdown)
        message = (
            f"ServiceLoop is serving on http://{host}:{port}/ "
            f"(jobs: {'worker running' if worker else 'no worker'})"
        )
        if settings.SERVICELOOP_LOG_FORMAT == "json":  # stdout carries JSON lines only
            logger.info(message)
        else:
            self.stdout.write(message)
        try:
            proxy: dict[str, object] = {}
            if trusted_proxy:
                proxy = {
                    "trusted_proxy": trusted_proxy,
                    "trusted_proxy_count": 1,
                    "trusted_proxy_headers": "x-forwarded-proto x-forwarded-for x-forwarded-host",
                }
            serve(application, host=host, port=port, threads=threads, ident="ServiceLoop", **proxy)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            if worker:
                worker.terminate()
                worker.wait(timeout=10)
