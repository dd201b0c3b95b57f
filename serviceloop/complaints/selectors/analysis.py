"""Complaints as plain rows for the early-warning engine (R-5.4.3 (a)).

For background analyses only: NO permission and NO customer scope, so these rows must never
feed a page or an API answer directly (same contract as warranty's ``claims_for_analysis``).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ..models import Complaint


def complaints_for_analysis(part_number: str | None = None) -> list[dict[str, Any]]:
    """One row per complaint that names a part number: a complaint is one failure report,
    whatever quantity it names (the quantity is the lot's affected parts, not field failures).
    ``source`` names the record it was opened from (e.g. a service record), if any."""
    qs = Complaint.objects.exclude(part_number="")
    if part_number is not None:
        qs = qs.filter(part_number=part_number)
    rows = qs.order_by("received_at", "pk").values_list(
        "pk", "number", "part_number", "lot", "received_at", "source_type", "source_id"
    )
    return [
        {
            "id": pk,
            "number": number,
            "part_number": part,
            "lot": lot or "",
            "date": timezone.localdate(received),
            "source": (source_type, source_id) if source_type else None,
        }
        for pk, number, part, lot, received, source_type, source_id in rows.iterator(
            chunk_size=5000
        )
    ]
