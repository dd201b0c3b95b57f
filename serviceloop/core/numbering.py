"""Human-readable record numbers: PREFIX-YYYY-NNNNN, gap-free per prefix and year."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import NumberSequence


def next_number(prefix: str, when: datetime | None = None) -> str:
    year = timezone.localtime(when or timezone.now()).year
    with transaction.atomic():
        seq, _ = NumberSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
    return f"{prefix}-{year}-{seq.last:05d}"
