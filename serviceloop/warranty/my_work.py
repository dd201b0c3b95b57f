"""Warranty claims' contribution to "my work": what is waiting for each person.

There is no clock on a claim in the procedure (deadlines.md names none), so the items carry
no due date: reviewers see decided claims waiting for approval, Sales those approved and
waiting for settlement, and whoever registered a claim sees it while the rule needs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core.my_work import WorkItem, register
from serviceloop.core.permissions import can, scope_by_customer

from .models import Status, WarrantyClaim
from .templatetags.warranty_tags import short_label

SHOWN = 5  # per kind; a link to the full list follows


def _items(
    user: Any, qs: QuerySet[WarrantyClaim], kind: str, title: str, status: str
) -> Iterator[WarrantyClaim | WorkItem]:
    qs = scope_by_customer(user, qs).select_related("customer").order_by("reported_on", "id")
    count = qs.count()
    yield from qs[:SHOWN]
    if count > SHOWN:
        yield WorkItem(
            kind,
            title % {"n": count - SHOWN},
            reverse("warranty:list") + f"?status={status}",
            None,
        )


@register
def warranty_work(user: Any) -> Iterator[WorkItem]:
    lists = []
    if can(user, "warranty.approve"):
        lists.append(
            (
                WarrantyClaim.objects.filter(status=Status.DECIDED),
                "warranty.review",
                _("Approve or reject: %s"),
                _("… and %(n)s more claims waiting for approval"),
                Status.DECIDED,
            )
        )
    if can(user, "warranty.settle"):
        lists.append(
            (
                WarrantyClaim.objects.filter(status=Status.APPROVED),
                "warranty.settle",
                _("Settle: %s"),
                _("… and %(n)s more approved claims waiting for settlement"),
                Status.APPROVED,
            )
        )
    if can(user, "warranty.change"):
        lists.append(
            (
                WarrantyClaim.objects.filter(status=Status.REGISTERED, created_by_id=user.pk),
                "warranty.complete",
                _("Complete for the rule: %s"),
                _("… and %(n)s more of your claims that need review"),
                Status.REGISTERED,
            )
        )
    for qs, kind, title, more, status in lists:
        for item in _items(user, qs, kind, more, status):
            if isinstance(item, WorkItem):
                yield item
                continue
            text = f"{item.number} {item.customer.name} — {item.part_number or item.failure_mode}"
            yield WorkItem(
                kind,
                title % text,
                item.get_absolute_url(),
                None,
                short_label(item.decision)
                + (f" · {short_label(item.remedy)}" if item.remedy else ""),
            )
