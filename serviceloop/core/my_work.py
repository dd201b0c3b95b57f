""" "My work": what each user owes, gathered from every app.

Apps register a provider (a function user -> iterable of WorkItem) in their AppConfig.ready,
so that the page and the API grow with the product without core knowing the apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    kind: str  # e.g. "communication.answer"
    title: str
    url: str
    due_at: datetime | None
    detail: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.due_at is not None and now > self.due_at

    def seconds_left(self, now: datetime) -> int | None:
        return None if self.due_at is None else int((self.due_at - now).total_seconds())

    def as_dict(self, now: datetime | None = None) -> dict[str, Any]:
        now = now or timezone.now()
        return {
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "due_at": self.due_at,
            "overdue": self.overdue(now),
            "seconds_left": self.seconds_left(now),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class WorkCount:
    """How many items of a kind wait in all, when a provider showed only the most urgent:
    yielded after them by `most_urgent`, with the full filtered list to link to."""

    kind: str
    count: int
    overdue: int | None = None  # None: count the shown items
    url: str = ""
    label: str = ""


Provider = Callable[[Any], Iterable[WorkItem | WorkCount]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def sort_key(item: WorkItem) -> tuple[int, float]:
    """Overdue first (most overdue at the top), then by time left; undated last."""
    if item.due_at is None:
        return (1, 0.0)
    return (0, item.due_at.timestamp())


# Packs two counts in one integer (see most_urgent); no list of work reaches a billion.
PACK = 1_000_000_000

# Most urgent items shown per kind of work; the rest is a count and a link to the full list.
SHOWN = 5


def most_urgent(
    qs: QuerySet[Any],
    make: Callable[[Any], WorkItem],
    *,
    kind: str,
    order: str | None = "due_at",
    url: str | Callable[[str], str] = "",
    label: str = "",
    limit: int | None = None,
    now: datetime | None = None,
    partition: str | None = None,
    counted: QuerySet[Any] | None = None,
    count_distinct: str | None = None,
) -> Iterator[WorkItem | WorkCount]:
    """The `limit` most urgent rows of `qs` (earliest `order` first, undated last, ordered and
    cut in SQL) as work items, then a WorkCount with how many there are in all and how many
    are overdue (nothing when there is none) — in ONE query: the counts are an uncorrelated
    scalar subquery of it (``(SELECT COUNT(id) * PACK + COUNT(<overdue>) FROM … WHERE <the
    same filter>)``, evaluated once, one scan for both), so the rows still come from an
    index's first entries and the number of queries does not depend on the number of rows.
    (A ``COUNT(*) OVER ()`` window instead joined and sorted every matching row: 161 ms
    against 3 ms for 8,318 claims awaiting approval on PostgreSQL.)

    `partition` (a field) makes one query serve several kinds (for small tables): the most
    urgent `limit` of each value of the field (``ROW_NUMBER() OVER (PARTITION BY …)``), each
    kind counted apart (window counts); the kind of a row is then the one `make` gives it and
    `url` may be a function of the kind.

    `counted` and `count_distinct` (not with `partition`): count the distinct values of that
    field among the rows of `counted` instead of the rows of `qs` — when `qs` shows one row
    per group (the next due of each 8D report, say) and counting the groups from a plain
    filter is the same number without evaluating the per-group condition on every row; a
    group is overdue when any of its rows is."""
    limit = limit or SHOWN
    now = now or timezone.now()
    ordering = [F(order).asc(nulls_last=True), F("pk").asc()] if order else [F("pk").asc()]
    base = qs.order_by()
    late = Case(When(**{f"{order}__lt": now}, then=Value(1))) if order else None
    if partition:
        by = [F(partition)]
        rows_qs = base.annotate(
            work_total=Window(Count("pk"), partition_by=by),
            work_overdue=Window(Count(late), partition_by=by) if late else Value(0),
            work_rank=Window(RowNumber(), partition_by=by, order_by=ordering),
        ).filter(work_rank__lte=limit)
        rows = list(rows_qs.order_by(*ordering))
    else:
        # both counts from one scan: COUNT(all) * PACK + COUNT(overdue), unpacked below
        counting = "COUNT(DISTINCT %(expressions)s)" if count_distinct else "COUNT(%(expressions)s)"
        what = F(count_distinct or "pk")
        n: Any = Func(what, template=counting, output_field=IntegerField())
        if late is not None:
            if count_distinct:
                late = Case(When(**{f"{order}__lt": now}, then=what))
            n = n * PACK + Func(late, template=counting, output_field=IntegerField())
        counted_qs = base if counted is None else counted.order_by()
        packed = Subquery(
            counted_qs.annotate(work_n=n).values("work_n"), output_field=IntegerField()
        )
        rows_qs = base.annotate(work_packed=packed)
        rows = list(rows_qs.order_by(*ordering)[:limit])
        for obj in rows:
            v = obj.work_packed if late is not None else obj.work_packed * PACK
            obj.work_total, obj.work_overdue = divmod(v, PACK)
    totals: dict[str, tuple[int, int]] = {}
    for obj in rows:
        item = make(obj)
        totals.setdefault(item.kind, (obj.work_total, obj.work_overdue or 0))
        yield item
    for k, (count, overdue) in totals.items():
        yield WorkCount(k, count, overdue, url(k) if callable(url) else url, label)


@dataclass
class WorkGroup:
    """One kind of work on the page: its most urgent items, how many in all, the full list."""

    kind: str
    items: list[WorkItem] = field(default_factory=list)
    count: int = 0
    overdue: int = 0
    url: str = ""
    label: str = ""

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


def group(
    found: Iterable[WorkItem | WorkCount], now: datetime, limit: int = SHOWN
) -> list[WorkGroup]:
    """Items by kind, each kind cut to its `limit` most urgent (whatever the provider gave),
    kinds in the order of their most urgent item."""
    groups: dict[str, WorkGroup] = {}
    counted: set[str] = set()
    for entry in found:
        g = groups.setdefault(entry.kind, WorkGroup(entry.kind))
        if isinstance(entry, WorkCount):
            counted.add(entry.kind)
            g.count += entry.count
            g.overdue += entry.overdue or 0
            g.url = g.url or entry.url
            g.label = g.label or entry.label
        else:
            g.items.append(entry)
    result = []
    for g in groups.values():
        g.items.sort(key=sort_key)
        if g.kind not in counted:
            g.count = len(g.items)
            g.overdue = sum(1 for i in g.items if i.overdue(now))
        g.items = g.items[:limit]
        if g.items or g.count:
            result.append(g)
    result.sort(key=lambda g: sort_key(g.items[0]) if g.items else (2, 0.0))
    return result
