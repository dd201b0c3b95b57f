"""Benchmark: importing service records from XLSX through the import engine (R-5.9.4;
issue 8: 5,000 rows in ≤ 3 s) — and what a file with an error costs.

    .venv/bin/python benchmarks/fieldservice_import.py [--rows 5000] [--seed 20261125]
        [--database-url postgres://…/imports_bench]

1. A fresh database in a temporary directory (SQLite; or the PostgreSQL database of
   --database-url, dropped and created again): the schema, 20 customers, 10 parts, 4
   service engineers and an importing Sales user.
2. An XLSX of `--rows` service records with the Chinese headers (日期, 服务人员, 客户编码,
   配套厂家, 零件号, 车辆, 缺陷, 故障模式, 处理结果, 数量), fixed seed.
3. Times (wall clock and CPU of this process) the import job as the worker runs it:
   - check:    the same file with one bad row at the end (all-or-nothing): every row is
               parsed and checked, nothing is stored, the job waits as "checked";
   - import:   the good file: check, then store every record with its number and its
               hash-chained audit entry;
   - verify:   `serviceloop audit verify` over the whole chain afterwards.
4. Prints the figures and writes benchmarks/out/fieldservice_import[_postgresql].json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
HEAD = [
    "日期",
    "服务人员",
    "客户编码",
    "配套厂家",
    "零件号",
    "车辆",
    "缺陷",
    "故障模式",
    "处理结果",
    "数量",
]
MODES = ["漏油", "异响", "断裂", "阻尼失效", "磨损", "松动", "外观缺陷"]
OUTCOMES = ["已更换", "已修复", "退回", "调整", "待处理"]
DEFECTS = ["油封渗油", "衬套磨损异响", "耳环断裂", "阻尼力下降", "活塞杆镀层磨损", "螺栓松动"]


def setup(database_url: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="fs-bench-")
    os.environ["SERVICELOOP_DATA_DIR"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ.pop("SERVICELOOP_DATABASE_URL", None)
    if database_url:
        import psycopg

        base, _, name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["SERVICELOOP_DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_world(rng: random.Random):
    from serviceloop.core.testing.factories import CustomerFactory, user_with
    from serviceloop.fieldservice.models import Part

    customers = [CustomerFactory(code=f"B{i:03d}", tier="oem_tier1") for i in range(20)]
    parts = [
        Part.objects.create(part_number=f"SA-{1000 + i}", name=f"减振器{i}") for i in range(10)
    ]
    engineers = [user_with("service_engineer", username=f"beng{i}") for i in range(4)]
    return user_with("sales", username="bsales"), customers, parts, engineers


def xlsx(rows: int, rng: random.Random, customers, parts, engineers, bad_last: bool) -> bytes:
    from django.utils import timezone
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEAD)
    today = timezone.localdate()
    for i in range(rows):
        ws.append(
            [
                (today - timedelta(days=rng.randint(1, 180))).isoformat(),
                rng.choice(engineers).username,
                rng.choice(customers).code,
                "华北重型汽车集团",
                rng.choice(parts).part_number,
                f"HN{rng.randint(1000, 9999)}",
                f"{rng.choice(DEFECTS)} #{i}",
                rng.choice(MODES),
                rng.choice(OUTCOMES),
                rng.choice([1, 1, 1, 2]),
            ]
        )
    if bad_last:
        ws.append([today.isoformat(), "nobody", "B000", "x", "NOPE", "v", "d", "漏油", "已更换", 0])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    setup(args.database_url)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.urls import reverse

    from serviceloop.core.audit import verify_chain
    from serviceloop.core.importing import jobs
    from serviceloop.core.importing.services import import_create
    from serviceloop.fieldservice.models import ServiceRecord

    rng = random.Random(args.seed)
    sales, customers, parts, engineers = seed_world(rng)
    bad = xlsx(args.rows, random.Random(args.seed), customers, parts, engineers, True)
    good = xlsx(args.rows, random.Random(args.seed), customers, parts, engineers, False)

    def run(name: str, content: bytes) -> tuple[Any, float, float]:
        job = import_create(
            actor=sales,
            kind="service-records",
            upload=SimpleUploadedFile(name, content),
            enqueue=False,
        )
        # A running worker has its URLconf loaded already (the job's notification links to
        # its page); a fresh process would pay about a second for it in the first job.
        reverse("imports:index")
        started, cpu = time.perf_counter(), time.process_time()
        jobs.run(job.pk)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        job.refresh_from_db()
        return job, wall, cpu

    rejected, t_check, cpu_check = run("bad.xlsx", bad)
    assert rejected.status == "checked" and not ServiceRecord.objects.exists()
    job, t_import, cpu_import = run("good.xlsx", good)
    assert job.status == "done" and job.rows_created == args.rows == ServiceRecord.objects.count()

    t0 = time.perf_counter()
    chain = verify_chain()
    t_verify = time.perf_counter() - t0
    assert chain.ok

    result = {
        "rows": args.rows,
        "database": connection.vendor,
        "file_bytes": len(good),
        "check_all_or_nothing_s": round(t_check, 2),
        "check_cpu_s": round(cpu_check, 2),
        "errors_found": rejected.error_count,
        "import_s": round(t_import, 2),
        "import_cpu_s": round(cpu_import, 2),
        "rows_per_s": round(args.rows / t_import, 1),
        "audit_entries_verified": chain.checked,
        "verify_s": round(t_verify, 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    stem = "fieldservice_import" + ("_postgresql" if args.database_url else "")
    (OUT / f"{stem}.json").write_text(json.dumps(result, indent=2))
    width = max(len(k) for k in result)
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
