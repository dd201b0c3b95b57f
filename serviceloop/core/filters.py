"""Building blocks of list filters, shared by every app's selectors (and so by the pages and
the API that call them): a free-text search over named fields and the equality filters a user
gave. A selector stays the one place that knows a list's fields:

    qs = search(qs, q, "number", "subject", "customer__name", "customer__code")
    qs = filter_given(qs, customer_id=customer, status=status, major=major)
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


def search(qs: QuerySet[M], q: str | None, *fields: str) -> QuerySet[M]:
    """Rows where any of ``fields`` contains ``q`` (case-insensitive); all rows for no ``q``."""
    if not q:
        return qs
    return qs.filter(reduce(or_, (Q(**{f"{field}__icontains": q}) for field in fields)))


def filter_given(qs: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """Apply each ``lookup=value`` whose value was given: None and "" mean "not filtered";
    False and 0 are values (a yes/no filter answered "no")."""
    given = {key: value for key, value in lookups.items() if value is not None and value != ""}
    return qs.filter(**given) if given else qs
