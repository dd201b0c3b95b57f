"""Benchmark: backup and restore of a database holding 1,000,000 audit entries (issue 13).

    .venv/bin/python benchmarks/backup_restore.py [--entries 1000000]
        [--database-url postgres://postgres@127.0.0.1:5432/backup_bench]

1. Builds a fresh database (SQLite in a temporary directory unless --database-url, whose
   database is dropped and created again, as is `<name>_restore`): the schema, then
   `--entries` hash-chained audit entries appended through `core.audit.audit_append_many`
   in batches (what an import writes), plus one uploaded file.
2. Times, each phase in its own process (as an administrator runs the commands):
   - backup:            `make_backup` (native copy + portable copy + files + manifest);
   - restore native:    `restore_backup` into an empty database of the same vendor
                        (SQLite online backup API / pg_restore), then counts + audit verify;
   - restore portable:  the same from the portable copy (the path a move SQLite →
                        PostgreSQL takes), into another empty database.
   Each restore is split into its stages (checksums, load, counts, audit verify) from the
   progress messages. Wall time (time.perf_counter); the machine is shared, so the load
   average is printed with the figures.
3. Prints a table and writes benchmarks/out/backup_restore[_postgresql].json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
BATCH = 50_000


def claim_entries(first: int, n: int) -> Any:
    """`n` audit entries shaped like a warranty claim's creation, numbered from `first` (the
    entry shape the audit benchmarks share)."""
    return (
        (
            "create",
            "warranty.warrantyclaim",
            str(i),
            f"索赔 WC-{i:07d}",
            None,
            {
                "id": i,
                "number": f"WC-{i:07d}",
                "customer_id": i % 30 + 1,
                "part": "SA-2041 前减振器",
                "failure": "漏油",
                "amount": f"{i % 9973}.50",
                "failed_on": "2026-03-14",
            },
        )
        for i in range(first, first + n)
    )


def _setup(data_dir: Path, url: str | None) -> None:
    os.environ["SERVICELOOP_DATA_DIR"] = str(data_dir)
    os.environ["SERVICELOOP_LOG_FORMAT"] = "text"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if url:
        os.environ["SERVICELOOP_DATABASE_URL"] = url
    else:
        os.environ.pop("SERVICELOOP_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)


def _recreate_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def phase_build(entries: int) -> dict[str, Any]:
    from datetime import UTC, datetime, timedelta

    from django.conf import settings
    from django.core.management import call_command

    from serviceloop.core.audit import audit_append_many

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate = time.perf_counter() - t0
    start = datetime(2026, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    done = 0
    while done < entries:
        n = min(BATCH, entries - done)
        rows = claim_entries(done + 1, n)
        audit_append_many(
            actor=None,
            entries=rows,
            system="benchmark",
            at=start + timedelta(seconds=done),
        )
        done += n
    media = Path(settings.MEDIA_ROOT) / "company"
    media.mkdir(parents=True, exist_ok=True)
    (media / "logo.png").write_bytes(os.urandom(200_000))
    return {"migrate_s": migrate, "append_s": time.perf_counter() - t0, "entries": done}


def phase_backup(path: str) -> dict[str, Any]:
    from serviceloop.core.backup import make_backup

    t0 = time.perf_counter()
    manifest = make_backup(path)
    wall = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())
    native = Path(path) / manifest["native"]
    portable = sum(p.stat().st_size for p in (Path(path) / "data").iterdir())
    return {
        "backup_s": wall,
        "size_mb": size / 1e6,
        "native_mb": native.stat().st_size / 1e6,
        "portable_mb": portable / 1e6,
        "audit_entries": manifest["audit_chain"]["count"],
    }


def phase_restore(path: str, portable: bool) -> dict[str, Any]:
    from django.core.management import call_command

    from serviceloop.core.backup import restore_backup

    if portable:  # an empty, migrated database (restore's own `migrate` finds nothing to do)
        call_command("migrate", interactive=False, verbosity=0)
    # native: an empty database as created (the native copy brings its schema)
    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    report = restore_backup(
        path, portable=portable, progress=lambda m: marks.append((m, time.perf_counter()))
    )
    total = time.perf_counter() - t0
    stages: dict[str, float] = {}
    last = t0
    for message, at in marks:
        key = message.split(":")[0].split(" (")[0]
        stages[key] = at - last
        last = at
    return {
        "restore_s": total,
        "method": report.method,
        "checksums_s": stages.get("checksums", 0.0),
        "load_s": stages.get("database loaded", 0.0) + stages.get("uploaded files restored", 0.0),
        "counts_s": stages.get("row counts", 0.0),
        "verify_s": stages.get("audit verify", 0.0),
        "audit_entries": report.audit_entries,
    }


def _child(args: list[str], env_dir: Path, url: str | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", *args, "--data-dir", str(env_dir)]
    if url:
        cmd += ["--database-url", url]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"phase {args} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{args[0]}: {json.dumps(result)}", flush=True)  # each phase as it ends
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--child")
    parser.add_argument("--path")
    parser.add_argument("--portable", action="store_true")
    parser.add_argument("--data-dir")
    parser.add_argument(
        "--no-portable", action="store_true", help="skip the portable restore (saves time)"
    )
    args = parser.parse_args()

    if args.child:
        _setup(Path(args.data_dir), args.database_url)
        if args.child == "build":
            result = phase_build(args.entries)
        elif args.child == "backup":
            result = phase_backup(args.path)
        else:
            result = phase_restore(args.path, args.portable)
        print(json.dumps(result))
        return

    url = args.database_url
    vendor = "postgresql" if url else "sqlite"
    work = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    try:
        targets = {
            "source": (work / "source", url),
            "native": (work / "native", f"{url}_restore" if url else None),
            "portable": (work / "portable", f"{url}_portable" if url else None),
        }
        for _dir, target_url in targets.values():
            if target_url:
                _recreate_pg(target_url)
        load = os.getloadavg()
        build = _child(["build", "--entries", str(args.entries)], *targets["source"])
        backup = _child(["backup", "--path", str(work / "backup")], *targets["source"])
        native = _child(["restore", "--path", str(work / "backup")], *targets["native"])
        portable = (
            None
            if args.no_portable
            else _child(
                ["restore", "--path", str(work / "backup"), "--portable"], *targets["portable"]
            )
        )
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "vendor": vendor,
        "entries": build["entries"],
        "load_average_before": load,
        "load_average_after": load_after,
        "build": build,
        "backup": backup,
        "restore_native": native,
        "restore_portable": portable,
    }
    rows = [
        ("build: append audit entries", build["append_s"], ""),
        (
            "backup (native + portable + manifest)",
            backup["backup_s"],
            f"{backup['size_mb']:.0f} MB (native {backup['native_mb']:.0f} MB, "
            f"portable {backup['portable_mb']:.0f} MB)",
        ),
    ]
    for name, r in (("native", native), ("portable", portable)):
        if r is None:
            continue
        rows.append(
            (
                f"restore {name}",
                r["restore_s"],
                f"checksums {r['checksums_s']:.1f} s, load {r['load_s']:.1f} s, "
                f"counts {r['counts_s']:.1f} s, audit verify {r['verify_s']:.1f} s",
            )
        )
    print(
        f"\n{vendor}: {build['entries']:,} audit entries; load average {load[0]:.1f} before, "
        f"{load_after[0]:.1f} after; {os.cpu_count()} CPUs"
    )
    print(f"{'phase':40} {'wall s':>8}  detail")
    for name, seconds, detail in rows:
        print(f"{name:40} {seconds:8.1f}  {detail}")
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "" if vendor == "sqlite" else "_postgresql"
    (OUT / f"backup_restore{suffix}.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
