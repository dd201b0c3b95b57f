"""Field service's contribution to "my work": what each user owes here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core.my_work import WorkCount, WorkItem, most_urgent, register
from serviceloop.core.permissions import can, has_role, scope_by_customer
from serviceloop.core.roles import RoleCode

from .domain import rules
from .models import (
    Escalation,
    EscalationStatus,
    InfoFormRouting,
    PartsRequest,
    RequestKind,
    RequestStatus,
    ReturnForRepairForm,
    ReturnStatus,
    WeeklyFeedback,
)


@register
def fieldservice_work(user: Any) -> Iterator[WorkItem | WorkCount]:
    if not can(user, "fieldservice.view"):
        return
    yield from _engineer(user)
    yield from _sales(user)
    yield from _warehouse(user)
    yield from _departments(user)


def _engineer(user: Any) -> Iterator[WorkItem | WorkCount]:
    if not has_role(user, RoleCode.SERVICE_ENGINEER):
        return
    from .selectors import owed_weeks_of

    for week in owed_weeks_of(user):
        yield WorkItem(
            "fieldservice.weekly_feedback",
            _("Weekly quality feedback, week %s") % rules.week_label(week),
            reverse("fieldservice:feedback_week", args=[user.pk, week.isoformat()]),
            deadlines.weekly_feedback_due(week),
            _("To Sales by the end of the following Monday (R-5.9.4)"),
        )
    forms = ReturnForRepairForm.objects.filter(
        engineer=user, status__in=[ReturnStatus.DRAFT, ReturnStatus.HELD]
    ).select_related("customer")

    def item(f: ReturnForRepairForm) -> WorkItem:
        held = f.status == ReturnStatus.HELD
        return WorkItem(
            "fieldservice.return",
            (_("Correct the held return form %s") if held else _("Countersign the return form %s"))
            % f.number,
            f.get_absolute_url(),
            None,
            f.discrepancy if held else f.customer.name,
        )

    yield from most_urgent(forms, item, kind="fieldservice.return", order=None)


def _sales(user: Any) -> Iterator[WorkItem | WorkCount]:
    if can(user, "escalation.coordinate"):
        qs = scope_by_customer(user, Escalation.objects.exclude(status=EscalationStatus.DONE))
        qs = qs.filter(Q(coordinator=user) | Q(status=EscalationStatus.OPEN))
        yield from most_urgent(
            qs.select_related("customer"),
            lambda e: WorkItem(
                "fieldservice.escalation",
                _("Escalation %(n)s: %(c)s — %(t)s")
                % {"n": e.number, "c": e.customer.name, "t": e.title},
                e.get_absolute_url(),
                e.due_at,
                e.get_status_display(),
            ),
            kind="fieldservice.escalation",
        )
    if can(user, "feedback.review"):
        waiting = WeeklyFeedback.objects.filter(status="submitted").count()
        if waiting:
            yield WorkItem(
                "fieldservice.feedback_review",
                _("%d weekly feedbacks to review") % waiting,
                reverse("fieldservice:feedback_compliance"),
                None,
            )
    if can(user, "parts.approve"):
        submitted = (
            scope_by_customer(user, PartsRequest.objects.filter(status=RequestStatus.SUBMITTED))
            .exclude(requested_by=user)
            .select_related("customer")
        )
        yield from most_urgent(
            submitted,
            lambda r: WorkItem(
                "fieldservice.parts_approve",
                (
                    _("Approve the URGENT draw %s")
                    if r.kind == RequestKind.URGENT
                    else _("Approve the spare-parts request %s")
                )
                % r.number,
                r.get_absolute_url(),
                None,
                r.customer.name,
            ),
            kind="fieldservice.parts_approve",
            order=None,
        )


def _warehouse(user: Any) -> Iterator[WorkItem | WorkCount]:
    if not can(user, "warehouse.handle"):
        return
    queued = PartsRequest.objects.filter(status=RequestStatus.APPROVED).aggregate(
        n=Count("pk"), u=Count("pk", filter=Q(kind=RequestKind.URGENT))
    )
    if queued["n"]:
        yield WorkItem(
            "fieldservice.warehouse",
            _("%(n)d parts requests to issue (%(u)d urgent)") % queued,
            reverse("fieldservice:warehouse"),
            None,
        )
    to_check = ReturnForRepairForm.objects.filter(status=ReturnStatus.SIGNED).count()
    if to_check:
        yield WorkItem(
            "fieldservice.return_check",
            _("%d return forms to check") % to_check,
            reverse("fieldservice:warehouse"),
            None,
        )


def _departments(user: Any) -> Iterator[WorkItem | WorkCount]:
    if not (can(user, "infoform.acknowledge") and user.department_id):
        return
    routed = InfoFormRouting.objects.filter(
        department_id=user.department_id, acknowledged_at__isnull=True
    ).select_related("form")
    yield from most_urgent(
        routed,
        lambda r: WorkItem(
            "fieldservice.infoform",
            _("Acknowledge the information feedback form %(n)s %(t)s")
            % {"n": r.form.number, "t": r.form.title},
            reverse("fieldservice:infoform_detail", args=[r.form_id]),
            None,
        ),
        kind="fieldservice.infoform",
        order=None,
    )
