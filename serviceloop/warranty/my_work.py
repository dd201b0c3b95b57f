"""Warranty claims' contribution to "my work": what is waiting for each person.

There is no clock on a claim in the procedure (deadlines.md names none), so the items carry
no due date: reviewers see decided claims waiting for approval, Sales those approved and
waiting for settlement, and whoever registered a claim sees it while the rule needs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core.my_work import WorkCount, WorkItem, most_urgent, register
from serviceloop.core.permissions import can, scope_by_customer

from .models import Status, WarrantyClaim
from .templatetags.warranty_tags import short_label


@register
def warranty_work(user: Any) -> Iterator[WorkItem | WorkCount]:
    lists = []
    if can(user, "warranty.approve"):
        lists.append(
            (
                WarrantyClaim.objects.filter(status=Status.DECIDED),
                "warranty.review",
                _("Approve or reject: %s"),
                Status.DECIDED,
            )
        )
    if can(user, "warranty.settle"):
        lists.append(
            (
                WarrantyClaim.objects.filter(status=Status.APPROVED),
                "warranty.settle",
                _("Settle: %s"),
                Status.APPROVED,
            )
        )
    if can(user, "warranty.change"):
        lists.append(
            (
                WarrantyClaim.objects.filter(status=Status.REGISTERED, created_by_id=user.pk),
                "warranty.complete",
                _("Complete for the rule: %s"),
                Status.REGISTERED,
            )
        )
    for qs, kind, title, status in lists:

        def item(claim: WarrantyClaim, kind: str = kind, title: str = title) -> WorkItem:
            text = (
                f"{claim.number} {claim.customer.name} — {claim.part_number or claim.failure_mode}"
            )
            return WorkItem(
                kind,
                title % text,
                claim.get_absolute_url(),
                None,
                short_label(claim.decision)
                + (f" · {short_label(claim.remedy)}" if claim.remedy else ""),
            )

        yield from most_urgent(
            scope_by_customer(user, qs).select_related("customer"),
            item,
            kind=kind,
            order="reported_on",
            url=reverse("warranty:list") + f"?status={status}",
        )
