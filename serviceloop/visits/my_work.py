"""Visits' contribution to "my work": the annual plan until approved (31 January), records
to review, copies to read, improvement actions to close or verify."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core.my_work import WorkCount, WorkItem, most_urgent, register
from serviceloop.core.permissions import can, has_role, scope_by_customer
from serviceloop.core.roles import RoleCode as R

from .models import (
    ActionStatus,
    ImprovementAction,
    PlanStatus,
    RecordStatus,
    VisitCopy,
    VisitPlan,
    VisitRecord,
)

# Who owes the next step of the year's plan, by its state.
PLAN_STEP = {
    PlanStatus.DRAFT: ("visit_plan.draft", (R.SALES, R.SALES_LEADER, R.DEPT_HEAD)),
    PlanStatus.SUBMITTED: ("visit_plan.review", (R.SALES_LEADER,)),
    PlanStatus.REVIEWED: ("visit_plan.approve", (R.COMPANY_LEADER, R.GENERAL_MANAGER)),
}


def _plan_items(user: Any) -> Iterator[WorkItem]:
    year = timezone.localdate().year
    due = deadlines.end_of_day(deadlines.visit_plan_approval_due(year))
    plan = VisitPlan.objects.filter(year=year).first()
    if plan is None:
        if has_role(user, R.SALES, R.SALES_LEADER, R.COMPANY_LEADER, R.GENERAL_MANAGER):
            target = reverse("visits:plans")
            yield WorkItem(
                "visit_plan.missing",
                _("Annual visit plan %(y)s: not drafted yet") % {"y": year},
                target,
                due,
                _("Approved by company leadership by %(d)s") % {"d": due.date().isoformat()},
            )
        return
    if plan.status == PlanStatus.APPROVED:
        return
    action, roles = PLAN_STEP[PlanStatus(plan.status)]
    owes = has_role(user, *roles) and can(user, action)
    watches = has_role(user, R.SALES_LEADER, R.COMPANY_LEADER, R.GENERAL_MANAGER)
    if owes or watches:
        yield WorkItem(
            "visit_plan.approval",
            _("Annual visit plan %(y)s: %(s)s") % {"y": year, "s": plan.get_status_display()},
            reverse("visits:plan", args=[plan.pk]),
            deadlines.end_of_day(plan.approval_due),
            _("Approved by company leadership by %(d)s") % {"d": plan.approval_due.isoformat()},
        )


@register
def visit_work(user: Any) -> Iterator[WorkItem | WorkCount]:
    yield from _plan_items(user)
    if can(user, "visit_record.review") and (
        has_role(user, R.SALES_LEADER) or getattr(user.department, "code", "") == "sales"
    ):
        to_review = scope_by_customer(
            user, VisitRecord.objects.filter(status=RecordStatus.FILED)
        ).select_related("customer")
        yield from most_urgent(
            to_review,
            lambda rec: WorkItem(
                "visit_record.review",
                _("Review visit record %(n)s %(c)s") % {"n": rec.number, "c": rec.customer.name},
                reverse("visits:detail", args=[rec.pk]),
                None,
                rec.summary[:120],
            ),
            kind="visit_record.review",
            order=None,
        )
    if user.department_id and can(user, "visit_record.read"):
        unread = scope_by_customer(
            user,
            VisitCopy.objects.filter(department_id=user.department_id, read_at__isnull=True),
            field="record__customer",
        ).select_related("record", "record__customer")

        def read(copy: VisitCopy) -> WorkItem:
            rec = copy.record
            return WorkItem(
                "visit_record.read",
                _("Read visit record %(n)s %(c)s") % {"n": rec.number, "c": rec.customer.name},
                reverse("visits:detail", args=[rec.pk]),
                None,
                _("Copy to %(d)s") % {"d": copy.department},
            )

        yield from most_urgent(
            unread.select_related("department"), read, kind="visit_record.read", order=None
        )
    open_actions = ImprovementAction.objects.filter(owner_id=user.pk, status=ActionStatus.OPEN)
    yield from most_urgent(
        open_actions.select_related("record"),
        lambda act: WorkItem(
            "visit_action.close",
            _("Improvement action: %(d)s") % {"d": act.description[:80]},
            reverse("visits:detail", args=[act.record_id]),
            act.due_at,
            act.record.number,
        ),
        kind="visit_action.close",
    )
    if can(user, "visit_action.verify") and has_role(user, R.SALES, R.SALES_LEADER):
        closed = ImprovementAction.objects.filter(
            status=ActionStatus.CLOSED, record__created_by_id=user.pk
        )
        yield from most_urgent(
            closed.select_related("record"),
            lambda act: WorkItem(
                "visit_action.verify",
                _("Verify improvement action: %(d)s") % {"d": act.description[:80]},
                reverse("visits:detail", args=[act.record_id]),
                None,
                act.record.number,
            ),
            kind="visit_action.verify",
            order=None,
        )
