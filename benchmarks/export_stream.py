"""Benchmark (issue 15): an XLSX export of 100,000 rows — time and peak RSS (target ≤ 20 s,
≤ 200 MB), the streamed writer (core.exports.xlsx_response: write-only workbook to a temporary
file) against the former in-memory workbook (core.exports.xlsx_bytes), each in its own process
so that its peak memory is its own.

    .venv/bin/python benchmarks/export_stream.py [--rows 100000] [--only stream|memory]

Rows are made on the fly like a claim register's (14 columns: numbers, Chinese text, dates,
datetimes, decimals), so the figure is the writer's, not the database's (the views read their
querysets with `.iterator(chunk_size=…)` / core.exports.rows_of).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

HEADERS = [
    "编号", "客户", "零件号", "序列号", "批次", "VIN", "失效模式", "失效日期",
    "报告日期", "里程", "金额", "状态", "决定", "登记时间",
]  # fmt: skip


def rows(n: int):
    start = datetime(2025, 1, 1, 8, 0)
    for i in range(n):
        yield [
            f"WC-2025-{i:07d}",
            f"客户{i % 1000:04d} 汽车零部件有限公司",
            f"P-{i % 500:05d}",
            f"SN{i:010d}",
            f"L{i % 3000:06d}",
            f"LSV{i:014d}",
            "减振器漏油，行驶中异响" if i % 3 else '=HYPERLINK("x")',
            date(2025, 1, 1) + timedelta(days=i % 365),
            date(2025, 2, 1) + timedelta(days=i % 365),
            (i * 37) % 150_000,
            Decimal(i % 9000) / 7,
            "已登记",
            "保修内",
            start + timedelta(minutes=i),
        ]


def child(kind: str, n: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from serviceloop.core import exports

    t0, c0 = time.perf_counter(), time.process_time()
    if kind == "stream":
        size = len(exports.xlsx_response("x.xlsx", "claims", HEADERS, rows(n)).content)
    else:
        size = len(exports.xlsx_bytes("claims", HEADERS, rows(n)))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{kind}\t{n}\t{wall:.1f}\t{cpu:.1f}\t{rss:.0f}\t{size / 1e6:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--only", choices=["stream", "memory"])
    parser.add_argument("--child", choices=["stream", "memory"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return
    print("writer\trows\twall s\tcpu s\tpeak RSS MB\tfile MB")
    for kind in [args.only] if args.only else ["stream", "memory"]:
        subprocess.run(
            [sys.executable, __file__, "--child", kind, "--rows", str(args.rows)], check=True
        )


if __name__ == "__main__":
    main()
