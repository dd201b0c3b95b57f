"""Writes to sample requests (R-5.1.2). Each step has an owner and a deadline stored on the
record (`step_due_at`); a step out of order is refused by the transitions table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core import deadlines
from serviceloop.core.audit import AuditAction, audit_create, snapshot
from serviceloop.core.files import store_upload
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, notify
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked
from serviceloop.customers.models import Customer

from ..models import (
    SAMPLE_TRANSITIONS,
    SampleApproval,
    SampleAttachment,
    SampleRequest,
    SampleStatus,
)
from ..models.samples import SAMPLE_APPROVERS
from .common import (
    acts_for,
    check_time,
    customer_for,
    department,
    department_people,
    departments,
    due_after,
    required_text,
    transition,
    url,
)


def _step(sample: SampleRequest, to: str, due: datetime | None) -> None:
    transition(sample, SAMPLE_TRANSITIONS, to)
    sample.step_due_at = due
    sample.step_overdue_flagged_at = None


def _tell(people, sample: SampleRequest, title: Message, key: str) -> None:
    notify(people, kind="sample_step", title=title, url=url("sample", sample.pk), dedupe_key=key)


@transaction.atomic
def sample_request(
    *,
    actor: User,
    customer: Customer | int,
    part_number: str,
    quantity: int,
    needed_by: date,
    purpose: str,
    part_name: str = "",
    drawing_revision: str = "",
    approvers: Iterable[Department | str | int] | None = None,
) -> SampleRequest:
    """Sales' written application for a sample; the departments concerned approve it."""
    require(actor, "sample.create")
    cust = customer_for(actor, customer)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    if needed_by is None:
        raise ValidationError({"needed_by": _("This field is required.")})
    if needed_by < timezone.localdate():
        raise ValidationError({"needed_by": _("This date has passed.")})
    depts = departments(
        list(SAMPLE_APPROVERS) if approvers is None else list(approvers), "approvers"
    )
    if not depts:
        raise ValidationError({"approvers": _("Choose at least one approving department.")})
    now = timezone.now()
    sample = SampleRequest(
        customer=cust,
        part_number=(part_number or "").strip(),
        part_name=(part_name or "").strip(),
        quantity=quantity,
        drawing_revision=(drawing_revision or "").strip(),
        needed_by=needed_by,
        purpose=required_text("purpose", purpose),
        requested_by=actor,
        created_by=actor,
        step_due_at=due_after(now, "sample_approval"),
        number="pending",
    )
    save_numbered(
        sample, "SMP", now, actor=actor, exclude=["follow_up_requirement", "follow_up_complaint"]
    )
    for dept in depts:
        approval = SampleApproval.objects.create(sample=sample, department=dept)
        audit_create(actor=actor, obj=approval)
        _tell(
            department_people(dept),
            sample,
            Message(
                gettext_noop("Approve sample request %(n)s: %(p)s × %(q)d"),
                n=sample.number,
                p=sample.part_number,
                q=sample.quantity,
            ),
            f"sample_approve:{approval.pk}",
        )
    return sample


def _approval(sample: SampleRequest, actor: User, dept_value) -> SampleApproval:
    dept = department(dept_value, "department")
    approval = (
        SampleApproval.objects.select_for_update().filter(sample=sample, department=dept).first()
    )
    if approval is None:
        raise ValidationError({"department": _("This department was not asked to approve.")})
    if not acts_for(actor, dept):
        raise ValidationError({"department": _("You can only decide for your own department.")})
    if approval.decided_at is not None:
        raise ValidationError({"department": _("This department has already decided.")})
    return approval


@transaction.atomic
def sample_approve(
    *, actor: User, sample: SampleRequest, department: Department | str | int
) -> SampleRequest:
    """One approving department approves; the sample is approved when all have."""
    require(actor, "sample.approve")
    sample = locked(sample)
    if sample.status != SampleStatus.REQUESTED:
        transition(sample, SAMPLE_TRANSITIONS, SampleStatus.APPROVED)  # refuses, naming states
    approval = _approval(sample, actor, department)
    before = snapshot(approval)
    approval.approved, approval.decided_at, approval.decided_by = True, timezone.now(), actor
    save_audited(approval, actor=actor, before=before, action=AuditAction.TRANSITION)
    if not sample.approvals.filter(decided_at__isnull=True).exists():
        before_s = snapshot(sample)
        _step(sample, SampleStatus.APPROVED, due_after(timezone.now(), "sample_schedule"))
        save_audited(sample, actor=actor, before=before_s, action=AuditAction.TRANSITION)
        pq = Department.objects.filter(code="production_quality").first()
        if pq is not None:
            _tell(
                department_people(pq),
                sample,
                Message(gettext_noop("Schedule sample %(n)s"), n=sample.number),
                f"sample_schedule:{sample.pk}",
            )
    return sample


@transaction.atomic
def sample_reject(
    *, actor: User, sample: SampleRequest, department: Department | str | int, reason: str
) -> SampleRequest:
    """A department rejects the application, with its reason; the request is closed."""
    require(actor, "sample.approve")
    sample = locked(sample)
    text = required_text("reason", reason)
    before_s = snapshot(sample)
    _step(sample, SampleStatus.REJECTED, None)
    approval = _approval(sample, actor, department)
    before = snapshot(approval)
    approval.approved, approval.reason = False, text
    approval.decided_at, approval.decided_by = timezone.now(), actor
    save_audited(approval, actor=actor, before=before, action=AuditAction.TRANSITION)
    save_audited(sample, actor=actor, before=before_s, action=AuditAction.TRANSITION)
    _tell(
        [sample.requested_by],
        sample,
        Message(gettext_noop("Sample request %(n)s not approved"), n=sample.number),
        f"sample_rejected:{sample.pk}",
    )
    return sample


@transaction.atomic
def sample_schedule(*, actor: User, sample: SampleRequest, planned_date: date) -> SampleRequest:
    """Production Quality plans the making of the sample."""
    require(actor, "sample.make")
    sample = locked(sample)
    if planned_date is None:
        raise ValidationError({"planned_date": _("This field is required.")})
    if planned_date < timezone.localdate():
        raise ValidationError({"planned_date": _("This date has passed.")})
    before = snapshot(sample)
    _step(sample, SampleStatus.SCHEDULED, deadlines.end_of_day(planned_date))
    sample.planned_date = planned_date
    sample.scheduled_at, sample.scheduled_by = timezone.now(), actor
    return save_audited(sample, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def sample_record_made(
    *,
    actor: User,
    sample: SampleRequest,
    lot: str,
    inspection_result: str,
    at: datetime | None = None,
    report: Any = None,
) -> SampleRequest:
    """Production Quality records the sample made: its batch/lot and the inspection result,
    with the inspection report attached as a file (``report``, checked by ``core.files``)."""
    require(actor, "sample.make")
    sample = locked(sample)
    at = at or timezone.now()
    check_time("at", at)
    before = snapshot(sample)
    _step(sample, SampleStatus.MADE, deadlines.end_of_day(sample.needed_by))
    sample.lot = required_text("lot", lot)
    sample.inspection_result = required_text("inspection_result", inspection_result)
    sample.made_at, sample.made_by = at, actor
    save_audited(sample, actor=actor, before=before, action=AuditAction.TRANSITION)
    if report is not None:
        attachment = SampleAttachment(sample=sample, uploaded_by=actor)
        store_upload(attachment, report, actor=actor, field="report")
    _tell(
        [sample.requested_by],
        sample,
        Message(gettext_noop("Sample %(n)s is made: deliver it"), n=sample.number),
        f"sample_made:{sample.pk}",
    )
    return sample


@transaction.atomic
def sample_deliver(
    *,
    actor: User,
    sample: SampleRequest,
    delivered_at: datetime | None,
    shipping_note: str = "",
) -> SampleRequest:
    """Sales records the delivery to the customer (shipping note, date)."""
    require(actor, "sample.deliver")
    sample = locked(sample)
    before = snapshot(sample)
    _step(sample, SampleStatus.DELIVERED, None)
    # Pages give minutes: a delivery in the minute the sample was scheduled is not "before" it.
    start = sample.scheduled_at.replace(second=0, microsecond=0) if sample.scheduled_at else None
    check_time("delivered_at", delivered_at, not_before=start)
    assert delivered_at is not None
    sample.step_due_at = due_after(delivered_at, "sample_confirmation")
    sample.delivered_at, sample.delivered_by = delivered_at, actor
    sample.shipping_note = (shipping_note or "").strip()
    return save_audited(sample, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def sample_confirm(
    *,
    actor: User,
    sample: SampleRequest,
    accepted: bool,
    note: str = "",
    open_requirement: bool = False,
    open_complaint: bool = False,
) -> SampleRequest:
    """The customer's answer: accepted, or rejected with reasons — which can open a customer
    requirement or a complaint with its 8D report in the same step."""
    require(actor, "sample.deliver")
    sample = locked(sample)
    before = snapshot(sample)
    _step(sample, SampleStatus.ACCEPTED if accepted else SampleStatus.REFUSED, None)
    if not accepted:
        note = required_text("note", note)
    elif open_requirement or open_complaint:
        raise ValidationError({"accepted": _("Only a rejection opens a follow-up.")})
    sample.customer_note = (note or "").strip()
    sample.confirmed_at, sample.confirmed_by = timezone.now(), actor
    if open_requirement:
        from .requirements import requirement_register

        sample.follow_up_requirement = requirement_register(
            actor=actor,
            customer=sample.customer,
            received_at=timezone.now(),
            subject=_("Sample %(n)s rejected: %(p)s")
            % {"n": sample.number, "p": sample.part_number},
            description=sample.customer_note,
        )
    if open_complaint:
        from serviceloop.complaints.services.eightd import eightd_open
        from serviceloop.complaints.services.register import complaint_register

        complaint = complaint_register(
            actor=actor,
            customer=sample.customer,
            received_at=timezone.now(),
            description=_("Sample %(n)s rejected by the customer: %(r)s")
            % {"n": sample.number, "r": sample.customer_note},
            part_number=sample.part_number,
            part_name=sample.part_name,
            lot=sample.lot,
            quantity=sample.quantity,
        )
        eightd_open(actor=actor, complaint=complaint)
        sample.follow_up_complaint = complaint
    return save_audited(sample, actor=actor, before=before, action=AuditAction.TRANSITION)
