"""Human-readable record numbers: PREFIX-YYYY-NNNNN, gap-free per prefix and year."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from .audit import audit_create
from .models import NumberSequence

M = TypeVar("M", bound=models.Model)


def next_number(prefix: str, when: datetime | None = None) -> str:
    return allocate_numbers(prefix, 1, when)[0]


def allocate_numbers(prefix: str, count: int, when: datetime | None = None) -> list[str]:
    """`count` consecutive numbers of the year of `when` under one lock (a bulk import takes a
    block); the same numbers `next_number` would give one by one. Gap-free as long as the
    caller stores them in the transaction that allocated them."""
    if count <= 0:
        return []
    year = timezone.localtime(when or timezone.now()).year
    with transaction.atomic():
        seq, _ = NumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
        first = seq.last + 1
        seq.last += count
        seq.save(update_fields=["last"])
    return [f"{prefix}-{year}-{n:05d}" for n in range(first, first + count)]


def save_numbered(
    obj: M,
    prefix: str,
    when: datetime | None,
    *,
    actor: Any,
    exclude: Iterable[str] = (),
    system: str = "",
) -> M:
    """A new record's first save: full_clean (all but ``number`` and ``exclude``, errors name
    the field), then its number — taken only once the record is valid, so a refused one uses
    none up —, save and the "created" audit entry. Call inside the service's transaction."""
    obj.full_clean(exclude=["number", *exclude])
    obj.number = next_number(prefix, when)  # type: ignore[attr-defined]
    obj.save()
    audit_create(actor=actor, obj=obj, system=system)
    return obj
