"""Health of a running installation (issue 16): the worker heartbeat and `/healthz`.

Workers (`serviceloop worker`, or the one `serviceloop serve` starts) touch a heartbeat file
in `<data dir>/heartbeats/` every few seconds; the web process and its workers share the data
dir anyway (uploads are read by import jobs). `/healthz` answers without a login and tells only
what an orchestrator or a monitor needs: is the database reachable, is a worker alive, how old
is the newest backup. No names, no counts, no versions."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEARTBEAT_INTERVAL = 5.0  # seconds between two beats of a worker


def heartbeat_dir() -> Path:
    return Path(settings.SERVICELOOP_HEARTBEAT_DIR)


def heartbeat_path(name: str) -> Path:
    return heartbeat_dir() / f"{name}.json"


def beat(name: str, *, backend: str) -> None:
    """Write this worker's heartbeat (atomically: a reader never sees half a file)."""
    folder = heartbeat_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = heartbeat_path(name)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps({"pid": os.getpid(), "backend": backend, "at": time.time()}))
    os.replace(tmp, target)


def start_heartbeat(name: str, *, backend: str, stop: threading.Event) -> threading.Thread:
    def loop() -> None:
        while not stop.is_set():
            # A full or read-only disk must not kill the worker: /healthz will show it stale.
            with contextlib.suppress(OSError):
                beat(name, backend=backend)
            stop.wait(HEARTBEAT_INTERVAL)

    thread = threading.Thread(target=loop, name="heartbeat", daemon=True)
    thread.start()
    return thread


def stop_heartbeat(name: str) -> None:
    heartbeat_path(name).unlink(missing_ok=True)


def worker_name() -> str:
    return f"worker-{socket.gethostname()}-{os.getpid()}"


def newest_heartbeat_age(now: float | None = None) -> float | None:
    """Seconds since the freshest worker heartbeat, or None when no worker ever beat."""
    folder = heartbeat_dir()
    if not folder.is_dir():
        return None
    ages = []
    now = time.time() if now is None else now
    for path in folder.glob("*.json"):
        try:
            ages.append(now - path.stat().st_mtime)
        except OSError:  # the worker removed it as we looked
            continue
    return max(0.0, min(ages)) if ages else None


def newest_backup_age(now: float | None = None) -> float | None:
    """Seconds since the newest file in the backup folder was written; None if there is none."""
    folder = Path(settings.SERVICELOOP_BACKUP_DIR)
    if not folder.is_dir():
        return None
    times = [p.stat().st_mtime for p in folder.iterdir() if p.is_file()]
    # Backup folders written by `serviceloop backup` count from their manifest (written last).
    times += [
        (p / "manifest.json").stat().st_mtime
        for p in folder.iterdir()
        if p.is_dir() and (p / "manifest.json").is_file()
    ]
    if not times:
        return None
    now = time.time() if now is None else now
    return max(0.0, now - max(times))


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:
        return False


def health() -> dict[str, Any]:
    db = database_ok()
    beat_age = newest_heartbeat_age()
    fresh = beat_age is not None and beat_age <= settings.SERVICELOOP_HEARTBEAT_MAX_AGE
    backup_age = newest_backup_age()
    return {
        "status": "ok" if db and fresh else "degraded" if db else "down",
        "database": "ok" if db else "unreachable",
        "worker": {
            "fresh": fresh,
            "heartbeat_age_seconds": None if beat_age is None else round(beat_age, 1),
        },
        "backup": {"age_seconds": None if backup_age is None else round(backup_age)},
    }


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (a stale worker shows as "degraded", so that a load
    balancer keeps the web up); 503 when the database does not answer."""
    body = health()
    return JsonResponse(body, status=200 if body["database"] == "ok" else 503)
