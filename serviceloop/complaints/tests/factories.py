"""Factories for complaints tests: records are made through the services, like real ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from serviceloop.complaints import services
from serviceloop.complaints.models import (
    ActionKind,
    Complaint,
    EightDReport,
    Location,
)
from serviceloop.core.models import User
from serviceloop.core.testing.factories import CustomerFactory, user_with


def register_complaint(
    actor: User | None = None,
    customer: Any = None,
    received_at: datetime | None = None,
    **kwargs: Any,
) -> Complaint:
    return services.complaint_register(
        actor=actor or user_with("sales"),
        customer=customer or CustomerFactory(),
        received_at=received_at or timezone.now() - timedelta(hours=2),
        part_number=kwargs.pop("part_number", "SA-2031"),
        quantity=kwargs.pop("quantity", 12),
        description=kwargs.pop("description", "减振器漏油,装车后三天内发现。"),
        lot=kwargs.pop("lot", "L2026-0412"),
        **kwargs,
    )


def open_report(
    complaint: Complaint | None = None, *, leader: User | None = None, **kwargs: Any
) -> EightDReport:
    complaint = complaint or register_complaint(**kwargs)
    sales = complaint.received_by or user_with("sales")
    report, _created = services.eightd_open(actor=sales, complaint=complaint, leader=leader)
    return report


def soon(hours: int = 48) -> datetime:
    return timezone.now() + timedelta(hours=hours)


def complete_up_to_close(report: EightDReport, quality: User) -> EightDReport:
    """Fill every discipline D0–D7 the way a real team would, so the report can close."""
    if report.leader_id is None:
        services.eightd_set_leader(actor=quality, report=report, leader=quality)
    services.team_add(actor=quality, report=report, user=user_with("production"), role="member")
    services.discipline_update(
        actor=quality, report=report, code="d0", summary="通知顾客暂停使用该批次,安排换货。"
    )
    services.discipline_update(
        actor=quality,
        report=report,
        code="d2",
        problem_statement="减振器漏油",
        d2_what="SA-2031 活塞杆油封处漏油",
    )
    containment = services.containment_add(
        actor=quality,
        report=report,
        location=Location.FINISHED_GOODS,
        action="成品库同批次全部隔离复检",
        owner=quality,
        quantity_checked=200,
        quantity_found=3,
        quantity_isolated=200,
        quantity_tagged=3,
    )
    services.containment_done(actor=quality, containment=containment, result="隔离完毕,发现3件")
    services.cause_add(
        actor=quality,
        report=report,
        kind="occurrence",
        category="machine",
        description="油封压装机压力偏低",
        work_station="油封压装工位",
        operator="王五",
        inspector="赵六",
        process_card_ref="GY-031",
    )
    services.cause_add(
        actor=quality,
        report=report,
        kind="escape",
        category="measurement",
        description="气密检测抽检频次不足",
        inspector="赵六",
    )
    action = services.action_add(
        actor=quality,
        report=report,
        discipline="d5",
        kind=ActionKind.CORRECTIVE,
        description="调整压装机压力并加装压力报警",
        owner=quality,
        due_at=soon(),
    )
    services.action_complete(actor=quality, action=action, result="已调整并验证")
    services.action_verify(actor=quality, action=action, effective=True, note="连续三批无泄漏")
    services.discipline_update(actor=quality, report=report, code="d6", summary="措施已实施验证")
    services.discipline_update(actor=quality, report=report, code="d7", summary="修订作业指导书")
    for code in ("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"):
        services.discipline_complete(actor=quality, report=report, code=code)
    return report


def add_customer_cause(report: EightDReport, quality: User, description: str = "顾客设计原因"):
    """A D4 root cause in the customer's own design or manufacture (R-5.5.7): the 8D may then
    be referred to Sales."""
    return services.cause_add(
        actor=quality,
        report=report,
        kind="occurrence",
        category="design",
        description=description,
        responsibility="customer",
    )
