"""Demo summary: the last ended half year drafted from the demo data, narrative written."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from serviceloop.core.models import User

from . import services
from .models import ServiceSummary


def run(*, rng: random.Random, stdout: Any = None) -> None:
    sales = User.objects.filter(username="sales1").first()
    period = services.last_ended_period()
    if sales is None or ServiceSummary.objects.filter(period=period).exists():
        return
    with transaction.atomic():
        s = services.summary_draft(actor=sales, period=period)
        services.summary_edit(
            actor=sales,
            summary=s,
            achievements="1. 来电来函24小时内答复率保持较高水平;\n2. 重点主机厂走访按计划进行。",
            shortcomings="1. 部分8D报告关闭超期;\n2. 个别顾客的一周内反馈不及时。",
            direction="1. 加强8D各阶段的期限跟踪;\n2. 下半年组织一次三包鉴定培训。",
        )
    if stdout is not None:
        stdout.write(f"Summaries demo: {period} drafted.\n")
