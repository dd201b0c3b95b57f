"""Reads of weekly feedback and information feedback forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from serviceloop.core import deadlines
from serviceloop.core.filters import filter_given, search
from serviceloop.core.models import User
from serviceloop.core.permissions import (
    is_agent_only,
    require,
)
from serviceloop.customers.models import Customer

from .. import queries
from ..domain import rules
from ..models import (
    FailureMode,
    InfoFormRouting,
    InformationFeedbackForm,
    Part,
    ServiceRecord,
    WeeklyFeedback,
)
from ..services.feedback import active_engineers

# ---------------------------------------------------------------- weekly feedback


def feedback_list(
    user: Any,
    *,
    engineer: int | None = None,
    status: str = "",
    missing: bool | None = None,
    now: datetime | None = None,
) -> QuerySet[WeeklyFeedback]:
    require(user, "feedback.view")
    now = now or timezone.now()
    qs = WeeklyFeedback.objects.select_related("engineer", "reviewed_by")
    if is_agent_only(user):
        return qs.none()
    qs = filter_given(qs, engineer_id=engineer, status=status)
    if missing is True:
        qs = qs.filter(submitted_at__isnull=True, due_at__lt=now)
    return qs


def feedback_get(user: Any, pk: int) -> WeeklyFeedback:
    return get_object_or_404(feedback_list(user), pk=pk)


def feedback_week(
    user: Any, engineer_id: int, week_start: date
) -> tuple[User, WeeklyFeedback | None, QuerySet[ServiceRecord]]:
    """One engineer's week: the feedback row (if any) and the week's records."""
    require(user, "feedback.view")
    if is_agent_only(user):
        raise_404()
    engineer = get_object_or_404(User, pk=engineer_id)
    fb = WeeklyFeedback.objects.filter(engineer=engineer, week_start=week_start).first()
    records = (
        ServiceRecord.objects.filter(engineer=engineer, week_start=week_start)
        .select_related("customer", "part")
        .order_by("service_date", "pk")
    )
    return engineer, fb, records


def raise_404() -> None:
    from django.http import Http404

    raise Http404


@dataclass
class WeekCell:
    week: date
    state: str  # not_owed, pending, on_time, late, missing, reviewed_late, ...
    feedback: WeeklyFeedback | None
    records: int

    @property
    def label(self) -> str:
        return rules.week_label(self.week)


@dataclass
class EngineerWeeks:
    engineer: User
    cells: list[WeekCell]

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c.state == "missing")

    @property
    def late(self) -> int:
        return sum(1 for c in self.cells if c.state == "late")

    @property
    def late_entries(self) -> int:
        """Weeks whose submission time was entered late (补录), on time or not: counted beside
        the on-time figure, never hidden in it (issue 10 §2)."""
        return sum(
            1 for c in self.cells if c.feedback is not None and c.feedback.submitted_late_reason
        )


def feedback_compliance(
    user: Any, *, weeks: int = 8, now: datetime | None = None, engineer: int | None = None
) -> tuple[list[date], list[EngineerWeeks]]:
    """R-5.9.4 for Sales: each engineer's last `weeks` weeks — on time, late, missing, pending
    (not due yet) or not owed (before his first placement or record)."""
    require(user, "feedback.view")
    now = now or timezone.now()
    current = deadlines.week_start(timezone.localtime(now).date())
    mondays = [current - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    if is_agent_only(user):
        return mondays, []
    engineers = list(active_engineers())
    if engineer:
        engineers = [e for e in engineers if e.pk == engineer]
    rows = WeeklyFeedback.objects.filter(engineer__in=engineers, week_start__in=mondays)
    by_key = {(f.engineer_id, f.week_start): f for f in rows}
    counts: dict[tuple[int, date], int] = {}
    for e_id, w in ServiceRecord.objects.filter(
        engineer__in=engineers, week_start__in=mondays
    ).values_list("engineer_id", "week_start"):
        counts[(e_id, w)] = counts.get((e_id, w), 0) + 1
    out = []
    firsts = queries.feedback_first_days(e.pk for e in engineers)
    for e in engineers:
        first = firsts[e.pk]
        cells = []
        for w in mondays:
            fb = by_key.get((e.pk, w))
            due = deadlines.weekly_feedback_due(w)
            if fb is not None and fb.submitted_at is not None:
                state = "late" if fb.submitted_at > fb.due_at else "on_time"
            elif first is None or deadlines.week_start(first) > w:
                state = "not_owed"
            elif now > due:
                state = "missing"
            else:
                state = "pending"
            cells.append(WeekCell(w, state, fb, counts.get((e.pk, w), 0)))
        out.append(EngineerWeeks(e, cells))
    return mondays, out


def owed_weeks_of(engineer: Any, now: datetime | None = None) -> list[date]:
    """Weeks an engineer still owes (past due or the week just ended), newest first."""
    now = now or timezone.now()
    first = queries.feedback_first_day(engineer.pk)
    if first is None:
        return []
    today = timezone.localtime(now).date()
    last_ended = deadlines.week_start(today) - timedelta(days=7)
    weeks = rules.weeks_from(first, last_ended) if deadlines.week_start(first) <= last_ended else []
    weeks = weeks[-rules.FEEDBACK_LOOKBACK_WEEKS :]
    submitted = set(
        WeeklyFeedback.objects.filter(
            engineer=engineer, submitted_at__isnull=False, week_start__in=weeks
        ).values_list("week_start", flat=True)
    )
    return [w for w in reversed(weeks) if w not in submitted]


# ---------------------------------------------------------------- information forms


def infoform_list(
    user: Any, *, status: str = "", category: str = "", q: str = "", department: int | None = None
) -> QuerySet[InformationFeedbackForm]:
    require(user, "infoform.view")
    qs = InformationFeedbackForm.objects.all()
    qs = filter_given(qs, status=status, category=category)
    qs = search(qs, q, "number", "title", "summary")
    if department:
        qs = qs.filter(routings__department_id=department).distinct()
    return qs


def infoform_get(user: Any, pk: int) -> InformationFeedbackForm:
    require(user, "infoform.view")
    return get_object_or_404(InformationFeedbackForm.objects.select_related("issued_by"), pk=pk)


def routing_get(user: Any, pk: int) -> InfoFormRouting:
    require(user, "infoform.view")
    return get_object_or_404(InfoFormRouting.objects.select_related("form", "department"), pk=pk)


def classify(records: QuerySet[ServiceRecord]) -> dict[str, list[tuple[str, int, int]]]:
    """Sales' classification of records for an information form: by failure mode, part, OEM
    and customer — (label, records, failed units), largest first."""

    def group(field: str, label: Any) -> list[tuple[str, int, int]]:
        rows = records.values(field).annotate(n=Count("pk"), units=Sum("quantity")).order_by()
        out = [(label(r[field]), r["n"], int(r["units"] or 0)) for r in rows]
        return sorted(out, key=lambda t: (-t[2], -t[1], t[0]))

    parts = {p.pk: p for p in Part.objects.filter(pk__in=records.values("part_id"))}
    customers = {c.pk: c for c in Customer.objects.filter(pk__in=records.values("customer_id"))}
    return {
        "failure_mode": group("failure_mode", lambda v: str(FailureMode(v).label)),
        "part": group("part_id", lambda v: str(parts[v])),
        "oem": group("oem", lambda v: v or "—"),
        "customer": group("customer_id", lambda v: customers[v].name),
    }
