"""Demo visits: this year's approved plan with visits against it (and a few outside it),
reviewed records with copies read or waiting, improvement actions, next year's draft."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from serviceloop.core.demo import demo_users
from serviceloop.core.models import Department
from serviceloop.customers.models import Customer

from . import services
from .models import VisitPlan

OPINIONS = [
    "希望交付周期缩短到两周以内。",
    "要求提供新车型减振器的台架试验报告。",
    "对包装防护提出改进意见。",
    "希望驻厂工程师响应更快。",
]
PRODUCT = ["批次质量稳定。", "个别批次有异响，已退回分析。", "外观一致性好。"]
SERVICE = ["售后响应及时。", "三包处理速度有待提高。", "技术支持满意。"]
PROBLEMS = ["", "", "包装箱在运输中破损。", "两件减振器漏油，需要追溯批次。", ""]


def run(*, rng: random.Random, stdout: Any = None) -> None:
    people = demo_users("sales1", "sales2", "saleslead", "salesmgr", "leader", "prod1", "quality1")
    if len(people) < 7:
        return
    today = timezone.localdate()
    year = today.year
    if VisitPlan.objects.filter(year=year).exists():
        return
    sales, lead, head, boss = (
        people["sales1"],
        people["saleslead"],
        people["salesmgr"],
        people["leader"],
    )
    tz = timezone.get_current_timezone()
    made = 0
    with transaction.atomic():
        plan = services.visit_plan_create(actor=sales, year=year)
        services.visit_plan_submit(actor=sales, plan=plan)
        services.visit_plan_review(actor=lead, plan=plan, comment="重点客户每季度至少一次。")
        services.visit_plan_approve(actor=boss, plan=plan, comment="同意。")
        quality = Department.objects.get(code="quality")
        production = Department.objects.get(code="production")
        for n, item in enumerate(plan.items.select_related("customer").order_by("planned_month")):
            if item.planned_month > today.month or n % 6 == 5:
                continue  # not due yet, or missed
            day = min(
                today - timedelta(days=1),
                datetime(year, item.planned_month, rng.randint(3, 26)).date(),
            )
            at = datetime.combine(day, time(rng.randint(9, 16), 0)).replace(tzinfo=tz)
            rec = services.visit_record_create(
                actor=rng.choice([sales, people["sales2"]]),
                customer=item.customer,
                plan_item=item,
                visited_at=at,
                customer_people="采购部 刘经理；质量部 赵工",
                summary=f"{item.customer.name} 年度走访：了解产品使用及售后服务情况。",
                opinions=rng.choice(OPINIONS),
                product_quality=rng.choice(PRODUCT),
                service_quality=rng.choice(SERVICE),
                satisfaction=rng.choice([3, 4, 4, 5, 5]),
                problems=rng.choice(PROBLEMS),
            )
            made += 1
            if n % 4 != 3:
                services.visit_record_review(actor=head, record=rec, note="已阅，同意分发。")
                services.visit_record_distribute(
                    actor=sales, record=rec, departments=[quality, production]
                )
                if n % 3:
                    services.visit_copy_read(actor=people["quality1"], record=rec)
            if rec.problems:
                services.improvement_action_create(
                    actor=sales,
                    record=rec,
                    description="针对走访发现的问题制定改进措施：" + rec.problems,
                    owner=people["prod1"],
                    department=production,
                    due_date=today + timedelta(days=rng.randint(5, 30)),
                )
        for cust in Customer.objects.filter(tier="oem_tier2").order_by("code")[:3]:
            services.visit_record_create(
                actor=sales,
                customer=cust,
                visited_at=timezone.now() - timedelta(days=rng.randint(5, 200)),
                summary="计划外走访：客户临时邀请参加质量评审。",
                satisfaction=rng.choice([3, 4]),
            )
            made += 1
        services.visit_plan_create(actor=sales, year=year + 1)
    if stdout is not None:
        stdout.write(
            f"Visits demo: plan {year} approved, {made} visit records, plan {year + 1} drafted.\n"
        )
