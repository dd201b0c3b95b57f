"""Demo pre-sale data for `serviceloop demo`: a year of customer requirements with their
department evaluations, sample requests, special requests (agreements among them) and orders
with milestones, across the customers — all written through the services."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from serviceloop.core.documents import html_to_pdf
from serviceloop.core.models import Department, Role, User
from serviceloop.core.permissions import can
from serviceloop.core.roles import RoleCode
from serviceloop.customers.models import Customer

from . import services
from .models import (
    CustomerRequirement,
    Evaluation,
    MilestoneCode,
    Order,
)
from .services.special import default_explanation


def _inspection_report(sample: Any, number: str, lot: str) -> SimpleUploadedFile:
    """A short sample inspection report (PDF) as Production Quality would attach it."""
    rows = "".join(
        f"<tr><td>{item}</td><td>{spec}</td><td>{value}</td><td>合格</td></tr>"
        for item, spec, value in (
            ("总长 (mm)", "412 ± 1.5", "412.3"),
            ("复原阻尼力 @0.52 m/s (N)", "1650 ± 10%", "1702"),
            ("压缩阻尼力 @0.52 m/s (N)", "620 ± 10%", "611"),
            ("外观", "无划伤、无漏油", "符合"),
        )
    )
    html = (
        f"<h1>样品检验报告 {number}</h1><p>样品申请 {sample.number} · 零件 {sample.part_number}"
        f" · 批次 {lot} · 数量 {sample.quantity}</p><table border='1' cellpadding='4'>"
        f"<tr><th>检验项目</th><th>要求</th><th>实测</th><th>判定</th></tr>{rows}</table>"
        "<p>结论:合格。检验员:陈静</p>"
    )
    return SimpleUploadedFile(
        f"样品检验报告-{number}.pdf", html_to_pdf(html), content_type="application/pdf"
    )


def _delivered_document(special: Any) -> SimpleUploadedFile:
    """The document a department delivers for a special request (PDF)."""
    kind = special.get_kind_display()
    html = (
        f"<h1>{special.customer.name} · {kind}</h1><p>编号 {special.number}</p>"
        f"<p>{special.description}</p><p>本文件经双方确认后生效。</p>"
    )
    return SimpleUploadedFile(
        f"{kind}-{special.number}.pdf", html_to_pdf(html), content_type="application/pdf"
    )


# Department heads who decide special requests.
HEADS = [
    ("techhead", "钱志远", "technical"),
    ("qmhead", "冯雪", "quality"),
    ("pqhead", "韩冬", "production_quality"),
]
REQUIREMENTS = [
    (
        "新平台减振器阻尼力提升",
        "复原阻尼力在 0.52 m/s 时提高 10%,压缩阻尼力不变;提供台架耐久 100 万次报告。",
    ),
    ("防尘罩材料变更为 TPE", "客户要求防尘罩由橡胶改为 TPE,耐温 -40~120 ℃。"),
    ("包装改为可回收周转箱", "每箱 20 件,周转箱由客户提供,需确认包装方案和标识。"),
    ("盐雾试验时间延长至 720 h", "活塞杆镀铬层中性盐雾 720 h 无红锈。"),
    ("交货周期缩短到 15 天", "年度框架订单交货周期由 30 天缩短为 15 天。"),
    ("增加二维码追溯标签", "每件产品贴二维码,包含批次、生产日期、班次。"),
    ("新车型安装尺寸变更", "下安装孔中心距由 385 mm 改为 392 mm,图纸 B 版。"),
    ("低温异响改善", "-30 ℃ 冷启动后前 5 km 无异响。"),
]
PARTS = [
    ("SA-2041", "前减振器总成"),
    ("SA-3310", "后减振器总成"),
    ("CR-1102", "连杆"),
    ("BJ-0871", "衬套"),
]
OUTCOMES = [
    "经与客户协商一致:按评审条件接受,价格上调 2%,自 3 月订单起执行。",
    "客户同意方案,交期按采购评估延长 5 天。",
    "部分接受:材料变更可行,耐温要求调整为 -35~110 ℃,客户已确认。",
]


def _heads() -> None:
    role = Role.objects.get(code=RoleCode.DEPT_HEAD)
    hashed = make_password("demo1234")
    for username, name, dept in HEADS:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create(
            username=username,
            display_name=name,
            email=f"{username}@serviceloop.local",
            department=Department.objects.get(code=dept),
            password=hashed,
        )
        user.roles.set([role])


def _people() -> dict[str, User]:
    return {u.username: u for u in User.objects.all()}


def _evaluate(p: dict[str, User], req: CustomerRequirement, rng: random.Random, late: bool) -> None:
    who = {"rnd": "rnd1", "production_quality": "pq1", "purchasing": "purch1"}
    for ev in req.evaluations.select_related("department"):
        if late and ev.department.code == "purchasing":
            continue
        verdict = rng.choice(["feasible", "feasible", "conditional", "not_feasible"])
        services.requirement_evaluate(
            actor=p[who[ev.department.code]],
            requirement=req,
            department=ev.department,
            verdict=verdict,
            conditions="需增加 100% 终检,首批 PPAP 提交" if verdict == "conditional" else "",
            note="现有工艺无法保证,需新开模具" if verdict == "not_feasible" else "",
            cost_impact=rng.choice(["", "+1.5%", "+3%"]),
            lead_time_impact=rng.choice(["", "+5 天", "+2 周"]),
        )


def _route_orders(p: dict[str, User], orders: list[Any]) -> None:
    """Open orders passed on to Production and the warehouse; every other one acknowledged."""
    depts = list(Department.objects.filter(code__in=["production", "warehouse"]))
    for n, order in enumerate(orders):
        routings = services.order_route(
            actor=order.owner or p["sales1"],
            order=order,
            departments=depts,
            instruction="按承诺日期排产并备货,包装按客户要求。",
        )
        if n % 2 == 0:
            continue
        for r in routings:
            members = r.department.members.filter(is_active=True).order_by("pk")
            member = next((u for u in members if can(u, "order.acknowledge")), None)
            if member is not None:
                services.order_routing_acknowledge(actor=member, routing=r, note="已排入计划。")


def run(*, rng: random.Random, stdout: Any = None) -> None:
    if CustomerRequirement.objects.exists() or not User.objects.filter(username="sales1").exists():
        return
    with transaction.atomic():
        _heads()
        p = _people()
        customers = list(Customer.objects.filter(tier__in=["oem_tier1", "oem_tier2", "retail_key"]))
        now = timezone.now()
        counts = {k: 0 for k in ("requirements", "samples", "special", "orders")}
        orders = []
        for i in range(36):
            age = 360 - i * 10 + rng.uniform(-3, 3)
            promised = (now + timedelta(days=30 - age * 0.9)).date()
            order = services.order_create(
                actor=p["sales1" if i % 2 else "sales2"],
                customer=rng.choice(customers),
                order_number=f"SO-{(now - timedelta(days=age)):%Y%m}-{i + 101:04d}",
                lines=[  # every third order has a second part, due a week later
                    {
                        "part_number": part[0],
                        "description": part[1],
                        "quantity": rng.choice([200, 500, 1000, 2400]),
                        "due_date": promised + timedelta(days=7 * n),
                    }
                    for n, part in enumerate(rng.sample(PARTS, 2 if i % 3 == 0 else 1))
                ],
                ordered_on=(now - timedelta(days=age)).date(),
                promised_date=promised,
                milestones={
                    MilestoneCode.MATERIAL_READY: promised - timedelta(days=20),
                    MilestoneCode.IN_PRODUCTION: promised - timedelta(days=14),
                    MilestoneCode.INSPECTED: promised - timedelta(days=6),
                    MilestoneCode.SHIPPED: promised - timedelta(days=3),
                    MilestoneCode.DELIVERED: promised,
                },
            )
            orders.append(order)
            counts["orders"] += 1
            for m in order.milestones.order_by("pk"):
                if m.planned_date is None:
                    break
                reached = timezone.make_aware(
                    datetime.combine(m.planned_date, time.min)
                ) + timedelta(hours=10, days=rng.choice([0, 0, 1, 3]))
                late_one = i in (33, 34) and m.code in (
                    MilestoneCode.INSPECTED,
                    MilestoneCode.SHIPPED,
                    MilestoneCode.DELIVERED,
                )
                if reached > now - timedelta(hours=1) or late_one:
                    break
                services.order_progress(
                    actor=p["sales1"],
                    order=order,
                    milestone=m.code,
                    at=reached,
                    note=f"{m.get_code_display()},已电话告知客户计划员。",
                    customer_told=True,
                )
        still_open = Order.objects.filter(pk__in=[o.pk for o in orders], status="open")
        _route_orders(p, list(still_open.order_by("-pk")[:4]))
        ages = [350 - i * 17 + rng.uniform(-2, 2) for i in range(19)] + [10, 7, 5, 1.5, 0.3]
        for i, age in enumerate(ages):
            subject, text = REQUIREMENTS[i % len(REQUIREMENTS)]
            req = services.requirement_register(
                actor=p["sales1" if i % 2 else "sales2"],
                customer=rng.choice(customers),
                received_at=now - timedelta(days=age),
                subject=subject,
                description=text,
                evaluators=None if i % 3 else ["rnd", "production_quality"],
            )
            counts["requirements"] += 1
            if age < 3:
                continue  # still being evaluated, on time
            late = 3 <= age < 12
            if late:  # evaluations overdue: purchasing has not answered
                Evaluation.objects.filter(requirement=req).update(
                    due_at=now - timedelta(days=age - 4)
                )
                CustomerRequirement.objects.filter(pk=req.pk).update(
                    evaluation_due_at=now - timedelta(days=age - 4)
                )
            _evaluate(p, req, rng, late)
            req.refresh_from_db()
            if late or req.status != "evaluated" or age < 20:
                continue
            same = [o for o in orders if o.customer_id == req.customer_id]
            services.requirement_conclude(
                actor=req.owner,
                requirement=req,
                outcome=rng.choice(OUTCOMES),
                order=same[0] if same else None,
                contract_reference="" if same else f"HT-{i + 2026:05d}",
            )
            if i % 4 == 0:
                services.requirement_add_action(
                    actor=req.owner,
                    requirement=req,
                    description="更新控制计划和作业指导书,首批产品全检",
                    owner=p["pq1"],
                    due_date=(now + timedelta(days=rng.randint(-5, 20))).date(),
                )
                services.result_letter_create(actor=req.owner, source=req, sent=True)
        for i in range(18):
            part = PARTS[i % len(PARTS)]
            sample = services.sample_request(
                actor=p["sales1" if i % 2 else "sales2"],
                customer=rng.choice(customers),
                part_number=part[0],
                part_name=part[1],
                quantity=rng.choice([2, 4, 6, 10]),
                drawing_revision=rng.choice(["A", "B", "C"]),
                needed_by=(now + timedelta(days=20 + i)).date(),
                purpose=rng.choice(["新车型装车路试", "台架试验", "客户 PPAP 送样"]),
            )
            counts["samples"] += 1
            stage = i % 6
            if stage == 0:
                continue
            if stage == 5:
                services.sample_reject(
                    actor=p["tech1"],
                    sample=sample,
                    department="technical",
                    reason="图纸版本未冻结,待客户发布 C 版后再申请。",
                )
                continue
            services.sample_approve(actor=p["tech1"], sample=sample, department="technical")
            services.sample_approve(actor=p["pq1"], sample=sample, department="production_quality")
            if stage == 1:
                continue
            services.sample_schedule(
                actor=p["pq1"], sample=sample, planned_date=(now + timedelta(days=5)).date()
            )
            if stage == 2:
                continue
            services.sample_record_made(
                actor=p["pq1"],
                sample=sample,
                lot=f"L{now:%y%m}{i:03d}",
                inspection_result=f"尺寸、外观、示功试验全部合格,检验报告编号 QC-{i:03d}。",
                report=_inspection_report(sample, f"QC-{i:03d}", f"L{now:%y%m}{i:03d}"),
            )
            services.sample_deliver(
                actor=sample.requested_by,
                sample=sample,
                delivered_at=timezone.now(),
                shipping_note=f"FH-{i:05d}",
            )
            if stage == 3:
                continue
            services.sample_confirm(
                actor=sample.requested_by,
                sample=sample,
                accepted=i % 4 != 0,
                note="" if i % 4 else "装车后异响,阻尼力偏低",
            )
        kinds = [
            "technical_agreement",
            "quality_agreement",
            "technical_data",
            "technical_guidance",
            "special_sample",
        ]
        head = {"technical": "techhead", "quality": "qmhead", "production_quality": "pqhead"}
        provider = {"technical": "tech1", "quality": "quality1", "production_quality": "pq1"}
        for i in range(15):
            kind = kinds[i % len(kinds)]
            special = services.special_request(
                actor=p["sales1" if i % 2 else "sales2"],
                customer=customers[i % len(customers)],
                kind=kind,
                description={
                    "technical_agreement": "签订新平台减振器技术协议",
                    "quality_agreement": "年度质量协议续签,PPM 目标 50",
                    "technical_data": "提供安装扭矩和示功曲线",
                    "technical_guidance": "派工程师到总装线指导安装",
                    "special_sample": "特制加长行程样件 2 件",
                }[kind],
            )
            counts["special"] += 1
            dept = special.department.code
            if i >= 12:
                continue
            feasible = i % 5 != 4
            services.special_decide(
                actor=p[head[dept]],
                special=special,
                feasible=feasible,
                note="" if feasible else "现有产线不具备加长行程的工装条件",
            )
            if not feasible:
                services.special_decline_notice(
                    actor=special.requested_by,
                    special=special,
                    text=default_explanation(special),
                )
                continue
            if i >= 9:
                continue
            services.special_fulfil(
                actor=p[provider[dept]],
                special=special,
                note="已提供并经客户签收",
                document=_delivered_document(special),
                valid_from=(now - timedelta(days=200 - i * 10)).date()
                if special.is_agreement
                else None,
                valid_to=(now + timedelta(days=165 + i * 10)).date()
                if special.is_agreement
                else None,
            )
    services.sweep_overdue()
    if stdout is not None:
        stdout.write(
            "Pre-sale demo: {requirements} requirements, {samples} sample requests, "
            "{special} special requests, {orders} orders.".format(**counts)
        )
