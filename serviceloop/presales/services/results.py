"""The result of analysis and corrective action told to the customer (R-5.2.5)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.audit import AuditAction, audit_create, snapshot
from serviceloop.core.models import User
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked

from ..models import CustomerRequirement, ResultLetter
from .common import required_text


def draft_text(source: Any) -> tuple[str, str]:
    """Subject and body of the letter, drafted in Chinese from the record."""
    customer = source.customer.name
    if isinstance(source, CustomerRequirement):
        verdicts = "\n".join(
            f"{e.department.name_zh}:{e.get_verdict_display()} {e.conditions or e.note}".strip()
            for e in source.evaluations.select_related("department")
            if e.evaluated_at
        )
        subject = f"关于贵公司要求“{source.subject}”的评审结果"
        day = f"{timezone.localtime(source.received_at):%Y-%m-%d}"
        facts = f"贵公司于{day}提出的要求(编号 {source.number})"
        result = (source.outcome or verdicts or "—").strip()
    else:
        subject = f"关于“{source.subject}”的分析与纠正措施结果"
        day = f"{timezone.localtime(source.received_at):%Y-%m-%d}"
        facts = f"贵公司于{day}反馈的信息(编号 {source.number})"
        result = (source.feedback_text or source.answer_text or "—").strip()
    body = (
        f"{customer}:\n\n{facts},我公司已组织相关部门进行分析并采取了纠正措施。现将结果通知如下:\n\n"
        f"{result}\n\n我公司将把上述结果纳入持续改进工作。感谢贵公司的支持!\n\n此致\n敬礼!"
    )
    return subject, body


@transaction.atomic
def result_letter_create(
    *,
    actor: User,
    source: Any,
    subject: str = "",
    body: str = "",
    improvement_reference: str = "",
    sent: bool = False,
) -> ResultLetter:
    """Draft (and optionally mark as sent) the letter telling the customer the result of
    analysis and corrective action, from a communication or a requirement."""
    require(actor, "result.create")
    from serviceloop.communications.models import Communication

    if not isinstance(source, CustomerRequirement | Communication):
        raise ValidationError({"source": _("Choose a communication or a customer requirement.")})
    draft_subject, draft_body = draft_text(source)
    now = timezone.now()
    letter = ResultLetter(
        customer=source.customer,
        communication=source if isinstance(source, Communication) else None,
        requirement=source if isinstance(source, CustomerRequirement) else None,
        subject=(subject or draft_subject).strip(),
        body=(body or draft_body).strip(),
        improvement_reference=(improvement_reference or "").strip(),
        created_by=actor,
        number="pending",
    )
    letter.full_clean(exclude=["number", "communication", "requirement"])
    letter.number = next_number("RES", now)
    if sent:
        letter.sent_at, letter.sent_by = now, actor
    letter.save()
    audit_create(actor=actor, obj=letter)
    return letter


@transaction.atomic
def result_letter_send(*, actor: User, letter: ResultLetter) -> ResultLetter:
    require(actor, "result.create")
    letter = locked(letter)
    if letter.sent_at is not None:
        raise ValidationError({"sent": _("This letter was already sent.")})
    required_text("body", letter.body)
    before = snapshot(letter)
    letter.sent_at, letter.sent_by = timezone.now(), actor
    return save_audited(letter, actor=actor, before=before, action=AuditAction.TRANSITION)
