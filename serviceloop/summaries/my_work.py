"""Summaries' contribution to "my work" (R-5.9.6): the summary of the half year that ended
last until it is approved — to Sales while it is to be drafted or written, to leadership while
it waits for approval (and to both as a reminder); overdue 30 days after the period end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core.my_work import WorkItem, register
from serviceloop.core.permissions import can, has_role

from .models import ServiceSummary, Status, parse_period, period_dates
from .services import APPROVER_ROLES, DRAFTER_ROLES, last_ended_period


def _due_text(due: Any) -> str:
    return _("Due %(d)s (30 days after the period ends)") % {"d": due.isoformat()}


@register
def summary_work(user: Any) -> Iterator[WorkItem]:
    drafter = has_role(user, *DRAFTER_ROLES) and can(user, "summary.draft")
    approver = has_role(user, *APPROVER_ROLES) and can(user, "summary.approve")
    if not (drafter or approver):
        return
    period = last_ended_period()
    if not ServiceSummary.objects.filter(period=period).exists():
        parsed = parse_period(period)
        assert parsed is not None
        due = period_dates(*parsed)[2]
        yield WorkItem(
            "summary.missing",
            _("Service work summary %(p)s: not drafted yet") % {"p": period},
            reverse("summaries:create") + f"?period={period}",
            deadlines.end_of_day(due),
            _due_text(due),
        )
    for s in ServiceSummary.objects.exclude(status=Status.APPROVED):
        owes = (s.status == Status.DRAFT and drafter) or (s.status == Status.SUBMITTED and approver)
        if owes or approver:
            yield WorkItem(
                f"summary.{s.status}",
                _("Service work summary %(p)s: %(s)s")
                % {"p": s.period, "s": s.get_status_display()},
                s.get_absolute_url(),
                s.due_at,
                _due_text(s.due_date),
            )
