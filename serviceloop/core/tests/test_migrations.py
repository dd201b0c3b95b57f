"""The migrations build a working database from nothing (the suites' own test databases are
made from the models, see config/settings/test.py): `serviceloop migrate` on a new SQLite
file, as `make run` does, seeds the roles and departments and leaves nothing to migrate. The
same from nothing on PostgreSQL is the backup move test (a restore migrates its target)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_migrate_from_nothing_on_sqlite(tmp_path):
    drop = {"SERVICELOOP_DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["SERVICELOOP_DATA_DIR"] = str(tmp_path)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "serviceloop.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    done = cli("migrate", "--noinput", "-v0")
    assert done.returncode == 0, done.stderr
    planned = cli("migrate", "--plan")
    assert planned.returncode == 0 and "No planned migration operations." in planned.stdout
    files = list(tmp_path.rglob("*.sqlite3"))
    assert len(files) == 1, files
    with sqlite3.connect(files[0]) as db:
        assert db.execute("SELECT count(*) FROM core_role").fetchone()[0] == 16
        assert db.execute("SELECT count(*) FROM core_department").fetchone()[0] >= 9
