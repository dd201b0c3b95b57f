"""Reads of complaints and 8D reports for UI, API and exports; always scoped to what the user
may see, so that a record outside the scope is a 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from serviceloop.core.filters import filter_given, search
from serviceloop.core.models import AuditEntry
from serviceloop.core.permissions import can, require, role_codes, scope_by_customer, visible

from ..models import (
    CIRCULATION_ROLES,
    ActionItem,
    ActionStatus,
    Circulation,
    Complaint,
    Containment,
    EightDReport,
    ReplyLetter,
    ReplyTemplate,
    RootCause,
    TeamMember,
)

REPORT_CUSTOMER = "complaint__customer"
TASK_CUSTOMER = "report__complaint__customer"


def complaint_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    status: str = "",
    kind: str = "",
    severity: str = "",
    in_production: bool | None = None,
    part_number: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
) -> QuerySet[Complaint]:
    qs = visible(user, "complaint.view", Complaint.objects.all()).select_related(
        "customer", "received_by", "eight_d", "eight_d__reply"
    )
    qs = search(
        qs,
        q,
        "number",
        "description",
        "part_number",
        "lot",
        "customer__name",
        "customer__code",
        "eight_d__number",
    )
    qs = filter_given(
        qs,
        customer_id=customer,
        status=status,
        kind=kind,
        severity=severity,
        in_production=in_production,
        part_number__icontains=part_number,
        received_at__date__gte=received_from,
        received_at__date__lte=received_to,
    )
    return qs


def complaint_get(user: Any, pk: int) -> Complaint:
    qs = visible(user, "complaint.view", Complaint.objects.all()).select_related(
        "customer", "received_by", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def complaints_from_source(user: Any, source: Any) -> list[Complaint]:
    """The complaints (with their 8D) raised from another record, e.g. a communication
    flagged as a major quality problem: for that record's page. Empty for a user who may
    not see complaints."""
    if not can(user, "complaint.view"):
        return []
    qs = scope_by_customer(
        user,
        Complaint.objects.filter(source_type=source._meta.label_lower, source_id=str(source.pk)),
    )
    return list(qs.select_related("eight_d", "eight_d__leader"))


def _reports(user: Any) -> QuerySet[EightDReport]:
    return visible(user, "eightd.view", EightDReport.objects.all(), field=REPORT_CUSTOMER)


def report_list(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    leader: int | None = None,
    customer: int | None = None,
) -> QuerySet[EightDReport]:
    qs = _reports(user).select_related("complaint", "complaint__customer", "leader")
    qs = search(
        qs, q, "number", "complaint__number", "complaint__customer__name", "complaint__part_number"
    )
    qs = filter_given(qs, status=status, leader_id=leader, complaint__customer_id=customer)
    return qs


def report_get(user: Any, pk: int) -> EightDReport:
    qs = _reports(user).select_related(
        "complaint", "complaint__customer", "complaint__received_by", "leader", "closed_by"
    )
    return get_object_or_404(qs, pk=pk)


def report_full(report: EightDReport) -> dict[str, Any]:
    """Everything on one report, fetched once, for its page and its documents."""
    return {
        "disciplines": {
            d.code: d for d in report.disciplines.select_related("owner", "completed_by")
        },
        "team": list(report.team.select_related("user", "department")),
        "containments": list(
            report.containments.select_related("owner", "department", "done_by", "reinspected_by")
        ),
        "causes": list(report.root_causes.select_related("department")),
        "actions": list(
            report.actions.select_related(
                "owner", "department", "done_by", "verified_by", "root_cause"
            )
        ),
        "circulation": list(report.circulation.select_related("acknowledged_by")),
        "reply": ReplyLetter.objects.filter(report=report).select_related("sent_by").first(),
    }


def report_history(report: EightDReport) -> QuerySet[AuditEntry]:
    """The audit trail of the whole 8D: the report and every part of it, in order."""
    parts: dict[str, Any] = {
        "complaints.eightdreport": [report.pk],
        "complaints.discipline": report.disciplines.values_list("pk", flat=True),
        "complaints.teammember": report.team.values_list("pk", flat=True),
        "complaints.containment": report.containments.values_list("pk", flat=True),
        "complaints.rootcause": report.root_causes.values_list("pk", flat=True),
        "complaints.actionitem": report.actions.values_list("pk", flat=True),
        "complaints.circulation": report.circulation.values_list("pk", flat=True),
        "complaints.replyletter": ReplyLetter.objects.filter(report=report).values_list(
            "pk", flat=True
        ),
    }
    q = Q()
    for object_type, ids in parts.items():
        q |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
    return AuditEntry.objects.filter(q).select_related("actor").order_by("seq")


def action_list(
    user: Any,
    *,
    status: str = "",
    overdue: bool | None = None,
    owner: int | None = None,
    discipline: str = "",
    now: datetime | None = None,
) -> QuerySet[ActionItem]:
    require(user, "eightd.view")
    now = now or timezone.now()
    qs = scope_by_customer(user, ActionItem.objects.all(), field=TASK_CUSTOMER).select_related(
        "report", "report__complaint", "report__complaint__customer", "owner", "department"
    )
    qs = filter_given(qs, status=status)
    if overdue is True:
        qs = qs.filter(status=ActionStatus.OPEN, due_at__lt=now)
    elif overdue is False:
        qs = qs.exclude(status=ActionStatus.OPEN, due_at__lt=now)
    qs = filter_given(qs, owner_id=owner, discipline=discipline)
    return qs.order_by("due_at", "pk")


def action_get(user: Any, pk: int) -> ActionItem:
    qs = visible(user, "eightd.view", ActionItem.objects.all(), field=TASK_CUSTOMER)
    return get_object_or_404(qs.select_related("report", "report__complaint"), pk=pk)


def containment_get(user: Any, pk: int) -> Containment:
    qs = visible(user, "eightd.view", Containment.objects.all(), field=TASK_CUSTOMER)
    return get_object_or_404(qs.select_related("report", "report__complaint"), pk=pk)


def cause_get(user: Any, pk: int) -> RootCause:
    qs = visible(user, "eightd.view", RootCause.objects.all(), field=TASK_CUSTOMER)
    return get_object_or_404(qs.select_related("report", "report__complaint"), pk=pk)


def team_member_get(user: Any, pk: int) -> TeamMember:
    qs = visible(user, "eightd.view", TeamMember.objects.all(), field=TASK_CUSTOMER)
    return get_object_or_404(qs.select_related("report", "user"), pk=pk)


def template_list(user: Any) -> QuerySet[ReplyTemplate]:
    return visible(user, "reply.view", ReplyTemplate.objects.select_related("customer"))


def pending_circulations(user: Any) -> QuerySet[Circulation]:
    """Circulated complaints waiting for this user's acknowledgement (R-5.5.8)."""
    held = [r for r in CIRCULATION_ROLES if r in role_codes(user)]
    return Circulation.objects.filter(role__in=held, acknowledged_at__isnull=True).select_related(
        "report", "report__complaint", "report__complaint__customer"
    )
