"""Reads of placements, escalations and service records, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from serviceloop.core import deadlines
from serviceloop.core.filters import filter_given, search
from serviceloop.core.models import User
from serviceloop.core.permissions import (
    is_agent_only,
    require,
    scope_by_customer,
    visible,
    visible_customers,
)
from serviceloop.customers.models import Customer, Tier

from ..filters import ESCALATION_FILTERS
from ..models import (
    AssignmentKind,
    EngineerAssignment,
    Escalation,
    EscalationStatus,
    ServiceRecord,
)
from ..services.feedback import active_engineers

VIEW = "fieldservice.view"


# ---------------------------------------------------------------- assignments


def active_q(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def assignment_list(
    user: Any,
    *,
    q: str = "",
    kind: str = "",
    state: str = "",
    engineer: int | None = None,
    customer: int | None = None,
    day: date | None = None,
) -> QuerySet[EngineerAssignment]:
    require(user, VIEW)
    day = day or timezone.localdate()
    qs = scope_by_customer(user, EngineerAssignment.objects.all()).select_related(
        "engineer", "customer"
    )
    qs = search(
        qs,
        q,
        "customer__name",
        "customer__code",
        "engineer__display_name",
        "engineer__username",
        "site",
        "address",
    )
    qs = filter_given(qs, kind=kind)
    if state == "active":
        qs = qs.filter(active_q(day))
    elif state == "planned":
        qs = qs.filter(start_date__gt=day)
    elif state == "ended":
        qs = qs.filter(end_date__lt=day)
    qs = filter_given(qs, engineer_id=engineer, customer_id=customer)
    return qs


def assignment_get(user: Any, pk: int) -> EngineerAssignment:
    qs = visible(user, VIEW, EngineerAssignment.objects.select_related("engineer", "customer"))
    return get_object_or_404(qs, pk=pk)


@dataclass
class WhoIsWhere:
    day: date
    resident: list[EngineerAssignment]
    named: list[EngineerAssignment]
    planned: list[EngineerAssignment]
    tier1_without: list[Customer]
    key_retail_without: list[Customer]
    unplaced_engineers: list[User]


def who_is_where(user: Any, day: date | None = None) -> WhoIsWhere:
    """Who is where today: resident and named engineers, upcoming placements, and the gaps —
    tier-1 OEMs without a resident engineer, key retail users without a named one."""
    require(user, VIEW)
    day = day or timezone.localdate()
    current = list(
        assignment_list(user, day=day)
        .filter(active_q(day))
        .order_by("customer__code", "engineer__username")
    )
    covered = {(a.kind, a.customer_id) for a in current}
    customers = visible_customers(user).filter(is_active=True).order_by("code")
    placed = {a.engineer_id for a in current}
    engineers = [] if is_agent_only(user) else [e for e in active_engineers() if e.pk not in placed]
    return WhoIsWhere(
        day=day,
        resident=[a for a in current if a.kind == AssignmentKind.RESIDENT],
        named=[a for a in current if a.kind == AssignmentKind.NAMED],
        planned=list(assignment_list(user, state="planned", day=day).order_by("start_date")),
        tier1_without=[
            c
            for c in customers.filter(tier=Tier.OEM_TIER1)
            if (AssignmentKind.RESIDENT, c.pk) not in covered
        ],
        key_retail_without=[
            c
            for c in customers.filter(tier=Tier.RETAIL_KEY)
            if (AssignmentKind.NAMED, c.pk) not in covered
        ],
        unplaced_engineers=engineers,
    )


def usual_defaults(engineer: Any) -> dict[str, Any]:
    """What the phone form fills in for an engineer: his current customer (his only active
    placement, else his last record's customer), the OEM he last recorded there, his last part."""
    out: dict[str, Any] = {}
    today = timezone.localdate()
    placed = list(
        EngineerAssignment.objects.filter(engineer=engineer)
        .filter(active_q(today))
        .values_list("customer_id", flat=True)
    )
    last = ServiceRecord.objects.filter(engineer=engineer).order_by("-created_at", "-pk").first()
    if len(set(placed)) == 1:
        out["customer"] = placed[0]
    elif last is not None:
        out["customer"] = last.customer_id
    if "customer" in out:
        at = (
            ServiceRecord.objects.filter(engineer=engineer, customer_id=out["customer"])
            .exclude(oem="")
            .order_by("-created_at", "-pk")
            .first()
        )
        if at is not None:
            out["oem"] = at.oem
        else:
            cust = Customer.objects.filter(pk=out["customer"]).first()
            if cust is not None and cust.tier in (Tier.OEM_TIER1, Tier.OEM_TIER2):
                out["oem"] = cust.name
    if last is not None:
        out["part"] = last.part_id
    return out


# ---------------------------------------------------------------- escalations


def escalation_list(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    overdue: bool | None = None,
    customer: int | None = None,
    mine: bool = False,
    now: datetime | None = None,
) -> QuerySet[Escalation]:
    require(user, VIEW)
    now = now or timezone.now()
    qs = scope_by_customer(user, Escalation.objects.all()).select_related(
        "customer", "raised_by", "coordinator"
    )
    qs = ESCALATION_FILTERS.apply(qs, q=q, status=status, customer=customer)
    if overdue is True:
        qs = qs.filter(done_at__isnull=True, due_at__lt=now)
    elif overdue is False:
        qs = qs.exclude(done_at__isnull=True, due_at__lt=now)
    if mine:
        qs = qs.filter(Q(raised_by=user) | Q(coordinator=user))
    return qs


def escalation_get(user: Any, pk: int) -> Escalation:
    qs = visible(
        user,
        VIEW,
        Escalation.objects.select_related(
            "customer",
            "raised_by",
            "coordinator",
            "service_record",
            "solution_agreed_by",
            "done_by",
        ),
    )
    return get_object_or_404(qs, pk=pk)


def open_escalations() -> QuerySet[Escalation]:
    return Escalation.objects.exclude(status=EscalationStatus.DONE)


# ---------------------------------------------------------------- service records


def record_list(
    user: Any,
    *,
    q: str = "",
    engineer: int | None = None,
    customer: int | None = None,
    part: int | None = None,
    failure_mode: str = "",
    outcome: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    week: date | None = None,
    major: bool | None = None,
) -> QuerySet[ServiceRecord]:
    qs = visible(user, VIEW, ServiceRecord.objects.all()).select_related(
        "engineer", "customer", "part"
    )
    qs = search(
        qs,
        q,
        "number",
        "defect",
        "oem",
        "vehicle",
        "part__part_number",
        "customer__name",
        "customer__code",
    )
    qs = filter_given(
        qs,
        engineer_id=engineer,
        customer_id=customer,
        part_id=part,
        failure_mode=failure_mode,
        outcome=outcome,
        service_date__gte=date_from,
        service_date__lte=date_to,
    )
    if week:
        qs = qs.filter(week_start=deadlines.week_start(week))
    qs = filter_given(qs, major_problem=major)
    return qs


def record_get(user: Any, pk: int) -> ServiceRecord:
    qs = visible(
        user,
        VIEW,
        ServiceRecord.objects.select_related(
            "engineer", "customer", "part", "weekly_feedback", "major_flagged_by"
        ),
    )
    return get_object_or_404(qs, pk=pk)
