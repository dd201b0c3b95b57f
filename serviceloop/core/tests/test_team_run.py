"""The production-like run of issue 16, for real: `serviceloop serve` and `serviceloop worker`
as separate processes on PostgreSQL, a job through RQ on Redis, `/healthz`, and no orphan
worker after `kill -9 serve`.

These start processes on a database of their own (created and dropped here on the server of
SERVICELOOP_DATABASE_URL), so they run only in the PostgreSQL suite; the RQ test is skipped
when no Redis answers at SERVICELOOP_REDIS_URL (default redis://127.0.0.1:6379/0) — `make test`
starts a throw-away Redis when it can (.ci/services.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_URL = os.environ.get("SERVICELOOP_DATABASE_URL", "")
REDIS_URL = os.environ.get("SERVICELOOP_REDIS_URL") or "redis://127.0.0.1:6379/0"

pytestmark = [
    pytest.mark.slow,
    # The test database is set up (and then copied): see `install`.
    pytest.mark.django_db,
    pytest.mark.skipif(
        not PG_URL.startswith("postgres"),
        reason="needs PostgreSQL (the PostgreSQL suite: SERVICELOOP_DATABASE_URL)",
    ),
]


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(predicate, what: str, limit: float = 120.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what}")


def _get_json(url: str, token: str = "") -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _post_json(url: str, data: dict, token: str = "") -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(data).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its new parent) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


@pytest.fixture(scope="module")
def install(django_db_setup, django_db_blocker, tmp_path_factory):
    """A PostgreSQL database of its own, copied from the migrated test database (a template
    copy takes a second; migrating anew takes a minute), with one Quality user; dropped at the
    end."""
    import psycopg
    from django.db import connection, connections

    name = f"sl_e2e_{uuid.uuid4().hex[:10]}"
    source = connection.settings_dict["NAME"]  # the test database pytest-django made
    admin_url = urlunsplit(urlsplit(PG_URL)._replace(path="/postgres"))
    with django_db_blocker.unblock():
        connections.close_all()  # a template database must have no other session
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    data_dir = tmp_path_factory.mktemp("data")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SERVICELOOP_DATABASE_URL": urlunsplit(urlsplit(PG_URL)._replace(path=f"/{name}")),
        "SERVICELOOP_DATA_DIR": str(data_dir),
        "SERVICELOOP_LOG_FORMAT": "json",
        "SERVICELOOP_SWEEP_INTERVAL": "3600",
    }
    cli = [sys.executable, "-m", "serviceloop.cli"]
    script = (
        "from serviceloop.core.models import Role, User;"
        "u = User.objects.create_user(username='q1', password='pw-e2e-12345');"
        "u.roles.set(Role.objects.filter(code='quality'))"
    )
    subprocess.run([*cli, "shell", "-c", script], env=env, check=True)
    try:
        yield env, cli, data_dir
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _start(cmd: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.skipif(not _reachable(REDIS_URL), reason=f"no Redis answers at {REDIS_URL}")
def test_app_and_rq_worker_run_a_job_end_to_end(install, tmp_path):
    env, cli, data_dir = install
    # A Redis database of its own, so that no other queue's jobs get in the way.
    redis = urlunsplit(urlsplit(REDIS_URL)._replace(path="/13"))
    env = {**env, "SERVICELOOP_TASKS_BACKEND": "rq", "SERVICELOOP_REDIS_URL": redis}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    web = _start(
        [*cli, "serve", "--port", str(port), "--no-worker", "--no-sweep"], env, tmp_path / "web"
    )
    worker = _start([*cli, "worker"], env, tmp_path / "worker")
    try:
        # The web answers, and its health says the database is there and the worker alive.
        health = _wait(
            lambda: (
                (h := _try(lambda: _get_json(f"{base}/healthz"))) and h[1]["worker"]["fresh"] and h
            ),
            "a fresh worker heartbeat on /healthz",
        )
        assert health[0] == 200
        assert health[1]["status"] == "ok"
        assert health[1]["database"] == "ok"
        assert health[1]["backup"] == {"age_seconds": None}

        # A job through the API: "run now" queues an analysis run on RQ; the worker runs it.
        _, token = _post_json(
            f"{base}/api/v1/auth/token", {"username": "q1", "password": "pw-e2e-12345"}
        )
        status, run = _post_json(f"{base}/api/v1/early-warning/runs/", {}, token["token"])
        assert status == 201
        assert run["status"] == "queued"
        done = _wait(
            lambda: (
                (r := _get_json(f"{base}/api/v1/early-warning/runs/{run['id']}", token["token"]))
                and r[1]["status"] in {"succeeded", "failed"}
                and r[1]
            ),
            "the worker to finish the run",
        )
        assert done["status"] == "succeeded", done
        assert done["finished_at"]
    finally:
        _stop(web, worker)
    # SERVICELOOP_LOG_FORMAT=json: the web's output is JSON lines only.
    web_lines = [json.loads(line) for line in (tmp_path / "web").read_text().splitlines() if line]
    assert any("serving on" in line["message"] for line in web_lines)
    worker_log = (tmp_path / "worker").read_text()
    assert "run_analysis_task" in worker_log or "early" in worker_log, worker_log[-2000:]
    # The worker removes its heartbeat when it stops.
    assert not list((data_dir / "heartbeats").glob("*.json"))


def _try(call):
    try:
        return call()
    except OSError:
        return None


def test_kill_9_serve_leaves_no_orphan_worker(install, tmp_path):
    """Issue 9, item 8: the worker child dies with `serve`, even on SIGKILL."""
    env, cli, data_dir = install
    port = _free_port()
    serve = _start([*cli, "serve", "--port", str(port), "--no-sweep"], env, tmp_path / "serve")
    try:
        beat = _wait(
            lambda: next(iter((data_dir / "heartbeats").glob("*.json")), None),
            "the worker's heartbeat",
        )
        worker_pid = json.loads(beat.read_text())["pid"]
        assert worker_pid != serve.pid
        assert _alive(worker_pid)
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=10)
        _wait(lambda: not _alive(worker_pid), "the orphaned worker to exit", limit=60)
    finally:
        if serve.poll() is None:
            serve.kill()
