"""Communications' contribution to "my work"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from serviceloop.core.my_work import WorkItem, register
from serviceloop.core.permissions import scope_by_customer

from .models import Communication, Routing, Status


@register
def communication_work(user: Any) -> Iterator[WorkItem]:
    owned = scope_by_customer(
        user, Communication.objects.filter(owner_id=user.pk).exclude(status=Status.CLOSED)
    ).select_related("customer")
    for comm in owned:
        url = comm.get_absolute_url()
        label = f"{comm.number} {comm.customer.name} — {comm.subject}"
        if comm.answered_at is None:
            yield WorkItem(
                "communication.answer",
                _("Answer: %s") % label,
                url,
                comm.answer_due_at,
                _("First answer (24 h)"),
            )
        yield WorkItem(
            "communication.feedback",
            _("Feedback: %s") % label,
            url,
            comm.feedback_due_at,
            _("Feedback to the customer (1 week)"),
        )
    if user.department_id:
        routed = Routing.objects.filter(
            department_id=user.department_id, responded_at__isnull=True
        ).select_related("communication", "communication__customer")
        for r in scope_by_customer(user, routed, field="communication__customer"):
            comm = r.communication
            yield WorkItem(
                "communication.routing",
                _("Routed to your department: %(n)s %(s)s") % {"n": comm.number, "s": comm.subject},
                comm.get_absolute_url(),
                r.due_at or comm.feedback_due_at,
                r.instruction,
            )
