"""Backup and restore (issue 13 item 4): the round trip keeps every row and the audit chain,
a restore refuses a database with records and a tampered backup, rotation keeps the right
folders over month boundaries, and a backup moves between SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from freezegun import freeze_time

from serviceloop.core.audit import audit_create, verify_chain
from serviceloop.core.backup import (
    BackupError,
    make_backup,
    read_manifest,
    restore_backup,
    table_counts,
    verify_backup,
)
from serviceloop.core.backup_runs import rotation_keeps, scheduled_backup
from serviceloop.core.models import AuditChainHead, AuditEntry, BackupRun, BackupStatus, Role
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.customers.models import Customer

ROOT = Path(__file__).resolve().parents[3]
SH = ZoneInfo("Asia/Shanghai")
# Transactional: pg_dump and pg_restore see only committed rows; the seeded roles come back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "company").mkdir(parents=True)
    (settings.MEDIA_ROOT / "company" / "logo.png").write_bytes(b"\x89PNG fake logo")
    return settings.MEDIA_ROOT


def _records(n: int = 5) -> None:
    admin = user_with("admin")
    for i in range(n):
        customer = CustomerFactory(name=f"客户 {i} – “quoted” \\ 😀")
        audit_create(actor=admin, obj=customer, reason=f"test {i}")


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.get(pk=1)
    return head.count, head.last_hash


def _empty_database() -> None:
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_round_trip_keeps_counts_chain_and_files(media, tmp_path, portable):
    _records()
    counts, head = table_counts(), _head()
    manifest = make_backup(tmp_path / "b")
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == counts
    assert manifest["audit_chain"] == {"count": head[0], "last_hash": head[1]}
    assert manifest["tables"]["core.auditentry"] == head[0] > 5
    assert manifest["version"] and manifest["created_at"]
    assert "media/company/logo.png" in manifest["files"]
    verify_backup(tmp_path / "b")

    _empty_database()
    (media / "company" / "logo.png").unlink()
    assert Customer.objects.count() == 0
    report = restore_backup(tmp_path / "b", portable=portable)

    assert report.method == ("portable" if portable else "native")
    assert table_counts() == counts
    assert _head() == head
    assert verify_chain().ok
    assert Customer.objects.filter(name="客户 4 – “quoted” \\ 😀").exists()
    assert (media / "company" / "logo.png").read_bytes() == b"\x89PNG fake logo"
    assert Role.objects.filter(code="admin").exists()


def test_restore_refuses_a_database_with_records(media, tmp_path):
    _records(2)
    make_backup(tmp_path / "b")
    CustomerFactory(name="written after the backup")
    with pytest.raises(BackupError, match="not empty.*--force"):
        restore_backup(tmp_path / "b")
    assert Customer.objects.filter(name="written after the backup").exists()

    restore_backup(tmp_path / "b", force=True, portable=True)
    assert not Customer.objects.filter(name="written after the backup").exists()
    assert Customer.objects.count() == 2


def test_restore_command_refuses_a_non_empty_database_with_a_clear_message(media, tmp_path, capsys):
    _records(1)
    call_command("backup", str(tmp_path / "b"))
    assert "OK: backup written" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        call_command("restore", str(tmp_path / "b"))
    assert exit_.value.code == 1
    assert "FAILED: the database is not empty" in capsys.readouterr().err


def test_a_tampered_backup_is_refused_before_anything_is_written(media, tmp_path):
    _records(3)
    make_backup(tmp_path / "b")
    entries = tmp_path / "b" / "data" / "core.auditentry.jsonl"
    entries.write_text(entries.read_text().replace("test 1", "test 9"))
    _empty_database()
    with pytest.raises(BackupError, match=r"core\.auditentry\.jsonl: checksum mismatch"):
        restore_backup(tmp_path / "b")
    assert AuditEntry.objects.count() == 0
    with pytest.raises(BackupError, match="checksum mismatch"):
        verify_backup(tmp_path / "b")


def test_an_extra_or_missing_file_is_refused(media, tmp_path):
    _records(1)
    make_backup(tmp_path / "b")
    (tmp_path / "b" / "media" / "planted.txt").write_text("x")
    (tmp_path / "b" / "media" / "company" / "logo.png").unlink()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "b", force=True)
    assert "media/company/logo.png: missing" in str(refused.value)
    assert "media/planted.txt: not in the manifest" in str(refused.value)


def test_counts_that_differ_from_the_manifest_fail_the_restore(media, tmp_path):
    _records(2)
    make_backup(tmp_path / "b")
    manifest_file = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["tables"]["customers.customer"] = 3
    manifest_file.write_text(json.dumps(manifest))
    _empty_database()
    with pytest.raises(BackupError, match="customers.customer: 2 rows, the backup has 3"):
        restore_backup(tmp_path / "b")


def test_backup_refuses_an_existing_folder(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("x")
    with pytest.raises(BackupError, match="already exists"):
        make_backup(tmp_path / "b")
    assert not (tmp_path / "b.part").exists()


def test_not_a_backup(tmp_path):
    with pytest.raises(BackupError, match="manifest.json is missing"):
        read_manifest(tmp_path)


# --- rotation and the scheduled job ----------------------------------------------------------


def test_rotation_keeps_the_newest_of_each_day_and_of_each_month():
    names = [
        "serviceloop-20261130-020000",
        "serviceloop-20261201-020000",
        "serviceloop-20261201-150000",  # a second backup that day: the newest one counts
        "serviceloop-20261202-020000",
        "serviceloop-20261203-020000",
        "serviceloop-20261015-020000",
        "serviceloop-20261031-020000",
        "not-a-backup",
    ]
    keep, remove = rotation_keeps(names, keep_daily=3, keep_monthly=3)
    assert keep == {
        "serviceloop-20261203-020000",
        "serviceloop-20261202-020000",
        "serviceloop-20261201-150000",
        "serviceloop-20261130-020000",  # November's newest
        "serviceloop-20261031-020000",  # October's newest
    }
    assert remove == {"serviceloop-20261201-020000", "serviceloop-20261015-020000"}


def test_the_daily_job_writes_one_backup_a_day_and_rotates_across_a_month(
    settings, media, tmp_path
):
    settings.SERVICELOOP_BACKUP_SCHEDULED = True
    settings.SERVICELOOP_BACKUP_DIR = tmp_path / "backups"
    settings.SERVICELOOP_BACKUP_KEEP_DAILY = 2
    settings.SERVICELOOP_BACKUP_KEEP_MONTHLY = 2
    _records(1)
    days = [(1, 30), (1, 31), (2, 1), (2, 2), (2, 3)]
    for month, day in days:
        with freeze_time(datetime(2027, month, day, 3, 0, tzinfo=SH)):
            assert scheduled_backup() == BackupStatus.OK
            assert scheduled_backup() == "done today"
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == [
        "serviceloop-20270131-030000",  # January's newest (monthly)
        "serviceloop-20270202-030000",
        "serviceloop-20270203-030000",
    ]
    runs = BackupRun.objects.order_by("started_at")
    assert [r.status for r in runs] == [BackupStatus.OK] * 5
    assert [r.present for r in runs] == [False, True, False, True, True]
    assert all(r.size_bytes > 0 and r.audit_entries >= 2 for r in runs)


def test_the_daily_job_is_off_when_not_scheduled(settings):
    settings.SERVICELOOP_BACKUP_SCHEDULED = False
    assert scheduled_backup() == "off"
    assert not BackupRun.objects.exists()


def test_a_failed_backup_is_recorded_as_failed(settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings.SERVICELOOP_BACKUP_SCHEDULED = True
    settings.SERVICELOOP_BACKUP_DIR = blocker / "backups"  # cannot be a folder
    assert scheduled_backup() == BackupStatus.FAILED
    run = BackupRun.objects.get()
    assert run.status == BackupStatus.FAILED and run.message and run.finished_at


# --- the page ----------------------------------------------------------------------------------


def test_the_backups_page_backs_up_now_and_shows_the_result(client, settings, media, tmp_path):
    settings.SERVICELOOP_BACKUP_DIR = tmp_path / "backups"
    admin = user_with("admin")
    client.force_login(admin)
    assert "No backup has been made yet." in client.get("/settings/backups/").content.decode()
    response = client.post("/settings/backups/now/")
    assert response.status_code == 302
    run = BackupRun.objects.get()
    assert run.requested_by == admin and run.status == BackupStatus.OK
    assert Path(run.path).is_dir()
    page = client.get("/settings/backups/").content.decode()
    assert "verified" in page and run.path in page
    assert AuditEntry.objects.filter(object_type="core.backuprun", reason="backup requested")


def test_only_the_administrator_sees_the_backups_page(client):
    client.force_login(user_with("quality"))
    assert client.get("/settings/backups/").status_code == 403
    assert client.post("/settings/backups/now/").status_code == 403
    assert not BackupRun.objects.exists()


# --- moving between the databases ----------------------------------------------------------


def _pg_server_url() -> str:
    return os.environ.get("SERVICELOOP_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(_pg_server_url() + "/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", **env}
    full.pop("SERVICELOOP_DATABASE_URL", None)
    full.update({k: v for k, v in env.items()})
    return subprocess.run(
        [sys.executable, "-m", "serviceloop.cli", *args],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_a_backup_moves_to_the_other_database(media, tmp_path):
    """SQLite → PostgreSQL (what a growing user does), through the command, as a user runs it.
    `make test` runs this direction only (it is one of the suite's slowest tests); run on
    PostgreSQL by hand (`-m ""`), it moves PostgreSQL → SQLite through the same loader."""
    _records(3)
    manifest = make_backup(tmp_path / "b")
    env = {"SERVICELOOP_DATA_DIR": str(tmp_path / "data")}
    if connection.vendor == "sqlite":
        if not _pg_available():
            pytest.skip("no PostgreSQL server at " + _pg_server_url())
        import psycopg

        name = f"backup_move_{os.getpid()}"
        with psycopg.connect(_pg_server_url() + "/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        env["SERVICELOOP_DATABASE_URL"] = f"{_pg_server_url()}/{name}"
    try:
        done = _cli(["restore", str(tmp_path / "b")], env)
        assert done.returncode == 0, done.stderr
        assert "database loaded (portable)" in done.stdout
        assert f"{manifest['audit_chain']['count']} entries, the chain is intact" in done.stdout
        assert (tmp_path / "data" / "media" / "company" / "logo.png").exists()
        again = _cli(["restore", str(tmp_path / "b")], env)
        assert again.returncode == 1
        assert "the database is not empty" in again.stderr
        verified = _cli(["audit", "verify"], env)
        assert verified.returncode == 0 and "OK:" in verified.stdout
    finally:
        if "SERVICELOOP_DATABASE_URL" in env:
            with psycopg.connect(_pg_server_url() + "/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_run_left_running_by_a_dead_worker_is_marked_failed(settings):
    """Issue 9: no job stays running forever — a backup run still "running" six hours after
    it started (its worker died) is marked failed by the next sweep, and that is audited."""
    settings.SERVICELOOP_BACKUP_SCHEDULED = False
    now = datetime(2026, 3, 2, 9, 0, tzinfo=SH)
    old = BackupRun.objects.create(started_at=now.replace(hour=2))
    recent = BackupRun.objects.create(started_at=now.replace(hour=8))
    assert scheduled_backup(now) == "off"
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == BackupStatus.FAILED and old.finished_at == now and old.message
    assert recent.status == BackupStatus.RUNNING
    entry = AuditEntry.objects.get(object_type="core.backuprun", object_id=str(old.pk))
    assert entry.actor_label == "system:backup_reaper" and entry.after["status"] == "failed"
    assert verify_chain().ok
