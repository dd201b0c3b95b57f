"""Backup and restore (issue 13, R-7; ADR 0008).

A backup is a folder:

    manifest.json          format, product version, vendor, created_at, rows per table,
                           the audit chain head, applied migrations, SHA-256 of every file
    database.sqlite3       SQLite: the online backup API's copy, integrity-checked
    database.pgdump        PostgreSQL: `pg_dump -Fc`
    data/<table>.jsonl     every table in dependency order, one JSON array per row (the
                           portable copy: restores into either database)
    media/…                the uploaded files (MEDIA_ROOT)

`make_backup` reads one consistent state while the server runs (SQLite: the portable copy and
the counts are read from the integrity-checked copy; PostgreSQL: pg_dump and the portable copy
share one exported snapshot). `restore_backup` checks every checksum first, refuses a database
that holds records unless forced, loads the native file when the vendor matches (else the
portable copy), restores the files, then compares the row counts and the audit chain head
with the manifest and walks the chain.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

from .audit import verify_chain
from .models.audit import AuditChainHead

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
DATA = "data"
MEDIA = "media"
CHUNK = 5000

# Tables a freshly migrated database already fills (migrations and post-migrate signals) or
# that hold job bookkeeping, not records: a database with rows only there counts as empty.
SEEDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "core.department",
    "core.role",
    "core.auditchainhead",
    "django_tasks_db.dbtaskresult",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def product_version() -> str:
    try:
        return metadata.version("serviceloop")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed in the venv
        return "unknown"


# --- the tables ------------------------------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every table of the project (many-to-many tables included), each after the tables its
    foreign keys point to (a cycle or a self-reference is fine: the keys are checked at
    commit)."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    found.sort(key=lambda m: m._meta.label_lower)
    known = set(found)
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()
    visiting: set[type[models.Model]] = set()

    def place(model: type[models.Model]) -> None:
        if model in placed or model in visiting:
            return
        visiting.add(model)
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target is not None and target in known and target is not model:
                place(target)  # type: ignore[arg-type]
        visiting.discard(model)
        placed.add(model)
        ordered.append(model)

    for m in found:
        place(m)
    return ordered


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _encode(value: Any) -> Any:
    """JSON for what json cannot write itself (datetimes keep their microseconds)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_encode).encode


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            yield Path(dirpath) / name


# --- backup ----------------------------------------------------------------------------------


@dataclass
class Snapshot:
    counts: dict[str, int] = field(default_factory=dict)
    chain: dict[str, Any] = field(default_factory=dict)
    migrations: list[str] = field(default_factory=list)


Rows = Callable[[type[models.Model], list[str]], Iterator[Any]]


def _orm_rows(using: str) -> Rows:
    """Rows as the ORM reads them through connection `using` (PostgreSQL: in the snapshot)."""

    def rows(model: type[models.Model], attnames: list[str]) -> Iterator[Any]:
        qs = model._base_manager.using(using).order_by(model._meta.pk.attname)
        return qs.values_list(*attnames).iterator(chunk_size=CHUNK)

    return rows


def _sqlite_file_rows(source: sqlite3.Connection, using: str) -> Rows:
    """Rows read from the SQLite copy with a plain driver connection, each value converted as
    the ORM converts it (Django's own converters of each column, e.g. decimals quantized)."""
    connection = connections[using]
    qn = connection.ops.quote_name

    def rows(model: type[models.Model], attnames: list[str]) -> Iterator[Any]:
        fields = list(model._meta.concrete_fields)  # `attnames` are theirs, in order
        table = model._meta.db_table
        steps = []
        for i, f in enumerate(fields):
            col = f.get_col(table)
            found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if found:
                steps.append((i, col, found))
        columns = ", ".join(qn(str(f.column)) for f in fields)
        cursor = source.execute(
            f"SELECT {columns} FROM {qn(table)} ORDER BY {qn(str(model._meta.pk.column))}"
        )
        while chunk := cursor.fetchmany(CHUNK):
            for raw in chunk:
                row = list(raw)
                for i, col, converters in steps:
                    for convert in converters:
                        row[i] = convert(row[i], col, connection)
                yield row

    return rows


def _write_portable(rows: Rows, migrations: list[str], folder: Path) -> Snapshot:
    """Every table streamed to data/<label>.jsonl from `rows` (one consistent state); the
    row counts and the audit chain head read in that same state."""
    data = folder / DATA
    data.mkdir()
    snap = Snapshot(migrations=sorted(migrations))
    snap.chain = {"count": 0, "last_hash": AuditChainHead().last_hash}
    for model in backup_models():
        attnames = [f.attname for f in model._meta.concrete_fields]
        n = 0
        with (data / f"{_label(model)}.jsonl").open("w", encoding="utf-8") as out:
            out.write(_DUMPS({"model": _label(model), "fields": attnames}) + "\n")
            for row in rows(model, attnames):
                out.write(_DUMPS(row) + "\n")
                n += 1
                if model is AuditChainHead:
                    values = dict(zip(attnames, row, strict=True))
                    snap.chain = {"count": values["count"], "last_hash": values["last_hash"]}
        snap.counts[_label(model)] = n
    return snap


def _sqlite_native(alias: str, target: Path) -> None:
    """The online backup API: a page-by-page copy that stays consistent while others write."""
    connection: Any = connections[alias]
    if connection.is_in_memory_db():
        connection.ensure_connection()
        source = connection.connection
        own = False
    else:
        source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=20)
        own = True
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        result = copy.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(f"integrity check of the copy failed: {result[:5]}")
    finally:
        copy.close()
        if own:
            source.close()


def _pg_args(connection: Any) -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["-d", str(s["NAME"])]
    if s.get("HOST"):
        args += ["-h", str(s["HOST"])]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", str(s["USER"])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _pg_tool(connection: Any, tool: str) -> str:
    """The client program, refusing one older than the server (it could not read the dump)."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (package postgresql-client)")
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    client = int(out.split()[-1].split(".")[0])
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if client < server:
        raise BackupError(f"{tool} {client} is older than the PostgreSQL server {server}")
    return path


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()[:2000]}")


def make_backup(path: str | Path, *, using: str = "default") -> dict[str, Any]:
    """Write a backup folder at `path` (which must not exist or be empty); its manifest."""
    path = Path(path).resolve()
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"{path} already exists and is not an empty folder")
    work = path.with_name(path.name + ".part")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    connection = connections[using]
    vendor = connection.vendor
    created = timezone.now()
    try:
        if vendor == "sqlite":
            native = SQLITE_FILE
            _sqlite_native(using, work / native)
            source = sqlite3.connect(f"file:{work / native}?mode=ro", uri=True)
            try:
                applied = source.execute("SELECT app, name FROM django_migrations").fetchall()
                snap = _write_portable(
                    _sqlite_file_rows(source, using), [f"{a}.{n}" for a, n in applied], work
                )
            finally:
                source.close()
        elif vendor == "postgresql":
            native = PG_FILE
            snap = _pg_backup(using, work / native, work)
        else:  # pragma: no cover
            raise BackupError(f"backups of {vendor} are not supported")
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, work / MEDIA, dirs_exist_ok=True)
        files = {str(p.relative_to(work)): sha256_file(p) for p in _files(work)}
        manifest = {
            "format": FORMAT,
            "product": "serviceloop",
            "version": product_version(),
            "vendor": vendor,
            "created_at": created.isoformat(),
            "native": native,
            "tables": snap.counts,
            "order": list(snap.counts),
            "audit_chain": snap.chain,
            "migrations": snap.migrations,
            "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        if path.exists():
            path.rmdir()
        work.rename(path)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _pg_backup(using: str, target: Path, work: Path) -> Snapshot:
    """pg_dump and the portable copy from one exported snapshot (REPEATABLE READ)."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("a PostgreSQL backup must not run inside a transaction")
    pg_dump = _pg_tool(connection, "pg_dump")
    args, env = _pg_args(connection)
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        _run(
            [pg_dump, "-Fc", "--no-owner", f"--snapshot={snapshot_id}", "-f", str(target), *args],
            env,
        )
        recorder = MigrationRecorder(connection)
        applied = [f"{a}.{n}" for a, n in recorder.applied_migrations()]
        return _write_portable(_orm_rows(using), applied, work)


# --- verification ------------------------------------------------------------------------------


def read_manifest(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} is not a backup: {MANIFEST} is missing") from None
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} is not valid JSON: {exc}") from None
    if manifest.get("product") != "serviceloop" or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not a ServiceLoop backup of format {FORMAT}")
    return manifest


def verify_files(path: str | Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its checksum, and no other file is."""
    path = Path(path)
    listed: dict[str, str] = manifest["files"]
    present = {str(p.relative_to(path)) for p in _files(path)} - {MANIFEST}
    problems = [f"{name}: missing" for name in sorted(set(listed) - present)]
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(listed))]
    for name in sorted(set(listed) & present):
        if sha256_file(path / name) != listed[name]:
            problems.append(f"{name}: checksum mismatch")
    if problems:
        raise BackupError(
            "the backup does not match its manifest (altered or incomplete): "
            + "; ".join(problems[:10])
        )


def verify_backup(path: str | Path) -> dict[str, Any]:
    """The manifest and every checksum; SQLite: integrity_check of the copy; PostgreSQL:
    pg_restore reads the archive's table of contents."""
    manifest = read_manifest(path)
    verify_files(path, manifest)
    native = Path(path) / manifest["native"]
    if manifest["vendor"] == "sqlite":
        copy = sqlite3.connect(f"file:{native}?mode=ro", uri=True)
        try:
            result = copy.execute("PRAGMA integrity_check").fetchall()
        finally:
            copy.close()
        if result != [("ok",)]:
            raise BackupError(f"integrity check of {manifest['native']} failed: {result[:5]}")
    elif shutil.which("pg_restore"):
        _run([str(shutil.which("pg_restore")), "--list", str(native)], dict(os.environ))
    return manifest


# --- restore ---------------------------------------------------------------------------------


def table_counts(using: str = "default") -> dict[str, int]:
    return {_label(m): m._base_manager.using(using).count() for m in backup_models()}


def holding_records(using: str = "default") -> dict[str, int]:
    """Tables (but the seeded ones) that hold rows: an empty database has none."""
    found = {}
    for m in backup_models():
        if _label(m) in SEEDED:
            continue
        n = m._base_manager.using(using).count()
        if n:
            found[_label(m)] = n
    return found


@dataclass
class RestoreReport:
    method: str
    tables: int
    rows: int
    audit_entries: int


def restore_backup(
    path: str | Path,
    *,
    force: bool = False,
    portable: bool = False,
    using: str = "default",
    progress: Callable[[str], None] | None = None,
) -> RestoreReport:
    """Load the backup at `path` into the database `using`; BackupError on any refusal or
    mismatch (checked before anything is written where it can be)."""
    say = progress or (lambda _msg: None)
    path = Path(path).resolve()
    manifest = read_manifest(path)
    verify_files(path, manifest)
    say("checksums: ok")
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("a restore must not run inside a transaction")
    held = holding_records(using) if _migrated(using) else {}
    if held and not force:
        listed = ", ".join(f"{t} ({n})" for t, n in sorted(held.items())[:5])
        raise BackupError(
            f"the database is not empty: {len(held)} tables hold records ({listed}…). "
            "Restore into an empty database, or pass --force to replace everything in it."
        )
    native = manifest["vendor"] == connection.vendor and not portable
    if native and connection.vendor == "sqlite":
        _sqlite_restore(path / manifest["native"], using)
    elif native:
        _pg_restore(path / manifest["native"], using)
    else:
        _portable_restore(path, manifest, using)
    method = "native" if native else "portable"
    say(f"database loaded ({method})")
    media = path / MEDIA
    if media.is_dir():
        shutil.copytree(media, Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
        say("uploaded files restored")
    counts = table_counts(using)
    wrong = [
        f"{t}: {counts.get(t, 'no such table')} rows, the backup has {n}"
        for t, n in manifest["tables"].items()
        if counts.get(t) != n
    ]
    if wrong:
        raise BackupError("row counts differ from the manifest: " + "; ".join(wrong[:10]))
    say(f"row counts: {len(counts)} tables match")
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    chain = {"count": head.count if head else 0, "last_hash": head.last_hash if head else ""}
    expected = manifest["audit_chain"]
    if expected["count"] and chain != expected:
        raise BackupError(f"audit chain head {chain} differs from the manifest's {expected}")
    result = verify_chain()
    if not result.ok:
        raise BackupError(
            f"audit verify failed after the restore: entry #{result.first_bad_seq}: "
            f"{result.problem}"
        )
    say(f"audit verify: {result.checked} entries, the chain is intact")
    return RestoreReport(method, len(counts), sum(manifest["tables"].values()), result.checked)


def _migrated(using: str) -> bool:
    return MigrationRecorder(connections[using]).has_table()


def _sqlite_restore(native: Path, using: str) -> None:
    connection: Any = connections[using]
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{native}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    if not connection.is_in_memory_db():
        connection.connection.execute("PRAGMA journal_mode=WAL")  # the copy was made DELETE


def _pg_restore(native: Path, using: str) -> None:
    connection = connections[using]
    pg_restore = _pg_tool(connection, "pg_restore")
    args, env = _pg_args(connection)
    connection.close()  # hold no lock on the tables pg_restore drops
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            *args,
            str(native),
        ],
        env,
    )


def _portable_restore(path: Path, manifest: dict[str, Any], using: str) -> None:
    """Migrate the schema, then every table's rows from data/*.jsonl in one transaction."""
    call_command("migrate", database=using, interactive=False, verbosity=0)
    connection = connections[using]
    recorder = MigrationRecorder(connection)
    have = {f"{a}.{n}" for a, n in recorder.applied_migrations()}
    unknown = sorted(set(manifest["migrations"]) - have)
    if unknown:
        raise BackupError(
            "the backup was made by a newer version (migrations unknown here: "
            + ", ".join(unknown[:5])
            + "); upgrade before restoring"
        )
    by_label = {_label(m): m for m in backup_models()}
    qn = connection.ops.quote_name
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            for model in reversed(list(by_label.values())):
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")
        for label in manifest["order"]:
            if label not in by_label:
                raise BackupError(f"table {label} of the backup does not exist here")
            _load_table(by_label[label], path / DATA / f"{label}.jsonl", connection)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(by_label.values())):
                    cursor.execute(sql)


def _converter(f: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    """What turns a value of the JSON lines into what the driver takes for field `f`."""
    sqlite = connection.vendor == "sqlite"
    if isinstance(f, models.JSONField):
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        return lambda v: None if v is None else dumps(v)
    if isinstance(f, models.DateTimeField):
        if sqlite:
            adapt = connection.ops.adapt_datetimefield_value
            return lambda v: None if v is None else adapt(datetime.fromisoformat(v))
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(f, models.DecimalField):
        if sqlite:
            return lambda v: None if v is None else str(Decimal(v))
        return lambda v: None if v is None else Decimal(v)
    if isinstance(
        f,
        models.CharField
        | models.TextField
        | models.IntegerField
        | models.BooleanField
        | models.ForeignKey
        | models.FloatField,
    ) and not isinstance(f, models.UUIDField | models.GenericIPAddressField):
        return None
    return lambda v: f.get_db_prep_save(f.to_python(v), connection)


def _load_table(model: type[models.Model], file: Path, connection: Any) -> None:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    with file.open(encoding="utf-8") as lines:
        header = json.loads(next(lines))
        names = [n for n in header["fields"] if n in fields]
        keep = [i for i, n in enumerate(header["fields"]) if n in fields]
        missing = [f for n, f in fields.items() if n not in header["fields"]]
        extra = [(f.attname, f.get_db_prep_save(f.get_default(), connection)) for f in missing]
        convert = [_converter(fields[n], connection) for n in names]
        steps = [(i, c) for i, c in enumerate(convert) if c is not None]
        columns = [str(fields[n].column) for n in names] + [str(fields[n].column) for n, _ in extra]
        tail = [v for _, v in extra]
        batch: list[list[Any]] = []
        writer = _writer(model, columns, connection)
        for line in lines:
            raw = json.loads(line)
            row = [raw[i] for i in keep] if len(keep) != len(raw) else raw
            for i, c in steps:
                row[i] = c(row[i])
            batch.append(row + tail if tail else row)
            if len(batch) >= CHUNK:
                writer(batch)
                batch = []
        if batch:
            writer(batch)


def _writer(
    model: type[models.Model], columns: list[str], connection: Any
) -> Callable[[list[list[Any]]], None]:
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    cols = ", ".join(qn(c) for c in columns)
    connection.ensure_connection()
    if connection.vendor == "postgresql":

        def copy(rows: list[list[Any]]) -> None:
            raw = connection.connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as out:
                for r in rows:
                    out.write_row(r)

        return copy
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['?'] * len(columns))})"

    def insert(rows: list[list[Any]]) -> None:
        connection.connection.executemany(sql, rows)

    return insert
