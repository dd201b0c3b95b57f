"""Demo training: one held this year with attendance and assessments, one planned."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from serviceloop.core.demo import demo_users

from . import services
from .models import Training


def run(*, rng: random.Random, stdout: Any = None) -> None:
    people = demo_users("sales1", "eng1", "eng2", "sales2", "agent1")
    if len(people) < 5 or Training.objects.exists():
        return
    today = timezone.localdate()
    held_on = min(date(today.year, 4, 15), today - timedelta(days=1))
    with transaction.atomic():
        t = services.training_create(
            actor=people["sales1"],
            title="减振器安装、故障判断与三包鉴定",
            held_on=held_on,
            trainer="技术部 赵敏",
            hours=6,
            location="公司培训室",
            content=(
                "1. 产品结构与安装要求\n2. 常见失效模式判断（漏油、异响、断裂）\n"
                "3. 三包鉴定与返件流程"
            ),
            attendees=[people[u].pk for u in ("eng1", "eng2", "sales2", "agent1")],
            external=[("王建国", "华东汽配服务有限公司"), ("陈小平", "西南汽配贸易有限公司")],
        )
        results = []
        for n, a in enumerate(t.attendees.all()):
            present = n != 3
            results.append(
                {
                    "id": a.pk,
                    "attended": present,
                    "score": rng.randint(72, 98) if present else None,
                    "passed": True if present else None,
                }
            )
        services.training_record_attendance(actor=people["sales1"], training=t, results=results)
        services.training_create(
            actor=people["sales1"],
            title="售后服务规范与客户沟通",
            held_on=today + timedelta(days=20),
            trainer="销售部 王强",
            hours=3,
            attendees=[people["eng1"].pk, people["eng2"].pk],
        )
    if stdout is not None:
        stdout.write("Training demo: one held, one planned.\n")
