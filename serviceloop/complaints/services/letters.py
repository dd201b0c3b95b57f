"""Reply letters (回答书, R-5.5.6): Quality keeps each customer's letter form and drafts the
letter from the 8D; Sales sends it and records when, how and to whom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.notifications import Message
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition
from serviceloop.customers.models import Customer

from ..documents.letters import letter_from_form, validate_form
from ..models import (
    REPLY_TRANSITIONS,
    EightDReport,
    ReplyLetter,
    ReplyStatus,
    ReplyTemplate,
    SendMethod,
)
from .common import check_time, notify_people, required_text

LETTER_FIELDS = ("title", "subject", "body", "attach_8d")


@transaction.atomic
def reply_template_save(
    *,
    actor: User,
    customer: Customer | int,
    title: str,
    subject: str,
    body: str,
    attach_8d: bool = False,
    notes: str = "",
) -> ReplyTemplate:
    """Quality records the form a customer requires its reply letters in (R-5.5.6)."""
    require(actor, "reply.draft")
    cust = customer_for(actor, customer)
    values: dict[str, Any] = {
        "title": required_text("title", title),
        "subject": required_text("subject", subject),
        "body": required_text("body", body),
        "attach_8d": bool(attach_8d),
        "notes": (notes or "").strip(),
    }
    validate_form(subject=values["subject"], body=values["body"])
    form = ReplyTemplate.objects.select_for_update().filter(customer=cust).first()
    if form is None:
        form = ReplyTemplate(customer=cust, created_by=actor, **values)
        return save_audited(form, actor=actor, before=None, clean=True)
    before = snapshot(form)
    for key, value in values.items():
        setattr(form, key, value)
    return save_audited(form, actor=actor, before=before, clean=True)


@transaction.atomic
def reply_draft(
    *,
    actor: User,
    report: EightDReport,
    regenerate: bool = False,
    **data: str | bool,
) -> tuple[ReplyLetter, bool]:
    """Quality drafts the reply letter: the first draft is filled from the 8D with the
    customer's form (or the default Chinese letter); later calls edit it, or refill it from
    the 8D as it stands now (`regenerate`). A sent letter no longer changes."""
    require(actor, "reply.draft")
    report = EightDReport.objects.select_related("complaint__customer").get(pk=report.pk)
    unknown = [k for k in data if k not in LETTER_FIELDS]
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    letter = ReplyLetter.objects.select_for_update().filter(report=report).first()
    if letter is not None and letter.status == ReplyStatus.SENT:
        raise ValidationError({"status": _("The letter has been sent; it can no longer change.")})
    form = ReplyTemplate.objects.filter(customer=report.complaint.customer).first()
    created = letter is None
    if letter is None or regenerate:
        filled = letter_from_form(report, form)
        if letter is not None and letter.attach_8d:
            # Refilling the text keeps "attach the full 8D" once somebody ticked it.
            filled["attach_8d"] = True
        filled.update({k: v for k, v in data.items()})
    else:
        filled = dict(data)
    before = snapshot(letter) if letter is not None else None
    if letter is None:
        letter = ReplyLetter(report=report, drafted_by=actor, created_by=actor, template=form)
    elif regenerate:
        letter.template = form
    for key, value in filled.items():
        setattr(letter, key, value.strip() if isinstance(value, str) else bool(value))
    for field in ("title", "subject", "body"):
        required_text(field, getattr(letter, field))
    letter.drafted_by = actor
    save_audited(letter, actor=actor, before=before, clean=True)
    return letter, created


@transaction.atomic
def reply_send(
    *,
    actor: User,
    letter: ReplyLetter,
    sent_to: str,
    method: str,
    at: datetime | None = None,
) -> ReplyLetter:
    """Sales sends the letter Quality drafted and records it (R-5.5.6)."""
    require(actor, "reply.send")
    letter = (
        ReplyLetter.objects.select_for_update()
        .select_related("report__complaint")
        .get(pk=letter.pk)
    )
    complaint = letter.report.complaint
    before = snapshot(letter)
    transition(letter, ReplyStatus.SENT, actor=actor, table=REPLY_TRANSITIONS, save=False)
    recipient = required_text("sent_to", sent_to, _("Say to whom the letter went."))
    if method not in SendMethod.values:
        raise ValidationError({"method": _("Choose how the letter was sent.")})
    at = at or timezone.now()
    check_time("at", at, not_before=complaint.received_at)
    letter.sent_at, letter.sent_by, letter.sent_to, letter.send_method = (
        at,
        actor,
        recipient,
        method,
    )
    save_audited(letter, actor=actor, before=before, action=AuditAction.TRANSITION)
    report = letter.report
    notify_people(
        [report.leader] if report.leader else [letter.drafted_by],
        kind="reply_sent",
        title=Message(
            gettext_noop("Reply letter for %(n)s sent to %(c)s"),
            n=complaint.number,
            c=complaint.customer.name,
        ),
        url=complaint.get_absolute_url(),
        key=f"reply_sent:{letter.pk}",
    )
    return letter
