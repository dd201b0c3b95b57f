"""SQLite as configured (issue 9): write-ahead log, so that a long reader — an import checking
a file, an export — never blocks a writer, and a busy timeout instead of failing at once."""

import runpy
import sqlite3

from config.settings import base


def _connect(path):
    conn = sqlite3.connect(path, timeout=1, isolation_level=None)
    for command in base.SQLITE_INIT.split(";"):
        conn.execute(command)
    return conn


def test_the_settings_open_sqlite_in_wal_mode_with_a_busy_timeout(monkeypatch, tmp_path):
    monkeypatch.delenv("SERVICELOOP_DATABASE_URL", raising=False)
    monkeypatch.setenv("SERVICELOOP_DATA_DIR", str(tmp_path))
    fresh = runpy.run_path(base.__file__)  # the base settings as a deployment reads them
    database = fresh["DATABASES"]["default"]
    assert database["ENGINE"].endswith("sqlite3")
    assert database["OPTIONS"]["init_command"] == base.SQLITE_INIT
    assert database["OPTIONS"]["timeout"] >= 10
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in base.SQLITE_INIT


def test_a_long_reader_does_not_block_a_writer(tmp_path):
    path = tmp_path / "wal.sqlite3"
    writer = _connect(path)
    assert writer.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    writer.execute("CREATE TABLE t (x)")
    reader = _connect(path)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)  # a read in progress
    writer.execute("BEGIN IMMEDIATE")  # would wait for the reader (and time out) without WAL
    writer.execute("INSERT INTO t VALUES (1)")
    writer.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)  # its own snapshot
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)
