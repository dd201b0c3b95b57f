"""Demo data of the early warning: production volumes of the demo part numbers (the build
months of the warranty demo's claims), 24 months of purchase volumes of the 30 demo
customers with one customer clearly dropping, customer-satisfaction surveys with one
customer drifting down and monthly end-user surveys - all imported through the import
service as Sales and Quality would - then the analysis run, and one alert taken through to
the written report issued to Sales.

Idempotent: nothing is added when the data is already there.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from serviceloop.core.demo import demo_users
from serviceloop.core.importing.services import import_now
from serviceloop.core.models import User
from serviceloop.customers.models import Customer, Tier

from . import services
from .importing import KINDS
from .models import (
    Alert,
    AlertKind,
    AlertStatus,
    AnalysisRun,
    FailureAnalysisReport,
    ProductionVolume,
    PurchaseVolume,
    RunStatus,
    SurveyResponse,
)
from .stats.claims_monitor import month_label, month_ordinal

PARTS = {
    "SA-2041": ("前减振器", 1600),
    "SA-2042": ("后减振器", 1500),
    "SA-2105": ("驾驶室减振器", 800),
    "SA-3310": ("座椅减振器", 600),
    "CR-1120": ("连杆", 2400),
}
DROPPING = "C004"  # 南方商用车: buys much less for the last 6 months
DRIFTING = "C002"  # 长江汽车: satisfaction falling for the last 3 survey rounds
PRICE = {"oem_tier1": 260, "oem_tier2": 240, "retail_key": 300, "retail": 340}
BASE = {
    "oem_tier1": (900, 2600),
    "oem_tier2": (300, 800),
    "retail_key": (90, 260),
    "retail": (20, 70),
}
COMMENTS_GOOD = ["产品质量稳定", "服务响应及时", "", "", "希望缩短交货期", "包装可以再改进"]
COMMENTS_BAD = ["最近减振器异响投诉增多", "交货不及时,影响装车", "售后处理慢", "质量不如以前"]


def _xlsx(kind: str, rows: list[list[Any]], name: str) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.header for c in next(k for k in KINDS if k.name == kind).columns])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def _claim_cohorts() -> tuple[set[tuple[str, str]], Counter[tuple[str, str]]]:
    from serviceloop.warranty.selectors import claims_for_analysis

    rows = claims_for_analysis()
    seen = {(r.part_number, r.build_month) for r in rows if r.part_number and r.build_month}
    counted = Counter(
        (r.part_number, r.build_month)
        for r in rows
        if r.build_month and r.decision in ("covered", "needs_review")
    )
    return seen, counted


def _production_rows(rng: random.Random, current: int) -> list[list[Any]]:
    _seen, counted = _claim_cohorts()
    # The warranty demo's claims cover the last 18 months: volumes start where a build
    # month's whole time in service is covered by claims.
    first = current - 18
    # A short run after a tooling change: the part/build month with the most claims among
    # cohorts at least 5 months in service gets a quarter of the usual volume.
    candidates = [
        (n, p, m)
        for (p, m), n in counted.items()
        if p in PARTS and first <= month_ordinal(m) <= current - 6
    ]
    short = max(candidates)[1:] if candidates else ("SA-2041", month_label(current - 9))
    rows = []
    for part, (name, base) in PARTS.items():
        for o in range(first, current):
            month = month_label(o)
            season = 0.75 if o % 12 in (0, 1) else 1.0  # Spring Festival
            qty = int(round(base * season * rng.uniform(0.9, 1.1), -1))
            note = ""
            if (part, month) == short:
                qty, note = int(round(base / 4, -1)), "模具更换后小批量生产"
            rows.append([part, name, month, qty, note])
    return rows


def _purchase_rows(rng: random.Random, customers: list[Customer], current: int) -> list[list[Any]]:
    rows = []
    for c in customers:
        lo, hi = BASE[c.tier]
        level = rng.uniform(lo, hi)
        price = PRICE[c.tier] * rng.uniform(0.9, 1.1)
        for o in range(current - 24, current):
            season = 0.7 if o % 12 in (0, 1) else 1.0
            factor = 0.42 if c.code == DROPPING and o >= current - 6 else 1.0
            qty = max(0, int(rng.gauss(level * season * factor, level * 0.08)))
            rows.append([c.code, month_label(o), qty, round(qty * price, 2)])
    return rows


def _survey_rows(rng: random.Random, customers: list[Customer], current: int) -> list[list[Any]]:
    rows = []
    surveyed = [c for c in customers if c.tier != Tier.RETAIL]
    rounds = [current - 22 + 3 * i for i in range(8)]  # quarterly, the last in the latest quarter
    for c in surveyed:
        five_point = c.tier == Tier.RETAIL_KEY
        base = rng.uniform(82, 90)
        for i, o in enumerate(rounds):
            drift = {5: 8, 6: 16, 7: 24}.get(i, 0) if c.code == DRIFTING else 0
            day = f"{month_label(o)}-{rng.randint(5, 25):02d}"
            for _k in range(rng.choice([2, 3, 3])):
                score = min(100.0, max(0.0, rng.gauss(base - drift, 5)))
                comment = rng.choice(COMMENTS_BAD if drift else COMMENTS_GOOD)
                who = f"{rng.choice('赵钱孙李周吴郑王')}{rng.choice(['经理', '工程师', '主管'])}"
                if five_point:
                    rows.append(
                        [
                            "客户满意度",
                            c.code,
                            day,
                            max(1, min(5, round(1 + score / 25))),
                            5,
                            who,
                            comment,
                        ]
                    )
                else:
                    rows.append(["客户满意度", c.code, day, round(score), 100, who, comment])
    for o in range(current - 24, current):
        for _k in range(12):
            score = max(1, min(5, round(rng.gauss(4.1, 0.7))))
            rows.append(
                ["最终用户", "", f"{month_label(o)}-{rng.randint(1, 28):02d}", score, 5, "", ""]
            )
    return rows


def _bad_purchase_file(customers: list[Customer], current: int) -> SimpleUploadedFile:
    month = month_label(current - 1)
    rows = [[c.code, month, 100 + i, 100 * (i + 1) * 250] for i, c in enumerate(customers[:8])]
    rows[2][2] = -40  # a negative quantity
    rows[5][0] = "C099"  # an unknown customer
    rows[6][3] = "约三万"  # not a number
    return _xlsx("purchase-volumes", rows, f"{month}客户采购量-补录.xlsx")


def _run_analysis() -> AnalysisRun:
    queued = AnalysisRun.objects.filter(status=RunStatus.QUEUED).order_by("queued_at").first()
    if queued is None:
        queued = services.run_request(actor=None, trigger="import", source="demo", enqueue=False)
    services.execute_run(queued.pk)
    queued.refresh_from_db()
    return queued


def _work_one_alert(people: dict[str, User]) -> FailureAnalysisReport | None:
    quality = people["quality1"]
    order = [AlertKind.WARRANTY_CLAIMS, AlertKind.PURCHASE_DROP, AlertKind.SATISFACTION]
    alert = None
    for kind in order:
        alert = (
            Alert.objects.filter(kind=kind, status=AlertStatus.NEW).order_by("-severity").first()
        )
        if alert is not None:
            break
    if alert is None:
        return None
    alert = services.alert_acknowledge(actor=quality, alert=alert, note="已安排返件拆检。")
    report = services.report_draft(actor=quality, alert=alert)
    causes = report.causes.split("\n")[0] + "\n" if report.causes else ""
    pareto = alert.evidence.get("pareto") or [{"mode": "异响"}]
    top = pareto[0]["mode"]
    report = services.report_update(
        actor=quality,
        report=report,
        causes=causes
        + f"返件拆检:主要失效模式为“{top}”;该批次正值模具更换后小批量生产,首批使用新供应商的"
        "衬套,初步判断与衬套来料尺寸超差及装配工装调整不到位有关。",
        actions=report.actions
        + "\n5. 对新供应商衬套加严进货检验(AQL 0.65),装配工装每班点检并记录。",
    )
    report = services.report_issue(actor=quality, report=report)
    other = Alert.objects.filter(status=AlertStatus.NEW).exclude(pk=alert.pk).first()
    if other is not None:
        services.alert_acknowledge(actor=quality, alert=other, note="正在分析。")
    return report


def run(*, rng: random.Random, stdout: Any = None) -> None:
    people = demo_users("quality1", "sales1")
    if len(people) < 2:
        return
    customers = list(Customer.objects.filter(code__regex=r"^C0[0-3]\d$").order_by("code"))
    if not customers:
        return
    local = random.Random(5402)  # the early-warning demo does not depend on other demos' draws
    current = timezone.localdate().year * 12 + timezone.localdate().month - 1
    made = []
    if not ProductionVolume.objects.exists():
        upload = _xlsx(
            "production-volumes", _production_rows(local, current), "各零件月度生产数量.xlsx"
        )
        made.append(import_now(actor=people["quality1"], kind="production-volumes", upload=upload))
    if not PurchaseVolume.objects.exists():
        upload = _xlsx(
            "purchase-volumes",
            _purchase_rows(local, customers, current),
            "客户月度采购量-近24个月.xlsx",
        )
        made.append(import_now(actor=people["sales1"], kind="purchase-volumes", upload=upload))
        import_now(  # a file with an error, checked and waiting for a decision
            actor=people["sales1"],
            kind="purchase-volumes",
            upload=_bad_purchase_file(customers, current),
            dry_run=True,
        )
    if not SurveyResponse.objects.exists():
        upload = _xlsx("surveys", _survey_rows(local, customers, current), "满意度调查汇总.xlsx")
        made.append(import_now(actor=people["sales1"], kind="surveys", upload=upload))
    run_ = None
    if made or not AnalysisRun.objects.filter(status=RunStatus.SUCCEEDED).exists():
        run_ = _run_analysis()
    report = None
    if not FailureAnalysisReport.objects.exists():
        report = _work_one_alert(people)
    if stdout is not None:
        stdout.write(
            f"Early-warning demo: {len(made)} imports, "
            f"{Alert.objects.count()} alerts"
            + (f" (run #{run_.pk} {run_.status})" if run_ else "")
            + (f", report {report.number} issued" if report else "")
            + ".\n"
        )
