"""Communications' contribution to "my work"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core import routing
from serviceloop.core.my_work import WorkCount, WorkItem, most_urgent, register
from serviceloop.core.permissions import scope_by_customer

from .models import Communication, Routing, Status


def _label(comm: Communication) -> str:
    return f"{comm.number} {comm.customer.name} — {comm.subject}"


def _answer(comm: Communication) -> WorkItem:
    return WorkItem(
        "communication.answer",
        _("Answer: %s") % _label(comm),
        comm.get_absolute_url(),
        comm.answer_due_at,
        _("First answer (24 h)"),
    )


def _feedback(comm: Communication) -> WorkItem:
    return WorkItem(
        "communication.feedback",
        _("Feedback: %s") % _label(comm),
        comm.get_absolute_url(),
        comm.feedback_due_at,
        _("Feedback to the customer (1 week)"),
    )


@register
def communication_work(user: Any) -> Iterator[WorkItem | WorkCount]:
    owned = scope_by_customer(
        user, Communication.objects.filter(owner_id=user.pk).exclude(status=Status.CLOSED)
    ).select_related("customer")
    mine = reverse("communications:list") + "?mine=on"
    yield from most_urgent(
        owned.filter(answered_at__isnull=True),
        _answer,
        kind="communication.answer",
        order="answer_due_at",
        url=mine + f"&status={Status.REGISTERED}",
    )
    yield from most_urgent(
        owned, _feedback, kind="communication.feedback", order="feedback_due_at", url=mine
    )
    yield from routing.work(
        user,
        Routing,
        kind="communication.routing",
        title=lambda r: (
            _("Routed to your department: %(n)s %(s)s")
            % {"n": r.communication.number, "s": r.communication.subject}
        ),
    )
