"""Writes to customer requirements and their evaluations (R-5.1.1)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_create, snapshot
from serviceloop.core.files import store_upload
from serviceloop.core.models import Department, User
from serviceloop.core.notifications import Message, notify
from serviceloop.core.numbering import save_numbered
from serviceloop.core.permissions import can, require
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked
from serviceloop.customers.models import Contact, Customer

from ..models import (
    EVALUATING_DEPARTMENTS,
    REQUIREMENT_TRANSITIONS,
    CustomerRequirement,
    Evaluation,
    FollowUpAction,
    Order,
    RequirementAttachment,
    RequirementStatus,
    Verdict,
)
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


@transaction.atomic
def requirement_register(
    *,
    actor: User,
    customer: Customer | int,
    received_at: datetime | None,
    subject: str,
    description: str,
    evaluators: Iterable[Department | str | int] | None = None,
    contact: Contact | None = None,
    owner: User | None = None,
    due_days: int | None = None,
) -> CustomerRequirement:
    """Sales records the requirement exactly and routes it for evaluation to the chosen
    departments (R&D, Production Quality, Purchasing by default), each with its due date."""
    require(actor, "requirement.create")
    cust = customer_for(actor, customer)
    check_time("received_at", received_at)
    assert received_at is not None
    codes = list(EVALUATING_DEPARTMENTS) if evaluators is None else list(evaluators)
    depts = departments(codes, "evaluators")
    if not depts:
        raise ValidationError({"evaluators": _("Choose at least one department to evaluate.")})
    if due_days is not None and not 1 <= due_days <= 60:
        raise ValidationError({"due_days": _("Give between 1 and 60 working days.")})
    if contact is not None and contact.customer_id != cust.pk:
        raise ValidationError({"contact": _("This contact belongs to another customer.")})
    now = timezone.now()
    req = CustomerRequirement(
        customer=cust,
        contact=contact,
        received_at=received_at,
        subject=(subject or "").strip(),
        description=(description or "").strip(),
        owner=owner or actor,
        created_by=actor,
        evaluation_due_at=due_after(max(now, received_at), "evaluation", due_days),
        number="pending",
    )
    save_numbered(req, "REQ", received_at, actor=actor, exclude=["order", "eight_d"])
    for dept in depts:
        ev = Evaluation.objects.create(
            requirement=req, department=dept, due_at=req.evaluation_due_at
        )
        audit_create(actor=actor, obj=ev)
        notify(
            department_people(dept),
            kind="requirement_evaluation",
            title=Message(
                gettext_noop("Evaluate customer requirement %(n)s: %(s)s"),
                n=req.number,
                s=req.subject,
            ),
            body=Message.verbatim(req.description),
            url=url("requirement", req.pk),
            dedupe_key=f"requirement_eval:{ev.pk}",
        )
    return req


@transaction.atomic
def requirement_evaluate(
    *,
    actor: User,
    requirement: CustomerRequirement,
    department: Department | str | int,
    verdict: str,
    note: str = "",
    conditions: str = "",
    cost_impact: str = "",
    lead_time_impact: str = "",
) -> Evaluation:
    """A department records its verdict, with conditions and cost or lead-time impact."""
    require(actor, "requirement.evaluate")
    req = locked(requirement)
    dept = _department(department)
    ev = Evaluation.objects.select_for_update().filter(requirement=req, department=dept).first()
    if ev is None:
        raise ValidationError({"department": _("This department was not asked to evaluate.")})
    if not acts_for(actor, dept):
        raise ValidationError({"department": _("You can only evaluate for your own department.")})
    if ev.evaluated_at is not None:
        raise ValidationError({"department": _("This department has already evaluated.")})
    if verdict not in Verdict.values:
        raise ValidationError(
            {"verdict": _("Choose feasible, feasible with conditions or not feasible.")}
        )
    if verdict == Verdict.CONDITIONAL and not (conditions or note).strip():
        raise ValidationError({"conditions": _("State the conditions.")})
    if verdict == Verdict.NOT_FEASIBLE and not (note or "").strip():
        raise ValidationError({"note": _("Say why it is not feasible.")})
    before = snapshot(ev)
    ev.verdict = verdict
    ev.note, ev.conditions = (note or "").strip(), (conditions or "").strip()
    ev.cost_impact, ev.lead_time_impact = (
        (cost_impact or "").strip(),
        (lead_time_impact or "").strip(),
    )
    ev.evaluated_at, ev.evaluated_by = timezone.now(), actor
    save_audited(ev, actor=actor, before=before, action=AuditAction.TRANSITION, clean=True)
    if not req.evaluations.filter(evaluated_at__isnull=True).exists():
        before_req = snapshot(req)
        transition(req, REQUIREMENT_TRANSITIONS, RequirementStatus.EVALUATED)
        save_audited(req, actor=actor, before=before_req, action=AuditAction.TRANSITION)
        notify(
            [req.owner],
            kind="requirement_evaluated",
            title=Message(
                gettext_noop("All evaluations in: %(n)s %(s)s"), n=req.number, s=req.subject
            ),
            url=url("requirement", req.pk),
            dedupe_key=f"requirement_evaluated:{req.pk}",
        )
    return ev


def _department(value: Department | str | int) -> Department:
    return department(value, "department")


@transaction.atomic
def requirement_conclude(
    *,
    actor: User,
    requirement: CustomerRequirement,
    outcome: str,
    order: Order | None = None,
    contract_reference: str = "",
    eight_d: object | None = None,
    improvement_reference: str = "",
) -> CustomerRequirement:
    """Sales records the outcome agreed with the customer, only once every requested
    department has answered, and links it to the order/contract and improvement actions."""
    require(actor, "requirement.conclude")
    req = locked(requirement)
    waiting = [str(e.department) for e in req.evaluations.filter(evaluated_at__isnull=True)]
    if waiting:
        raise ValidationError(
            {
                "outcome": _("Cannot conclude yet: waiting for the evaluation of %(d)s.")
                % {"d": "、".join(waiting)}
            }
        )
    text = required_text("outcome", outcome)
    if order is not None and order.customer_id != req.customer_id:
        raise ValidationError({"order": _("This order belongs to another customer.")})
    before = snapshot(req)
    transition(req, REQUIREMENT_TRANSITIONS, RequirementStatus.CONCLUDED)
    req.outcome = text
    req.order = order
    req.contract_reference = (contract_reference or "").strip()
    req.eight_d = eight_d  # type: ignore[assignment]
    req.improvement_reference = (improvement_reference or "").strip()
    req.concluded_at, req.concluded_by = timezone.now(), actor
    return save_audited(req, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def requirement_add_action(
    *,
    actor: User,
    requirement: CustomerRequirement,
    description: str,
    owner: User,
    due_date: date,
) -> FollowUpAction:
    """A follow-up action the requirement feeds (R-5.1.1 "quality improvement"), with owner
    and due date; it appears on the owner's "my work"."""
    require(actor, "requirement.conclude")
    text = required_text("description", description)
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("Choose an active user.")})
    if due_date is None:
        raise ValidationError({"due_date": _("This field is required.")})
    action = FollowUpAction.objects.create(
        requirement=requirement, description=text, owner=owner, due_date=due_date
    )
    audit_create(actor=actor, obj=action)
    notify(
        [owner],
        kind="followup_action",
        title=Message(gettext_noop("Follow-up action for %(n)s"), n=requirement.number),
        body=Message.verbatim(text),
        url=url("requirement", requirement.pk),
        dedupe_key=f"followup:{action.pk}",
    )
    return action


@transaction.atomic
def followup_done(*, actor: User, action: FollowUpAction) -> FollowUpAction:
    """The action's owner, or Sales, records it done."""
    action = locked(action)
    require(actor, "requirement.view" if action.owner_id == actor.pk else "requirement.conclude")
    if action.done_at is not None:
        raise ValidationError({"done": _("This action is already done.")})
    before = snapshot(action)
    action.done_at = timezone.now()
    return save_audited(action, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def requirement_attach(
    *,
    actor: User,
    requirement: CustomerRequirement,
    upload: Any,
    evaluation: Evaluation | int | None = None,
    description: str = "",
) -> RequirementAttachment:
    """Attach a drawing or specification to a requirement (Sales), or a file to one
    department's evaluation (that department); checked and stored by ``core.files``.
    A concluded requirement takes no more files."""
    require(actor, "requirement.attach")
    req = locked(requirement)
    ev: Evaluation | None = None
    if evaluation is None:
        if not can(actor, "requirement.create"):
            raise ValidationError(
                {"evaluation": _("Choose your department's evaluation to attach the file to.")}
            )
    else:
        if not can(actor, "requirement.evaluate"):
            raise ValidationError(
                {"evaluation": _("Only Sales attaches files to the requirement itself.")}
            )
        ev_pk = evaluation.pk if isinstance(evaluation, Evaluation) else evaluation
        ev = Evaluation.objects.filter(requirement=req, pk=ev_pk).first()
        if ev is None:
            raise ValidationError({"evaluation": _("No such evaluation on this requirement.")})
        if not acts_for(actor, ev.department):
            raise ValidationError(
                {"evaluation": _("You can only add files to your own department's evaluation.")}
            )
    if req.status == RequirementStatus.CONCLUDED:
        raise ValidationError({"file": _("A concluded requirement takes no more files.")})
    attachment = RequirementAttachment(
        requirement=req,
        evaluation=ev,
        description=(description or "").strip()[:200],
        uploaded_by=actor,
    )
    return store_upload(attachment, upload, actor=actor)
