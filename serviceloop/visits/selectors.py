"""Reads of visits for UI, API and the half-year summary; scoped to what the user may see.

The counting selectors (`plan_vs_actual`, `satisfaction_by_customer`, `visit_figures`)
answer plain dicts so that a report (the service work summary, R-5.9.6) or the early-warning
satisfaction signal (R-5.4.3 c) can use them as they are.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from serviceloop.core.filters import filter_given
from serviceloop.core.permissions import can, require, scope_by_customer, visible

from .filters import RECORD_FILTERS
from .models import ActionStatus, ImprovementAction, VisitPlan, VisitRecord


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] as aware datetimes: midnight of start to midnight after end."""
    from datetime import time, timedelta

    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min).replace(tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min).replace(tzinfo=tz),
    )


def visit_record_list(
    user: Any,
    *,
    q: str = "",
    customer: int | None = None,
    status: str = "",
    year: int | None = None,
    unread: bool | None = None,
) -> QuerySet[VisitRecord]:
    qs = visible(user, "visit_record.view", VisitRecord.objects.all()).select_related(
        "customer", "plan_item", "created_by"
    )
    qs = RECORD_FILTERS.apply(qs, q=q, customer=customer, status=status)
    if year:
        qs = qs.filter(visited_at__range=_local_bounds(date(year, 1, 1), date(year, 12, 31)))
    if unread and getattr(user, "department_id", None):
        qs = qs.filter(
            copies__department_id=user.department_id, copies__read_at__isnull=True
        ).distinct()
    return qs


def visit_record_get(user: Any, pk: int) -> VisitRecord:
    qs = visible(user, "visit_record.view", VisitRecord.objects.all()).select_related(
        "customer", "plan_item", "plan_item__plan", "reviewed_by", "created_by"
    )
    return get_object_or_404(qs, pk=pk)


def action_list(user: Any, *, status: str = "", owner: int | None = None) -> QuerySet:
    qs = visible(
        user,
        "visit_action.view",
        ImprovementAction.objects.select_related(
            "record", "record__customer", "owner", "department"
        ),
        field="record__customer",
    )
    qs = filter_given(qs, status=status, owner_id=owner)
    return qs


def action_get(user: Any, pk: int) -> ImprovementAction:
    return get_object_or_404(action_list(user), pk=pk)


def plan_list(user: Any) -> QuerySet[VisitPlan]:
    require(user, "visit_plan.view")
    return VisitPlan.objects.annotate(item_count=Count("items"))


def plan_get(user: Any, pk: int) -> VisitPlan:
    require(user, "visit_plan.view")
    return get_object_or_404(VisitPlan.objects.all(), pk=pk)


def plan_items(user: Any, plan: VisitPlan) -> QuerySet:
    return scope_by_customer(user, plan.items.select_related("customer")).prefetch_related("visits")


def plan_vs_actual(user: Any, year: int) -> dict[str, Any]:
    """R-5.7.2: per customer and month, planned visits and visits done (against a plan item
    or not); the completion rate is planned items with at least one visit / planned items."""
    require(user, "visit_record.view")
    plan = VisitPlan.objects.filter(year=year).first()
    rows: dict[int, dict[str, Any]] = {}

    def row(customer: Any) -> dict[str, Any]:
        if customer.pk not in rows:
            rows[customer.pk] = {
                "customer": customer,
                "months": [{"planned": 0, "done": 0, "unplanned": 0} for _ in range(12)],
                "planned": 0,
                "planned_done": 0,
                "visits": 0,
                "unplanned": 0,
            }
        return rows[customer.pk]

    items = plan_items(user, plan) if plan else []
    for item in items:
        r = row(item.customer)
        r["months"][item.planned_month - 1]["planned"] += 1
        r["planned"] += 1
        if item.visits.all():
            r["planned_done"] += 1
    tz = timezone.get_current_timezone()
    for v in visit_record_list(user, year=year):
        r = row(v.customer)
        m = timezone.localtime(v.visited_at, tz).month - 1
        r["visits"] += 1
        if v.plan_item is not None and plan is not None and v.plan_item.plan_id == plan.pk:
            r["months"][m]["done"] += 1
        else:
            r["months"][m]["unplanned"] += 1
            r["unplanned"] += 1
    ordered = sorted(rows.values(), key=lambda r: (-r["planned"], r["customer"].name))
    planned = sum(r["planned"] for r in ordered)
    done = sum(r["planned_done"] for r in ordered)
    return {
        "year": year,
        "plan": plan,
        "rows": ordered,
        "planned": planned,
        "planned_done": done,
        "visits": sum(r["visits"] for r in ordered),
        "unplanned": sum(r["unplanned"] for r in ordered),
        "completion_rate": (done / planned) if planned else None,
    }


def satisfaction_by_customer(
    user: Any, start: date, end: date, *, customer: int | None = None
) -> list[dict[str, Any]]:
    """Mean visit satisfaction (1–5) per customer and month between two dates — the series
    the early-warning satisfaction signal (R-5.4.3 c) can read:
    [{"customer": id, "year": y, "month": m, "mean": x, "visits": n}, …]."""
    qs = visit_record_list(user, customer=customer).filter(
        visited_at__range=_local_bounds(start, end)
    )
    out: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for cid, at, score in qs.values_list("customer_id", "visited_at", "satisfaction"):
        local = timezone.localtime(at)
        out[(cid, local.year, local.month)].append(score)
    return [
        {"customer": c, "year": y, "month": m, "mean": sum(s) / len(s), "visits": len(s)}
        for (c, y, m), s in sorted(out.items())
    ]


def visit_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """The visit figures of a period for the half-year summary (R-5.9.6): visits, planned
    ones among them, mean satisfaction, improvement actions opened / closed / overdue."""
    qs = visit_record_list(user).filter(visited_at__range=_local_bounds(start, end))
    agg = qs.aggregate(n=Count("pk"), planned=Count("plan_item"), mean=Avg("satisfaction"))
    actions = action_list(user).filter(record__in=qs)
    now = timezone.now()
    by_month = qs.annotate(m=ExtractMonth("visited_at")).values("m").annotate(n=Count("pk"))
    return {
        "visits": agg["n"],
        "planned_visits": agg["planned"],
        "unplanned_visits": agg["n"] - agg["planned"],
        "mean_satisfaction": agg["mean"],
        "actions": actions.count(),
        "actions_verified": actions.filter(status=ActionStatus.VERIFIED).count(),
        "actions_overdue": actions.filter(status=ActionStatus.OPEN, due_at__lt=now).count(),
        "by_month": {row["m"]: row["n"] for row in by_month},
    }


def customer_visits(user: Any, customer: int, limit: int = 20) -> dict[str, Any]:
    """A customer's visits for the customer page: the latest visit records and the plan
    items naming the customer in this year's and later plans (with the visits done)."""
    from .models import VisitPlanItem

    out: dict[str, Any] = {"records": [], "plan_items": []}
    if can(user, "visit_record.view"):
        out["records"] = list(visit_record_list(user, customer=customer)[:limit])
    if can(user, "visit_plan.view"):
        items = VisitPlanItem.objects.filter(
            customer_id=customer, plan__year__gte=timezone.localdate().year
        )
        out["plan_items"] = list(
            scope_by_customer(user, items.select_related("plan", "customer"))
            .prefetch_related("visits")
            .order_by("plan__year", "planned_month")
        )
    return out
