"""Demo complaints for `serviceloop demo`: a year of believable complaints and returns at every
stage of their 8D — just registered, contained, analysed, with Sales for negotiation, closed
with the reply sent and the circulation acknowledged (or still waiting). Everything goes
through the services, so it is audited like real data. Idempotent: a second run adds nothing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from serviceloop.core.demo import demo_users
from serviceloop.core.late_entry import BACKFILL_REASON
from serviceloop.core.models import Department, User
from serviceloop.core.permissions import can
from serviceloop.customers.models import Customer

from . import services
from .models import Complaint, EightDReport, Kind

PARTS = [
    ("SA-2031", "前减振器总成"),
    ("SA-2045", "后减振器总成"),
    ("LG-1180", "连杆"),
    ("BK-0712", "制动蹄片"),
    ("XJ-3302", "橡胶衬套"),
    ("SP-6610", "钢板弹簧"),
]
PROBLEMS = [
    (
        "减振器漏油",
        "活塞杆油封处漏油,装车行驶约 5000 km 后出现。",
        "machine",
        "油封压装机压力偏低,油封未压到位",
        "油封压装工位",
        "气密检测抽检频次不足",
    ),
    (
        "异响",
        "车辆过减速带时前悬架异响,拆检发现减振器内部撞击。",
        "material",
        "阀片材料硬度不合格",
        "阀系装配工位",
        "来料检验未做硬度抽检",
    ),
    (
        "连杆断裂",
        "连杆杆身断裂,断口有疲劳纹。",
        "method",
        "热处理回火时间不足",
        "热处理工位",
        "金相检验周期过长",
    ),
    (
        "尺寸超差",
        "衬套外径超差 0.15 mm,装配困难。",
        "measurement",
        "量具未按期校准",
        "精车工位",
        "终检使用同一把未校准量具",
    ),
    (
        "外观磕碰",
        "包装内产品相互磕碰,表面漆层破损。",
        "man",
        "装箱未按作业指导书放置隔板",
        "包装工位",
        "出货检验只抽检外包装",
    ),
    (
        "锈蚀",
        "到货产品表面有锈点。",
        "environment",
        "防锈油涂覆不均,库房湿度过高",
        "防锈处理工位",
        "入库检验未检查防锈状态",
    ),
]
OPERATORS = ["王建国", "李伟", "张磊", "刘强", "陈杰"]
INSPECTORS = ["赵敏", "周芳", "吴静"]


def _people() -> dict[str, User]:
    return demo_users("sales1", "sales2", "quality1", "pq1", "prod1", "tech1", "mrep", "gm")


def _at(received: datetime, days: float, now: datetime) -> datetime:
    return min(received + timedelta(days=days), now - timedelta(minutes=5))


def _register(
    p: dict[str, User],
    customer: Customer,
    received: datetime,
    rng: random.Random,
    problem: tuple,
    kind: str = Kind.COMPLAINT,
) -> Complaint:
    part, name = rng.choice(PARTS)
    sales = p[rng.choice(["sales1", "sales2"])]
    return services.complaint_register(
        actor=sales,
        customer=customer,
        received_at=received,
        kind=kind,
        part_number=part,
        part_name=name,
        lot=f"L{received:%y%m}-{rng.randint(1, 40):02d}",
        quantity=rng.choice([1, 2, 3, 6, 12, 20, 48, 120]),
        description=f"{problem[0]}:{problem[1]}",
        in_production=rng.random() < 0.6,
        severity=rng.choice(["high", "medium", "medium", "low"]),
        customer_reference=f"QC{received:%Y%m}{rng.randint(10, 99)}",
        leader=p["quality1"] if kind == Kind.RETURN else None,
    )


def _complete_open(
    report: EightDReport, codes: tuple[str, ...], p: dict[str, User], at: datetime
) -> None:
    """Report done (and verify) the open action items of these disciplines."""
    for action in report.actions.filter(status="open", discipline__in=codes):
        doer = action.owner or (action.department.members.first() if action.department else None)
        services.action_complete(
            actor=doer or p["quality1"],
            action=action,
            result="已完成",
            at=at,
            reason=BACKFILL_REASON,
        )
        if action.needs_verification:
            services.action_verify(actor=p["quality1"], action=action, effective=True, note="有效")


def _work(
    report: EightDReport,
    p: dict[str, User],
    problem: tuple,
    stage: int,
    received: datetime,
    now: datetime,
    rng: random.Random,
) -> None:
    """Take the 8D as far as `stage` (1 contained … 4 ready to close)."""
    q, prod, tech = p["quality1"], p["prod1"], p["tech1"]
    if report.leader_id is None:
        services.eightd_set_leader(actor=q, report=report, leader=q)
    services.team_add(actor=q, report=report, user=prod, responsibility="围堵、返工与纠正措施")
    services.team_add(actor=q, report=report, user=tech, responsibility="工艺分析与作业指导书")
    services.discipline_update(
        actor=q, report=report, code="d0", summary="通知顾客隔离同批次在库产品,紧急补发合格品。"
    )
    services.discipline_update(
        actor=q,
        report=report,
        code="d2",
        d2_what=problem[1],
        d2_where="顾客总装线",
        d2_who="顾客质量部",
        d2_how="装车检验发现",
    )
    for code in ("d0", "d1", "d2"):
        services.discipline_complete(
            actor=q, report=report, code=code, at=_at(received, 1, now), reason=BACKFILL_REASON
        )
    reworked = rng.choice([0, 4, 6])
    c = services.containment_add(
        actor=q,
        report=report,
        location="finished_goods",
        action="成品库同批次全部隔离复检",
        owner=prod,
        due_at=_at(received, 1, now) + timedelta(hours=1),
    )
    services.containment_done(
        actor=prod,
        containment=c,
        at=_at(received, 1, now),
        reason=BACKFILL_REASON,
        result="已隔离、标识并复检",
        quantity_checked=360,
        quantity_found=reworked,
        quantity_isolated=360,
        quantity_tagged=reworked,
        quantity_reworked=reworked,
    )
    if reworked:
        services.containment_reinspect(
            actor=p["pq1"], containment=c, passed=True, note="返工品复检合格,准予入库"
        )
    _complete_open(report, ("d3",), p, _at(received, 1, now))
    services.discipline_complete(
        actor=q, report=report, code="d3", at=_at(received, 2, now), reason=BACKFILL_REASON
    )
    if stage < 2:
        return
    _complete_open(report, ("d3", "d4"), p, _at(received, 5, now))
    services.cause_add(
        actor=q,
        report=report,
        kind="occurrence",
        category=problem[2],
        description=problem[3],
        work_station=problem[4],
        operator=rng.choice(OPERATORS),
        inspector=rng.choice(INSPECTORS),
        process_card_ref=f"GY-{rng.randint(100, 999)}",
        production_report_ref=f"SC-{received:%m%d}",
        verified=True,
        department=Department.objects.get(code="production"),
    )
    services.cause_add(
        actor=q,
        report=report,
        kind="escape",
        category="measurement",
        description=problem[5],
        inspector=rng.choice(INSPECTORS),
        inspection_record_ref=f"JY-{received:%m%d}",
    )
    services.discipline_complete(
        actor=q, report=report, code="d4", at=_at(received, 6, now), reason=BACKFILL_REASON
    )
    due = received + timedelta(days=rng.choice([8, 12, 20]))
    fix = services.action_add(
        actor=q,
        report=report,
        discipline="d5",
        kind="corrective",
        description=f"针对“{problem[3]}”制定并实施纠正措施",
        owner=prod,
        due_at=due,
    )
    wi = services.action_add(
        actor=q,
        report=report,
        discipline="d7",
        kind="work_instruction",
        description=f"修订{problem[4]}作业指导书",
        owner=tech,
        due_at=due + timedelta(days=10),
    )
    services.discipline_complete(
        actor=q, report=report, code="d5", at=_at(received, 9, now), reason=BACKFILL_REASON
    )
    if stage < 3:
        return
    services.action_complete(
        actor=prod,
        action=fix,
        result="措施已实施",
        at=_at(received, rng.uniform(6, 25), now),
        reason=BACKFILL_REASON,
    )
    services.action_verify(actor=q, action=fix, effective=True, note="连续三批跟踪无同类不良")
    _complete_open(report, ("d5",), p, _at(received, 25, now))
    services.discipline_update(
        actor=q, report=report, code="d6", summary="纠正措施已实施并验证有效。"
    )
    services.discipline_complete(
        actor=q, report=report, code="d6", at=_at(received, 26, now), reason=BACKFILL_REASON
    )
    if stage < 4:
        return
    services.action_complete(
        actor=tech,
        action=wi,
        result="作业指导书已换版",
        document_ref=f"WI-{rng.randint(10, 99)} B→C",
        at=_at(received, rng.uniform(15, 35), now),
        reason=BACKFILL_REASON,
    )
    services.action_verify(actor=tech, action=wi, effective=True, note="按新版作业两周,效果良好")
    train = services.action_add(
        actor=q,
        report=report,
        discipline="d7",
        kind="training",
        description="对责任操作者和检验员进行培训",
        owner=prod,
        due_at=_at(received, 30, now) + timedelta(days=3),
    )
    services.action_complete(
        actor=prod,
        action=train,
        result="已培训并考核",
        trainees="操作者、检验员",
        at=_at(received, 30, now),
        reason=BACKFILL_REASON,
    )
    services.discipline_update(
        actor=q,
        report=report,
        code="d7",
        summary="修订作业指导书,更新 PFMEA 与控制计划,培训责任人。",
    )
    services.discipline_complete(
        actor=q, report=report, code="d7", at=_at(received, 36, now), reason=BACKFILL_REASON
    )


def _finish(
    report: EightDReport,
    p: dict[str, User],
    received: datetime,
    now: datetime,
    rng: random.Random,
    acknowledge: bool,
) -> None:
    closed_at = _at(received, rng.uniform(37, 85), now)
    services.eightd_close(
        actor=p["quality1"], report=report, at=closed_at, summary="措施有效,问题已解决,同意结案。"
    )
    letter, _ = services.reply_draft(actor=p["quality1"], report=report)
    sender = report.complaint.received_by  # an engineer or agent who flagged it does not send
    services.reply_send(
        actor=sender if sender and can(sender, "reply.send") else p["sales1"],
        letter=letter,
        sent_to="顾客质量部",
        method="email",
        at=min(closed_at + timedelta(hours=2), now - timedelta(minutes=1)),
    )
    if acknowledge:
        services.circulation_acknowledge(actor=p["mrep"], report=report, note="已阅")
        services.circulation_acknowledge(actor=p["gm"], report=report, note="已阅,同意")


def _scenario(i: int, age_days: float) -> tuple[str, int]:
    """(kind of case, stage) — each 8D as far as its deadlines (clocks.DISCIPLINE_DAYS and
    the action dues in `_work`) ask by now: D0–D3 within a day, D4/D5 and the corrective
    action by day 8, D6 and the work instruction by day 18, closed after 45 days. Stage 1 …
    4 as in `_work`. The one in negotiation (the customer's design, referred to Sales) is
    older than D8's 60 days: its D8 is left overdue on purpose."""
    if age_days < 1:
        return "registered", 0
    if age_days < 7:
        return "open", 1
    if age_days < 8:
        return "open", 2
    if age_days < 18:
        return "open", 3
    if i % 11 == 5:
        return "negotiation", 4
    if age_days < 45:
        return "open", 4
    return "closed", 4


def work_by_age(report: EightDReport, rng: random.Random) -> None:
    """Take an 8D opened elsewhere (the major-problem flag of a communication) as far as its
    age asks, as Quality would have by now."""
    p = _people()
    now = timezone.now()
    received = report.complaint.received_at
    case, stage = _scenario(0, (now - received).total_seconds() / 86400)  # no negotiation
    if case == "registered":
        return
    with transaction.atomic():
        _work(report, p, PROBLEMS[report.pk % len(PROBLEMS)], stage, received, now, rng)
        if case == "closed":
            _finish(report, p, received, now, rng, acknowledge=True)


def run(*, rng: random.Random, stdout: Any = None) -> None:
    p = _people()
    mine = Complaint.objects.filter(
        kind__in=[Kind.COMPLAINT, Kind.RETURN], received_by__in=[p.get("sales1"), p.get("sales2")]
    )
    if len(p) < 8 or mine.exists():
        return
    customers = list(Customer.objects.filter(tier__in=["oem_tier1", "oem_tier2", "retail_key"]))
    now = timezone.now()
    made = 0
    recent = [38.0, 31.0, 24.0, 17.0, 12.0, 8.0, 5.0, 3.0, 1.5, 0.5]
    ages = [330 - i * 17 + rng.uniform(-4, 4) for i in range(17)] + recent
    for i, age in enumerate(ages):
        received = now - timedelta(days=max(age, 0.2))
        problem = PROBLEMS[i % len(PROBLEMS)]
        case, stage = _scenario(i, age)
        kind = Kind.RETURN if i % 7 == 3 else Kind.COMPLAINT
        with transaction.atomic():
            complaint = _register(p, rng.choice(customers), received, rng, problem, kind)
            made += 1
            if case == "registered":
                continue
            report = (
                getattr(complaint, "eight_d", None)
                or services.eightd_open(
                    actor=complaint.received_by or p["sales1"],
                    complaint=complaint,
                    leader=p["quality1"],
                )[0]
            )
            _work(report, p, problem, stage, received, now, rng)
            if case == "negotiation":
                services.cause_add(
                    actor=p["quality1"],
                    report=report,
                    kind="occurrence",
                    category="design",
                    responsibility="customer",
                    description="顾客图纸规定的安装扭矩超出零件设计承载",
                )
                services.eightd_refer_to_sales(
                    actor=p["quality1"], report=report, reason="顾客设计原因,需销售部与顾客协商"
                )
            elif case == "closed":
                _finish(report, p, received, now, rng, acknowledge=i % 5 != 4)
    services.sweep_overdue()
    if stdout is not None:
        stdout.write(f"Demo complaints: {made} new complaints with their 8D reports.")
