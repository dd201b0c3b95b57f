"""Management-review input from the complaints of a period (R-5.5.9): how many, from whom, on
which parts, for which causes, how long they took to close, and which actions ran late.
Counting is done by the database (GROUP BY); the durations by NumPy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.deadlines import company_tz
from serviceloop.core.permissions import require, scope_by_customer

from ..models import (
    ActionItem,
    ActionStatus,
    CauseCategory,
    Complaint,
    Kind,
    RootCause,
    Severity,
    Status,
)

TOP = 15
CLOSE_BUCKETS = [(0, 7), (8, 14), (15, 30), (31, 60), (61, None)]


@dataclass
class ReviewSummary:
    date_from: date
    date_to: date
    total: int = 0
    closed: int = 0
    open: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_severity: list[tuple[str, int]] = field(default_factory=list)
    by_customer: list[tuple[str, int]] = field(default_factory=list)
    by_part: list[tuple[str, int]] = field(default_factory=list)
    by_cause: list[tuple[str, int]] = field(default_factory=list)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    close_days: dict[str, float | None] = field(default_factory=dict)
    close_buckets: list[tuple[str, int]] = field(default_factory=list)
    actions_total: int = 0
    actions_late: int = 0
    overdue_actions: list[ActionItem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def pairs(items: list[tuple[str, int]]) -> list[dict[str, Any]]:
            return [{"label": k, "count": v} for k, v in items]

        return {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "total": self.total,
            "closed": self.closed,
            "open": self.open,
            "by_kind": pairs(self.by_kind),
            "by_severity": pairs(self.by_severity),
            "by_customer": pairs(self.by_customer),
            "by_part": pairs(self.by_part),
            "by_cause": pairs(self.by_cause),
            "by_month": pairs(self.by_month),
            "days_to_close": self.close_days,
            "close_buckets": pairs(self.close_buckets),
            "actions_total": self.actions_total,
            "actions_late": self.actions_late,
            "overdue_actions": [
                {
                    "id": a.pk,
                    "report": a.report.number,
                    "description": a.description,
                    "owner": a.assignee,
                    "due_at": timezone.localtime(a.due_at).isoformat(),
                }
                for a in self.overdue_actions
            ],
        }


def default_period() -> tuple[date, date]:
    """The last twelve months, from the first of the month a year ago to today."""
    today = timezone.localdate()
    return (today - timedelta(days=365)).replace(day=1), today


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    tz = company_tz()
    start = datetime.combine(date_from, time.min).replace(tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time.min).replace(tzinfo=tz)
    return start, end


def _counts(qs: QuerySet, key: str, labels: dict[str, str] | None = None) -> list[tuple[str, int]]:
    rows = qs.values(key).annotate(n=Count("pk", distinct=True)).order_by("-n", key)
    return [((labels or {}).get(r[key], r[key]) or "—", r["n"]) for r in rows]


def _month_counts(rows: list[datetime], date_from: date, date_to: date) -> list[tuple[str, int]]:
    tz = company_tz()
    months = [timezone.localtime(r, tz).strftime("%Y-%m") for r in rows]
    keys: list[str] = []
    cursor = date_from.replace(day=1)
    while cursor <= date_to:
        keys.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    values, counts = np.unique(np.array(months, dtype=str), return_counts=True)
    found = dict(zip(values.tolist(), counts.tolist(), strict=True))
    return [(k, int(found.get(k, 0))) for k in keys]


def _close_stats(pairs: list[tuple[datetime, datetime]]) -> tuple[dict, list[tuple[str, int]]]:
    days = np.array([(c - r).total_seconds() / 86400 for r, c in pairs], dtype=float)
    if days.size == 0:
        stats: dict[str, float | None] = {
            "count": 0,
            "mean": None,
            "median": None,
            "p90": None,
            "max": None,
        }
    else:
        stats = {
            "count": int(days.size),
            "mean": round(float(days.mean()), 1),
            "median": round(float(np.median(days)), 1),
            "p90": round(float(np.percentile(days, 90)), 1),
            "max": round(float(days.max()), 1),
        }
    buckets = []
    for low, high in CLOSE_BUCKETS:
        mask = days >= low if high is None else (days >= low) & (days < high + 1)
        label = _("over %(d)d days") % {"d": low - 1} if high is None else f"{low}–{high}"
        buckets.append((label, int(mask.sum())))
    return stats, buckets


def review_summary(user: Any, date_from: date, date_to: date) -> ReviewSummary:
    require(user, "review.view")
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    start, end = _bounds(date_from, date_to)
    complaints = scope_by_customer(user, Complaint.objects.all()).filter(
        received_at__gte=start, received_at__lt=end
    )
    s = ReviewSummary(date_from=date_from, date_to=date_to)
    s.total = complaints.count()
    s.closed = complaints.filter(status=Status.CLOSED).count()
    s.open = s.total - s.closed
    s.by_kind = _counts(complaints, "kind", {k.value: str(k.label) for k in Kind})
    s.by_severity = _counts(complaints, "severity", {k.value: str(k.label) for k in Severity})
    s.by_customer = _counts(complaints, "customer__name")[:TOP]
    s.by_part = _counts(complaints.exclude(part_number=""), "part_number")[:TOP]
    causes = RootCause.objects.filter(report__complaint__in=complaints)
    cause_rows = causes.values("category").annotate(n=Count("report", distinct=True))
    labels = {k.value: str(k.label) for k in CauseCategory}
    s.by_cause = sorted(
        ((labels.get(r["category"], r["category"]), r["n"]) for r in cause_rows),
        key=lambda p: -p[1],
    )
    s.by_month = _month_counts(
        list(complaints.values_list("received_at", flat=True)), date_from, date_to
    )
    closed_pairs = list(
        complaints.filter(closed_at__isnull=False).values_list("received_at", "closed_at")
    )
    s.close_days, s.close_buckets = _close_stats(closed_pairs)
    actions = ActionItem.objects.filter(report__complaint__in=complaints).exclude(
        status=ActionStatus.CANCELLED
    )
    now = timezone.now()
    s.actions_total = actions.count()
    s.actions_late = actions.filter(done_at__isnull=False, done_at__gt=F("due_at")).count()
    s.overdue_actions = list(
        actions.filter(status=ActionStatus.OPEN, due_at__lt=now)
        .select_related("report", "owner", "department")
        .order_by("due_at")
    )
    return s
