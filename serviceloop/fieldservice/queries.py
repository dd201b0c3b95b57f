"""Unscoped computations over field-service data, shared by services (for their checks) and
selectors (which scope them to the user first)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, F, IntegerField, Min, QuerySet, Sum, Value, When
from django.utils import timezone

from serviceloop.core import deadlines

from .domain import rules
from .models import EngineerAssignment, MovementKind, Part, PartMovement, ServiceRecord


def _signed() -> Sum:
    return Sum(
        Case(
            When(kind=MovementKind.ISSUE, then=F("quantity")),
            default=-F("quantity"),
            output_field=IntegerField(),
        )
    )


def balance(holder_id: int, part_id: int) -> int:
    total = PartMovement.objects.filter(holder_id=holder_id, part_id=part_id).aggregate(
        b=_signed()
    )["b"]
    return int(total or 0)


def balances(qs: QuerySet[PartMovement] | None = None) -> list[dict[str, Any]]:
    """Per holder and part: issued, used, returned and the balance."""
    qs = PartMovement.objects.all() if qs is None else qs
    rows = (
        qs.values("holder_id", "part_id")
        .annotate(
            issued=Sum(Case(When(kind=MovementKind.ISSUE, then="quantity"), default=Value(0))),
            used=Sum(Case(When(kind=MovementKind.USE, then="quantity"), default=Value(0))),
            returned=Sum(Case(When(kind=MovementKind.RETURN, then="quantity"), default=Value(0))),
        )
        .order_by("holder_id", "part_id")
    )
    out: list[dict[str, Any]] = []
    for r in rows:
        balance = int(r["issued"] or 0) - int(r["used"] or 0) - int(r["returned"] or 0)
        out.append({**r, "balance": balance})
    return out


@dataclass
class PartFrequency:
    part: Part
    records: int = 0
    failed_units: int = 0
    per_week: list[int] = field(default_factory=list)
    balance: int = 0
    suggested: int = 0


def frequency_weeks(weeks: int, today: date | None = None) -> list[date]:
    """The last `weeks` complete-or-current weeks ending with the current one (Mondays)."""
    today = today or timezone.localdate()
    current = deadlines.week_start(today)
    return [current - timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]


def failure_counts(
    engineer_id: int, weeks: int = rules.FREQUENCY_WEEKS, today: date | None = None
) -> list[PartFrequency]:
    """R-5.3.4.3: how often each part failed in this engineer's service records over the last
    `weeks` weeks, with what he holds and the quantity that would cover the next weeks."""
    mondays = frequency_weeks(weeks, today)
    records = ServiceRecord.objects.filter(
        engineer_id=engineer_id, service_date__gte=mondays[0]
    ).values_list("part_id", "service_date", "quantity")
    by_part: dict[int, PartFrequency] = {}
    index = {m: i for i, m in enumerate(mondays)}
    for part_id, day, qty in records:
        if part_id not in by_part:
            by_part[part_id] = PartFrequency(part=None, per_week=[0] * weeks)  # type: ignore[arg-type]
        f = by_part[part_id]
        f.records += 1
        f.failed_units += qty
        i = index.get(deadlines.week_start(day))
        if i is not None:
            f.per_week[i] += qty
    held = {
        r["part_id"]: r["balance"]
        for r in balances(PartMovement.objects.filter(holder_id=engineer_id))
    }
    for part in Part.objects.filter(pk__in=set(by_part) | {p for p, b in held.items() if b}):
        f = by_part.setdefault(part.pk, PartFrequency(part=part, per_week=[0] * weeks))
        f.part = part
        f.balance = held.get(part.pk, 0)
        f.suggested = rules.suggest_quantity(f.failed_units, weeks, f.balance)
    return sorted(by_part.values(), key=lambda f: (-f.failed_units, f.part.part_number))


def feedback_first_day(engineer_id: int) -> date | None:
    """From when an engineer owes weekly feedback: his first assignment or first record."""
    return feedback_first_days([engineer_id]).get(engineer_id)


def feedback_first_days(engineer_ids: Iterable[int]) -> dict[int, date | None]:
    """`feedback_first_day` of several engineers in two queries (the compliance table)."""
    ids = list(engineer_ids)
    firsts: dict[int, date | None] = dict.fromkeys(ids)
    for model, column in ((EngineerAssignment, "start_date"), (ServiceRecord, "service_date")):
        rows = (
            model.objects.filter(engineer_id__in=ids)
            .values("engineer_id")
            .annotate(d=Min(column))
            .values_list("engineer_id", "d")
        )
        for e_id, d in rows:
            known = firsts[e_id]
            if d is not None and (known is None or d < known):
                firsts[e_id] = d
    return firsts
