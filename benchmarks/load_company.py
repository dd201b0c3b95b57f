"""Benchmark: build a large company fast (issue 15, item 1) with `serviceloop.scale`.

    .venv/bin/python benchmarks/load_company.py --scale 0.1 \
        [--database-url postgres://postgres@127.0.0.1:5432/bench] [--keep] [--no-verify]

Scale 1 is the issue's target (10,000 customers, 1,000,000 communications, 1,000,000 warranty
claims, 300,000 complaints with their 8Ds; ≤ 10 minutes on PostgreSQL). Without
--database-url a SQLite file in a temporary directory is used. A PostgreSQL database is
dropped and created again (it must be a throw-away one), then migrated and the demo people
made (`ensure_people`); the load itself is timed per kind of record (wall time, and the CPU
time of this process and its workers). On PostgreSQL the three kinds load in parallel (one
process each; `--serial` for one after the other) and the loaded tables' plain indexes are
built at the end (`--keep-indexes` to maintain them row by row). Then `audit verify` walks the
whole chain (timed apart). Prints a table and
writes benchmarks/out/load_company_<vendor>_<scale>.json and .md. `--keep` leaves the
database (and prints its URL) for `benchmarks/latency.py --database-url …`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def fresh_postgres(url: str) -> None:
    u = urlparse(url)
    name = u.path.lstrip("/")
    base = ["-h", u.hostname or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or ""]
    subprocess.run(["dropdb", "--if-exists", *base, name], check=True)
    subprocess.run(["createdb", *base, name], check=True)


def process_cpu() -> float:
    """CPU seconds of this process and of its ended children (the parallel load's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--no-verify", action="store_true", help="skip the audit chain walk")
    parser.add_argument(
        "--keep-indexes",
        action="store_true",
        help="PostgreSQL: keep the plain indexes during the load (default: built at the end)",
    )
    parser.add_argument(
        "--serial",
        action="store_true",
        help="PostgreSQL: load the three kinds one after the other (default: in parallel)",
    )
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="load_company_")
    os.environ["SERVICELOOP_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if args.database_url:
        fresh_postgres(args.database_url)
        os.environ["SERVICELOOP_DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from serviceloop import scale
    from serviceloop.core.audit import verify_chain

    call_command("migrate", verbosity=0)
    wall, cpu = time.perf_counter(), process_cpu()
    loaded = scale.load(
        args.scale,
        seed=args.seed,
        stdout=sys.stdout,
        parallel=not args.serial,
        rebuild_indexes=not args.keep_indexes,
    )
    wall, cpu = time.perf_counter() - wall, process_cpu() - cpu
    verify_seconds, verified = None, None
    if not args.no_verify:
        started = time.perf_counter()
        verified = verify_chain()
        verify_seconds = time.perf_counter() - started

    rows = dict(loaded.rows, core_auditentry=loaded.audit_entries)
    total = sum(rows.values())
    result = {
        "vendor": connection.vendor,
        "scale": args.scale,
        "sizes": scale.sizes(args.scale),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "parallel": not args.serial and connection.vendor == "postgresql",
        "seconds_by_kind": {k: round(v, 1) for k, v in loaded.seconds.items()},
        "rows": rows,
        "rows_per_second": round(total / wall),
        "audit_verified": None if verified is None else verified.ok,
        "audit_checked": None if verified is None else verified.checked,
        "verify_seconds": None if verify_seconds is None else round(verify_seconds, 1),
        "full_scale_estimate_minutes": round(wall / args.scale / 60, 1),
        "load_average": os.getloadavg()[0],
        "python": platform.python_version(),
    }
    lines = [
        f"## Loader: scale {args.scale} on {connection.vendor}",
        "",
        f"{wall:.1f} s wall, {cpu:.1f} s CPU (this process and its workers), "
        f"{'serial' if args.serial or connection.vendor != 'postgresql' else 'parallel'}, "
        "load average "
        f"{result['load_average']:.1f}; audit chain "
        + (
            "not verified"
            if verified is None
            else f"{'verified' if verified.ok else 'BROKEN'}: {verified.checked:,} entries "
            f"in {verify_seconds:.1f} s"
        ),
        "",
        "| kind | records | seconds | records/s |",
        "|---|---:|---:|---:|",
    ]
    for kind, seconds in loaded.seconds.items():
        n = result["sizes"].get(kind)
        if n is None:  # the indexes built and the ANALYZE at the end
            lines.append(f"| {kind} | | {seconds:.1f} | |")
        else:
            lines.append(f"| {kind} | {n:,} | {seconds:.1f} | {n / seconds:,.0f} |")
    lines += ["", "| table | rows | rows/s (whole load) |", "|---|---:|---:|"]
    for table, n in rows.items():
        lines.append(f"| {table} | {n:,} | {n / wall:,.0f} |")
    lines.append(f"| **all** | {total:,} | {total / wall:,.0f} |")
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(exist_ok=True)
    stem = f"load_company_{connection.vendor}_{args.scale:g}"
    (OUT / f"{stem}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    (OUT / f"{stem}.md").write_text(text + "\n")
    if args.keep:
        print(f"kept: {args.database_url or data_dir}")
    elif args.database_url:
        connection.close()
        u = urlparse(args.database_url)
        subprocess.run(
            ["dropdb", "-h", u.hostname or "", "-U", u.username or "", u.path.lstrip("/")],
            check=False,
        )


if __name__ == "__main__":
    main()
