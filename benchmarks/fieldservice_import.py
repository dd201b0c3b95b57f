"""Benchmark: bulk import of service records from XLSX (R-5.9.4, the import of the field-service
app) — how long a large engineer's spreadsheet takes, and what a file with errors costs.

    .venv/bin/python benchmarks/fieldservice_import.py [--rows 5000] [--seed 20261125]
        [--database-url postgres://…]

1. A fresh database in a temporary directory (SQLite; or the empty PostgreSQL database of
   --database-url): the schema, 20
   customers, 10 parts, 4 service engineers and an importing Sales user.
2. An XLSX of `--rows` service records with the Chinese headers (日期, 服务人员, 客户编码,
   配套厂家, 零件号, 车辆, 缺陷, 故障模式, 处理结果, 数量), fixed seed.
3. Times (wall clock, time.perf_counter):
   - check:    the same file with one bad row at the end: every row is parsed and checked,
               nothing is stored (all-or-nothing) — the batch and its error report are kept;
   - import:   the good file: parse + check + store every record with its number and its
               hash-chained audit entry, in one transaction;
   - verify:   `serviceloop audit verify` over the whole chain afterwards.
4. Prints the figures and writes benchmarks/out/fieldservice_import.json.
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
    if database_url:
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

    from django.db import connection

    from serviceloop.core.audit import verify_chain
    from serviceloop.fieldservice import importing
    from serviceloop.fieldservice.models import ServiceRecord

    rng = random.Random(args.seed)
    sales, customers, parts, engineers = seed_world(rng)
    bad = xlsx(args.rows, random.Random(args.seed), customers, parts, engineers, True)
    good = xlsx(args.rows, random.Random(args.seed), customers, parts, engineers, False)

    t0 = time.perf_counter()
    rejected = importing.service_records_import(actor=sales, filename="bad.xlsx", content=bad)
    t_check = time.perf_counter() - t0
    assert rejected.status == "rejected" and not ServiceRecord.objects.exists()

    t0 = time.perf_counter()
    batch = importing.service_records_import(actor=sales, filename="good.xlsx", content=good)
    t_import = time.perf_counter() - t0
    assert batch.imported_rows == args.rows == ServiceRecord.objects.count()

    t0 = time.perf_counter()
    chain = verify_chain()
    t_verify = time.perf_counter() - t0
    assert chain.ok

    result = {
        "rows": args.rows,
        "database": connection.vendor,
        "file_bytes": len(good),
        "check_all_or_nothing_s": round(t_check, 2),
        "errors_found": len(rejected.errors),
        "import_s": round(t_import, 2),
        "rows_per_s": round(args.rows / t_import, 1),
        "audit_entries_verified": chain.checked,
        "verify_s": round(t_verify, 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "fieldservice_import.json").write_text(json.dumps(result, indent=2))
    width = max(len(k) for k in result)
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
