"""Retention's contribution to "my work": the disposal reviews awaiting a decision, for the
administrator and the management representative (R-7)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core.my_work import WorkItem, register
from serviceloop.core.permissions import can

from .models import DisposalReview, ReviewStatus


@register
def disposal_reviews(user: Any) -> Iterator[WorkItem]:
    if not can(user, "records.dispose"):
        return
    pending = DisposalReview.objects.filter(status=ReviewStatus.PENDING)
    found = pending.aggregate(count=Count("pk"), oldest=Min("retain_until"))
    count, oldest = found["count"], found["oldest"]
    if not count:
        return
    yield WorkItem(
        "records.disposal_review",
        _("%(n)s records past their retention period await a disposal review") % {"n": count},
        reverse("records:retention"),
        deadlines.end_of_day(oldest) if oldest else None,
        _("SJ/QP-021 §7: dispose of each, or keep it longer with a reason."),
    )
