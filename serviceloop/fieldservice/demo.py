"""Demo data of field service: eng1/eng2 resident at tier-1 OEMs, named engineers at key retail
users, three months of service records, weekly feedback (some weeks missing, some late),
return-for-repair forms (one held), urgent draws in the warehouse queue, spare-parts balances,
escalations, nonconforming tags and information feedback forms. Everything goes through the
services, so it is audited like real data. Idempotent: a second run adds nothing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from serviceloop.core import deadlines
from serviceloop.core.demo import demo_users
from serviceloop.core.late_entry import BACKFILL_REASON
from serviceloop.core.models import Department, User
from serviceloop.customers.models import Customer

from . import queries, services
from .domain import rules
from .models import Part, ServiceRecord

PARTS = [
    ("SA-1001", "前减振器总成", True),
    ("SA-1002", "后减振器总成", True),
    ("SA-2010", "驾驶室减振器", True),
    ("SA-3005", "座椅减振器", False),
    ("CR-5001", "推力杆总成", True),
    ("CR-5002", "连杆", False),
    ("SL-0101", "减振器油封", False),
    ("BK-0201", "橡胶衬套", False),
    ("SP-0301", "防尘罩", False),
    ("VL-0401", "阀片组件", False),
]
PART_WEIGHTS = [9, 6, 4, 2, 3, 2, 6, 5, 3, 2]
FAULTS = [
    ("leak", "减振器漏油,油封处渗油明显", 10),
    ("noise", "颠簸路面异响,拆检发现衬套磨损", 6),
    ("no_damping", "阻尼力明显下降,车辆行驶跳动", 4),
    ("fracture", "连接耳环处断裂", 1),
    ("wear", "活塞杆镀层磨损", 3),
    ("loose", "安装螺栓松动", 2),
    ("appearance", "防尘罩破损,外观磕碰", 2),
    ("corrosion", "活塞杆锈蚀", 1),
]
OUTCOMES = [
    ("replaced", 10),
    ("repaired", 6),
    ("returned", 3),
    ("adjusted", 3),
    ("pending", 1),
    ("not_ours", 1),
]
VEHICLES = [
    "HN1090 重卡",
    "DF5160 载货车",
    "JH6 牵引车",
    "ZK6125 客车",
    "BJ1049 轻卡",
    "SX3250 自卸车",
]
OTHER_OEMS = ["东风商用车", "陕汽重卡", "福田欧曼"]


def _pick(rng: random.Random, weighted: list[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(
        hour=hour, tzinfo=deadlines.company_tz()
    )


PEOPLE = [
    "admin",
    "sales1",
    "sales2",
    "saleslead",
    "salesmgr",
    "eng1",
    "eng2",
    "wh1",
    "agent1",
    "quality1",
    "pq1",
    "prod1",
]


def run(*, rng: random.Random, stdout: Any = None) -> None:
    users = demo_users(*PEOPLE)
    if "eng1" not in users or ServiceRecord.objects.filter(engineer=users["eng1"]).exists():
        return
    customers = {c.code: c for c in Customer.objects.all()}
    if "C001" not in customers:
        return
    with transaction.atomic():
        made = _build(rng, users, customers)
        services.sweep()
    if stdout is not None:
        stdout.write(f"Field service demo: {made} service records.\n")


def _build(rng: random.Random, u: dict[str, User], c: dict[str, Customer]) -> int:
    today = timezone.localdate()
    admin, sales, lead = u["admin"], u["sales1"], u["saleslead"]
    eng1, eng2 = u["eng1"], u["eng2"]
    parts = []
    for number, name, assembly in PARTS:
        part = Part.objects.filter(part_number=number).first() or services.part_create(
            actor=admin, part_number=number, name=name, is_assembly=assembly
        )
        parts.append(part)

    # Who is where (R-5.3.1/5.3.2, R-5.3.5): eng2 moved from C003 to C002; eng1 leaves C001
    # in three weeks for C004; named engineers at two key retail users.
    services.assignment_create(
        actor=sales,
        kind="resident",
        engineer=eng2,
        customer=c["C003"],
        start_date=today - timedelta(days=400),
        site="总装厂",
        end_date=today - timedelta(days=121),
    )
    services.assignment_create(
        actor=sales,
        kind="resident",
        engineer=eng1,
        customer=c["C001"],
        start_date=today - timedelta(days=240),
        site="重卡总装二厂",
        end_date=today + timedelta(days=21),
        notes="常驻总装线质量门,负责减振器装车问题。",
    )
    services.assignment_create(
        actor=sales,
        kind="resident",
        engineer=eng1,
        customer=c["C004"],
        start_date=today + timedelta(days=22),
        site="商用车基地",
    )
    services.assignment_create(
        actor=sales,
        kind="resident",
        engineer=eng2,
        customer=c["C002"],
        start_date=today - timedelta(days=120),
        site="客车厂售后服务站",
    )
    services.assignment_create(
        actor=sales,
        kind="named",
        engineer=eng1,
        customer=c["C017"],
        start_date=today - timedelta(days=200),
        site="物流园维修车间",
    )
    services.assignment_create(
        actor=sales,
        kind="named",
        engineer=eng2,
        customer=c["C018"],
        start_date=today - timedelta(days=90),
        site="客运站保修车间",
    )

    # Three months of service records.
    records: list[ServiceRecord] = []
    start = deadlines.week_start(today) - timedelta(weeks=13)
    plan = [
        (eng1, [c["C001"], c["C001"], c["C001"], c["C017"]], c["C001"].name),
        (eng2, [c["C002"], c["C002"], c["C018"]], c["C002"].name),
    ]
    day = start
    while day <= today:
        for eng, places, oem in plan:
            if day.weekday() < 6 and rng.random() < 0.6:
                cust = rng.choice(places)
                mode, defect, _w = _pick(rng, FAULTS)
                outcome = _pick(rng, OUTCOMES)[0]
                records.append(
                    services.service_record_create(
                        actor=eng,
                        customer=cust,
                        service_date=day,
                        part=rng.choices(parts, weights=PART_WEIGHTS)[0],
                        oem=oem if cust.tier == "oem_tier1" else rng.choice(OTHER_OEMS),
                        vehicle=rng.choice(VEHICLES),
                        mileage_km=rng.randint(3, 90) * 1000,
                        quantity=rng.choice([1, 1, 1, 2, 3]),
                        defect=defect,
                        failure_mode=mode,
                        outcome=outcome,
                        source="quick",
                    )
                )
        day += timedelta(days=1)
    retail = [x for x in c.values() if x.agent_id and x.agent_id == u["agent1"].agent_id]
    for _ in range(12):
        mode, defect, _w = _pick(rng, FAULTS)
        records.append(
            services.service_record_create(
                actor=u["agent1"],
                customer=rng.choice(retail),
                part=rng.choice(parts[:4]),
                service_date=today - timedelta(days=rng.randint(1, 80)),
                oem=rng.choice(OTHER_OEMS),
                vehicle=rng.choice(VEHICLES),
                defect=defect,
                failure_mode=mode,
                outcome=_pick(rng, OUTCOMES)[0],
            )
        )

    # Repair-or-replace decisions (R-5.3.4.2); one major problem goes to leadership at once.
    ours = [r for r in records if r.engineer in (eng1, eng2) and r.outcome != "not_ours"]
    for r in rng.sample(ours, 12):
        repairable = r.outcome in ("repaired", "adjusted")
        services.handling_decide(
            actor=r.engineer,
            record=r,
            confirmed_our_problem=True,
            repairable=repairable,
            handling="repair" if repairable else rng.choice(["replace", "return"]),
            notes="现场确认为我司产品质量问题。",
        )
    fracture = next((r for r in ours if r.failure_mode == "fracture"), ours[0])
    services.handling_decide(
        actor=fracture.engineer,
        record=fracture,
        confirmed_our_problem=True,
        repairable=False,
        handling="replace",
        notes="同批次已发现3起断裂,存在安全隐患。",
        major=True,
    )

    # Weekly feedback: most weeks on time, some late, a few missing (the sweep flags).
    missing = {(eng1.pk, 3), (eng2.pk, 2), (eng2.pk, 7)}
    for eng in (eng1, eng2):
        first = deadlines.week_start(queries.feedback_first_day(eng.pk) or today)
        for k in range(1, rules.FEEDBACK_LOOKBACK_WEEKS + 1):
            monday = deadlines.week_start(today) - timedelta(weeks=k)
            due = deadlines.weekly_feedback_due(monday)
            if monday < first or (eng.pk, k) in missing or due > timezone.now():
                continue
            late = rng.random() < 0.15
            at = (
                due + timedelta(hours=rng.randint(10, 40))
                if late
                else due - timedelta(hours=rng.randint(2, 30))
            )
            has_records = ServiceRecord.objects.filter(engineer=eng, week_start=monday).exists()
            fb = services.weekly_feedback_submit(
                actor=eng,
                week_start=monday,
                at=min(at, timezone.now()),
                reason=BACKFILL_REASON,
                summary=rng.choice(
                    [
                        "本周以漏油为主,已全部现场更换。",
                        "主机厂反映异响,已跟踪处理。",
                        "无重大质量问题。",
                        "衬套磨损偏多,建议质量部关注批次。",
                    ]
                )
                if has_records
                else "本周无服务记录,无质量问题。",
            )
            if k > 2:
                services.weekly_feedback_review(actor=sales, feedback=fb, note="已汇总。")

    # Spare parts (R-5.3.4.3) and urgent draws.
    for eng, cust in ((eng1, c["C001"]), (eng2, c["C002"])):
        req = services.parts_request_create(
            actor=eng,
            kind="spare",
            customer=cust,
            weeks=8,
            reason="按近8周故障频次备件。",
            lines=[
                {"part": parts[0], "quantity": 6},
                {"part": parts[6], "quantity": 10},
                {"part": parts[7], "quantity": 8},
            ],
        )
        services.parts_request_approve(actor=lead, request=req, note="同意。")
        services.parts_request_issue(actor=u["wh1"], request=req)
        services.parts_request_close(actor=eng, request=req, note="已领用入驻点备件柜。")
    for r in [r for r in records if r.engineer == eng1 and r.part == parts[0]][-3:]:
        services.parts_use(actor=eng1, record=r, part=parts[0], quantity=1)
    for r in [r for r in records if r.engineer == eng2 and r.part == parts[6]][-2:]:
        services.parts_use(actor=eng2, record=r, part=parts[6], quantity=2)
    services.parts_return(
        actor=u["wh1"], holder=eng2, part=parts[7], quantity=3, note="多余衬套退库。"
    )
    queue = [
        ("spare", eng1, c["C001"], [(parts[1], 4)], "后减振器故障增加,补充备件。"),
        ("urgent", u["sales1"], c["C002"], [(parts[2], 6)], "客车厂停线待件,急需驾驶室减振器。"),
        ("urgent", u["sales1"], c["C017"], [(parts[0], 4), (parts[8], 4)], "车队20台车待修。"),
    ]
    for kind, who, cust, lines, why in queue:
        req = services.parts_request_create(
            actor=who,
            kind=kind,
            customer=cust,
            reason=why,
            holder=eng1 if cust.code == "C017" else None,
            lines=[{"part": p, "quantity": q} for p, q in lines],
        )
        services.parts_request_approve(
            actor=u["salesmgr"] if kind == "urgent" else lead,
            request=req,
            note="手续齐全,同意领用。",
        )
    services.parts_request_create(
        actor=eng2,
        kind="spare",
        customer=c["C002"],
        reason="阀片组件故障上升。",
        lines=[{"part": parts[9], "quantity": 2}],
    )

    # Return-for-repair forms: received, held, waiting for the check, draft.
    def rform(eng, cust, qty, counted=None, signed=True):
        f = services.return_create(
            actor=eng,
            customer=cust,
            return_date=today - timedelta(days=rng.randint(1, 10)),
            reason="现场无法修复,退回公司返修。",
            customer_signatory=rng.choice(["赵明", "钱华"]),
            lines=[
                {
                    "part": parts[0],
                    "lot": f"L{rng.randint(2401, 2412)}",
                    "quantity": qty,
                    "fault": "漏油",
                }
            ],
        )
        if signed:
            f = services.return_countersign(actor=eng, form=f)
        if counted is not None:
            line = f.lines.get()
            f = services.return_check(
                actor=u["wh1"], form=f, counted={line.pk: counted}, signatures_ok=True
            )
        return f

    rform(eng1, c["C001"], 4, counted=4)
    rform(eng2, c["C002"], 5, counted=4)  # held: one missing
    rform(eng1, c["C001"], 2)
    rform(eng2, c["C018"], 1, signed=False)

    # Escalations.
    pq = Department.objects.get(code="production_quality")
    tech = Department.objects.get(code="technical")
    e1 = services.escalation_raise(
        actor=eng1,
        customer=c["C001"],
        title="新批次前减振器装车后异响",
        description="主机厂反映新批次装车后低速异响,现场更换衬套无改善,需公司分析。",
    )
    services.escalation_coordinate(
        actor=sales,
        escalation=e1,
        departments=[pq, tech],
        due_date=today + timedelta(days=3),
        note="请生产质量部取样分析。",
    )
    e2 = services.escalation_raise(
        actor=eng2,
        customer=c["C002"],
        title="客车座椅减振器批量漏油",
        description="一周内发现8台车漏油,疑似油封批次问题。",
    )
    services.escalation_coordinate(actor=sales, escalation=e2, departments=[pq])
    services.escalation_agree(
        actor=sales, escalation=e2, solution="更换油封供应商批次;已装车产品由驻厂人员逐台检查更换。"
    )
    services.escalation_raise(
        actor=eng2,
        customer=c["C018"],
        title="衬套早期磨损",
        description="车队反映行驶2万公里衬套磨损,超出预期。",
    )

    # Nonconforming product in the customer's stock (R-5.3.4.3).
    services.tag_create(
        actor=eng1,
        customer=c["C001"],
        part=parts[0],
        lot="L2406",
        quantity=12,
        location="主机厂二号配套库 A-3 货架",
        found_on=today - timedelta(days=2),
        nonconformity="抽检发现油封漏装",
        disposition="repair_parts",
    )
    t = services.tag_create(
        actor=eng2,
        customer=c["C002"],
        part=parts[4],
        lot="L2403",
        quantity=3,
        location="客车厂线边库",
        found_on=today - timedelta(days=20),
        nonconformity="焊缝外观不良",
        disposition="rework_assembly",
    )
    services.tag_resolve(actor=eng2, tag=t, resolution="总成返修后经质检合格,已恢复使用。")

    # Information feedback forms.
    period_from = deadlines.week_start(today) - timedelta(weeks=4)
    leaks = [
        r.pk
        for r in records
        if r.failure_mode == "leak" and r.engineer in (eng1, eng2) and r.service_date >= period_from
    ]
    f = services.infoform_create(
        actor=sales,
        title="近四周减振器漏油问题汇总",
        category="product_quality",
        period_from=period_from,
        period_to=today,
        records=leaks,
        summary="驻厂服务人员反馈漏油故障集中在前减振器总成,主要为油封渗油。",
        requested_action="请质管部分析油封批次,生产部核查装配工艺。",
    )
    services.infoform_issue(
        actor=sales,
        form=f,
        departments=[
            Department.objects.get(code="quality"),
            Department.objects.get(code="production"),
        ],
    )
    services.infoform_acknowledge(
        actor=u["quality1"],
        routing=f.routings.get(department__code="quality"),
        response="已安排分析。",
    )
    services.infoform_create(
        actor=sales,
        title="衬套磨损信息(草稿)",
        category="material",
        period_from=period_from,
        period_to=today,
        summary="衬套磨损反馈增多,待汇总。",
    )
    return len(records)
