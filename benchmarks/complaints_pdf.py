"""Benchmark: render a large 8D report (≥ 20 pages) as PDF and report pages, bytes, seconds.

    .venv/bin/python benchmarks/complaints_pdf.py [--runs 3] [--scale 1.0] [--out FILE]

Builds, in a throw-away in-memory SQLite database and through the real services, one 8D with
a full team, containment at every location, many root causes with 5-why analyses traced to
work stations, operators and inspectors, and many action items done and verified — the shape
of a long 8D on a recurring field problem — then times `documents.pdf.eightd_pdf` (template
rendering + WeasyPrint layout + font subsetting with Noto Sans CJK SC). The first run pays for
loading the fonts; the median of the later runs is the steady state.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.pop("SERVICELOOP_DATABASE_URL", None)  # always the in-memory database

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

WHY = (
    "为什么漏油?油封唇口损伤。为什么唇口损伤?压装时油封偏斜。为什么偏斜?压装导向套磨损、"
    "定位间隙超出 0.2 mm。为什么磨损未发现?设备点检表未包含导向套尺寸。为什么点检表遗漏?"
    "设备变更后未同步更新点检标准。"
)
LOCATIONS = ["customer_stock", "in_transit", "finished_goods", "in_production", "supplier"]
CATEGORIES = ["man", "machine", "material", "method", "measurement", "environment"]


def build(scale: float):
    from serviceloop.complaints import services
    from serviceloop.complaints.tests.factories import open_report, register_complaint
    from serviceloop.core.testing.factories import CustomerFactory, user_with

    quality = user_with("quality")
    sales = user_with("sales")
    team = [user_with(r) for r in ("production", "technical", "production_quality", "rnd")]
    complaint = register_complaint(
        sales,
        CustomerFactory(name="华北重型汽车集团有限公司"),
        received_at=timezone.now() - timedelta(days=20),
        in_production=True,
        description="前减振器批量漏油:三个月内顾客总装线及售后共反馈 46 件,集中在 L2026-03 至 "
        "L2026-05 批次,漏油位置均为活塞杆油封处。" * 3,
    )
    report = open_report(complaint, leader=quality)
    for person in team:
        services.team_add(actor=quality, report=report, user=person, responsibility="分析与实施")
    services.discipline_update(
        actor=quality,
        report=report,
        code="d2",
        problem_statement=complaint.description,
        d2_what="活塞杆油封漏油",
        d2_where="顾客总装线、售后网点",
        d2_when="2026 年 3 月起",
        d2_who="顾客质量部、服务站",
        d2_how="淋雨试验及用户反馈",
        d2_how_many="46 件",
    )
    n = max(1, int(12 * scale))
    for i in range(n):
        c = services.containment_add(
            actor=quality,
            report=report,
            location=LOCATIONS[i % len(LOCATIONS)],
            action=f"第 {i + 1} 批:对同批次产品全部隔离、挑选、标识,并按返工规范更换油封。",
            owner=team[0],
            quantity_checked=500 + i,
            quantity_found=3,
            quantity_isolated=500 + i,
            quantity_tagged=3,
            quantity_reworked=3,
        )
        services.containment_done(actor=team[0], containment=c, result="已完成隔离与返工")
        services.containment_reinspect(actor=quality, containment=c, passed=True, note="复检合格")
    causes = []
    for i in range(int(40 * scale)):
        causes.append(
            services.cause_add(
                actor=quality,
                report=report,
                kind="occurrence" if i % 3 else "escape",
                category=CATEGORIES[i % len(CATEGORIES)],
                description=f"原因 {i + 1}:导向套磨损,压装偏斜导致油封唇口损伤(设备 YF-{i:02d})。",
                why_analysis=WHY,
                work_station=f"油封压装 {i % 4 + 1} 号工位",
                operator=f"操作者{i % 7}",
                inspector=f"检验员{i % 3}",
                process_card_ref=f"GY-{100 + i}",
                production_report_ref=f"SC-2026-{i:03d}",
                inspection_record_ref=f"JY-2026-{i:03d}",
            )
        )
    for i in range(int(90 * scale)):
        code = ("d5", "d7")[i % 2]
        kind = ("corrective", "work_instruction", "preventive", "training")[i % 4]
        item = services.action_add(
            actor=quality,
            report=report,
            discipline=code,
            kind=kind,
            description=f"措施 {i + 1}:更换导向套并将其尺寸纳入日点检,压装机加装偏斜检测与报警,"
            "修订作业指导书与控制计划,对操作者和检验员培训考核。",
            owner=team[i % 2],
            due_at=timezone.now() + timedelta(days=10),
            root_cause=causes[i % len(causes)],
        )
        services.action_complete(
            actor=team[i % 2],
            action=item,
            result="已实施,连续三批跟踪无泄漏。",
            document_ref=f"WI-{i:03d} B→C",
            trainees="操作者0、检验员1",
        )
        if item.needs_verification:
            services.action_verify(
                actor=quality,
                action=item,
                effective=True,
                note="跟踪三批共 1500 件,气密检测全部合格。",
            )
    for code in ("d0", "d6", "d7"):
        services.discipline_update(actor=quality, report=report, code=code, summary=WHY)
    return report


def pages_of(pdf: bytes) -> int:
    try:
        out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
        for line in out.stdout.decode().splitlines():
            if line.startswith("Pages:"):
                return int(line.split()[1])
    except (OSError, subprocess.CalledProcessError):
        pass
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from serviceloop.complaints.documents.pdf import eightd_pdf

    started = time.perf_counter()
    report = build(args.scale)
    report.refresh_from_db()
    built = time.perf_counter() - started
    times, cpu, pdf = [], [], b""
    for _ in range(max(1, args.runs)):
        t, c = time.perf_counter(), time.process_time()
        pdf = eightd_pdf(report)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    if args.out:
        Path(args.out).write_bytes(pdf)
    steady = statistics.median(times[1:]) if len(times) > 1 else times[0]
    print(
        f"8D report {report.number}: {report.root_causes.count()} root causes, "
        f"{report.actions.count()} action items, {report.containments.count()} containments "
        f"(built in {built:.1f} s)"
    )
    pages = pages_of(pdf)
    print(f"pages   {pages}" + ("" if pages >= 20 else "  (fewer than 20: raise --scale)"))
    print(f"bytes   {len(pdf)} ({len(pdf) / 1024:.0f} KiB)")
    print(
        f"seconds first {times[0]:.2f}, steady (median of the rest) {steady:.2f}, "
        f"all {[round(t, 2) for t in times]}"
    )
    cpu_steady = statistics.median(cpu[1:]) if len(cpu) > 1 else cpu[0]
    print(f"cpu s   first {cpu[0]:.2f}, steady {cpu_steady:.2f} (this process only)")


if __name__ == "__main__":
    main()
