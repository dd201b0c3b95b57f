"""Running ServiceLoop (issue 16): /healthz, the worker heartbeat, JSON logs, the serve child
that dies with its parent, no e-mail jobs from the demo, and the helper that starts the test
databases (.ci/services.py)."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client

from serviceloop.core import health
from serviceloop.core.logformat import JsonFormatter
from serviceloop.core.notifications import Message, notify
from serviceloop.core.testing.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def dirs(settings, tmp_path):
    settings.SERVICELOOP_HEARTBEAT_DIR = tmp_path / "heartbeats"
    settings.SERVICELOOP_BACKUP_DIR = tmp_path / "backups"
    return tmp_path


def test_healthz_answers_without_login_and_tells_no_worker(db, dirs):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "worker": {"fresh": False, "heartbeat_age_seconds": None},
        "backup": {"age_seconds": None},
    }


def test_healthz_with_a_fresh_worker_and_a_backup(db, dirs):
    health.beat("worker-test", backend="database")
    (dirs / "backups").mkdir()
    dump = dirs / "backups" / "serviceloop.dump"
    dump.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(dump, (two_hours_ago, two_hours_ago))
    body = Client().get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"]["fresh"] is True
    assert 0 <= body["worker"]["heartbeat_age_seconds"] < 60
    assert 7100 < body["backup"]["age_seconds"] < 7300
    health.stop_heartbeat("worker-test")
    assert not list((dirs / "heartbeats").glob("*.json"))


def test_a_stale_heartbeat_is_not_fresh(db, dirs, settings):
    settings.SERVICELOOP_HEARTBEAT_MAX_AGE = 60
    health.beat("worker-old", backend="rq")
    old = time.time() - 3600
    os.utime(health.heartbeat_path("worker-old"), (old, old))
    body = health.health()
    assert body["worker"]["fresh"] is False
    assert body["worker"]["heartbeat_age_seconds"] > 3000


def test_healthz_is_503_when_the_database_does_not_answer(db, dirs, monkeypatch):
    class Down:
        def cursor(self):
            raise OSError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["status"] == "down"


def test_healthz_refuses_post(db, dirs):
    assert Client().post("/healthz").status_code == 405


def test_heartbeat_thread_beats_until_stopped(db, dirs):
    import threading

    stop = threading.Event()
    thread = health.start_heartbeat("worker-thread", backend="database", stop=stop)
    path = health.heartbeat_path("worker-thread")
    for _ in range(100):
        if path.exists():
            break
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=5)
    assert json.loads(path.read_text())["pid"] == os.getpid()


def test_json_log_lines():
    formatter = JsonFormatter()
    record = logging.LogRecord("serviceloop.x", logging.WARNING, __file__, 1, "a %s", ("b",), None)
    record.status_code = 404
    line = json.loads(formatter.format(record))
    assert line["level"] == "WARNING"
    assert line["logger"] == "serviceloop.x"
    assert line["message"] == "a b"
    assert line["status_code"] == 404
    assert line["time"].endswith("+00:00")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "失败", (), sys.exc_info())
    line = json.loads(formatter.format(record))
    assert line["message"] == "失败"
    assert "ValueError: boom" in line["exception"]


def test_json_log_setting_configures_stdout_json():
    code = (
        "import django, logging, json; django.setup();"
        "logging.getLogger('serviceloop.test').info('hello', extra={'job': 7})"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SERVICELOOP_LOG_FORMAT": "json",
        "SERVICELOOP_DATA_DIR": str(ROOT / "var"),
    }
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout.strip().splitlines()[-1])
    assert line["message"] == "hello"
    assert line["job"] == 7


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_pdf_leaves_no_progress_lines_in_the_log(tmp_path, log_format):
    """WeasyPrint logs seven "Step n - ..." lines per PDF at INFO; `make run`'s demo printed 87
    of them. Both log formats keep such libraries at WARNING."""
    code = (
        "import django; django.setup();"
        "from weasyprint import HTML; HTML(string='<p>x</p>').write_pdf()"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SERVICELOOP_LOG_FORMAT": log_format,
        "SERVICELOOP_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Step " not in done.stdout + done.stderr


def test_notification_emails_can_be_turned_off(db, settings, django_capture_on_commit_callbacks):
    user = UserFactory(email="someone@example.cn")
    settings.SERVICELOOP_NOTIFICATION_EMAILS = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify([user], kind="test", title=Message.verbatim("quiet"))
    assert callbacks == []
    assert mail.outbox == []
    settings.SERVICELOOP_NOTIFICATION_EMAILS = True
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], kind="test", title=Message.verbatim("loud"))
    assert [m.subject for m in mail.outbox] == ["loud"]


def test_worker_child_dies_with_its_parent_on_sigkill(tmp_path):
    """The mechanism `serve` uses for its worker (PR_SET_PDEATHSIG), with `sleep` as child."""
    parent = (
        "import subprocess, sys, time;"
        "from serviceloop.core.management.commands.serve import die_with_parent;"
        "import os;"
        "c = subprocess.Popen(['sleep', '300'], preexec_fn=die_with_parent(os.getpid()));"
        "print(c.pid, flush=True); time.sleep(300)"
    )
    proc = subprocess.Popen([sys.executable, "-c", parent], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    child = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    for _ in range(200):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        stat = Path(f"/proc/{child}/stat")
        if stat.exists() and stat.read_text().split(") ")[1].startswith("Z"):
            break  # exited; a zombie until init reaps it
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its killed parent")


def _services_module():
    spec = importlib.util.spec_from_file_location("ci_services", ROOT / ".ci" / "services.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_services_knows_installed_packages_like_dpkg_s():
    services = _services_module()
    if not Path("/usr/bin/dpkg").exists():
        pytest.skip("not a Debian machine")
    assert services.dpkg_installed("dpkg") is True
    assert services.dpkg_installed("no-such-package-serviceloop") is False
    # A package is installed only when its program is missing and dpkg does not know it.
    assert services.missing_packages({"no-such-package-serviceloop": False}) == [
        "no-such-package-serviceloop"
    ]
    assert services.missing_packages({"no-such-package-serviceloop": True}) == []
    assert services.missing_packages({"dpkg": False}) == []


def test_services_skip_is_never_silent(tmp_path, monkeypatch, capsys):
    services = _services_module()
    monkeypatch.setenv("SERVICELOOP_SKIP_POSTGRES", "1")
    summary = tmp_path / "summary.txt"
    code = services.main(["--summary", str(summary), "--", "false"])
    assert code == 0
    assert "PostgreSQL suite SKIPPED" in summary.read_text()
    assert "SKIPPED" in capsys.readouterr().out


def test_services_url_helpers():
    services = _services_module()
    url = "postgres://postgres@127.0.0.1:5432/test"
    assert services.with_path(url, "postgres") == "postgres://postgres@127.0.0.1:5432/postgres"
    assert services.with_netloc(url, "127.0.0.1", 6000) == "postgres://postgres@127.0.0.1:6000/test"
