"""Complaints' contribution to "my work": what each person owes on complaints and 8D reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core.my_work import WorkItem, register
from serviceloop.core.permissions import can, scope_by_customer

from .domain import clocks
from .models import (
    ActionItem,
    ActionStatus,
    Complaint,
    Containment,
    Discipline,
    DisciplineStatus,
    EightDReport,
    EightDStatus,
    Reinspection,
    ReplyLetter,
    ReplyStatus,
    Status,
)
from .selectors import REPORT_CUSTOMER, TASK_CUSTOMER, pending_circulations

OPEN_REPORT = ~Q(report__status=EightDStatus.CLOSED)


def _url(report_id: int, code: str = "") -> str:
    if code:
        return reverse("complaints:discipline", args=[report_id, code])
    return reverse("complaints:eightd", args=[report_id])


def _mine(user: Any) -> Q:
    """Assigned to the user, or to the user's department while nobody is named."""
    q = Q(owner_id=user.pk)
    if user.department_id:
        q |= Q(owner__isnull=True, department_id=user.department_id)
    return q


def _register_items(user: Any) -> Iterator[WorkItem]:
    if can(user, "eightd.open"):
        waiting = scope_by_customer(
            user, Complaint.objects.filter(status=Status.REGISTERED, received_by_id=user.pk)
        ).select_related("customer")
        for c in waiting:
            yield WorkItem(
                "complaint.convert",
                _("Convert to an 8D: %(n)s %(c)s") % {"n": c.number, "c": c.customer.name},
                c.get_absolute_url(),
                clocks.days_after(c.received_at, 1),
                _("Hand the complaint to Quality as an 8D report (R-5.5.1)"),
            )


def _quality_items(user: Any) -> Iterator[WorkItem]:
    reports = scope_by_customer(user, EightDReport.objects.all(), field=REPORT_CUSTOMER)
    if can(user, "eightd.edit"):
        leaderless = reports.filter(leader__isnull=True).exclude(status=EightDStatus.CLOSED)
        for r in leaderless.select_related("complaint__customer"):
            yield WorkItem(
                "eightd.lead",
                _("Name a leader for 8D %(r)s (%(c)s)")
                % {"r": r.number, "c": r.complaint.customer.name},
                _url(r.pk, "d1"),
                clocks.days_after(r.complaint.received_at, clocks.DISCIPLINE_DAYS["d1"]),
                _("Assigned to Quality Management"),
            )
    verify = scope_by_customer(
        user,
        ActionItem.objects.filter(
            OPEN_REPORT,
            report__leader_id=user.pk,
            status=ActionStatus.DONE,
            needs_verification=True,
        ),
        field=TASK_CUSTOMER,
    ).select_related("report")
    for a in verify:
        yield WorkItem(
            "eightd.verify",
            _("Verify the effect: %(r)s %(a)s") % {"r": a.report.number, "a": a.description[:50]},
            _url(a.report_id, "d6"),
            None,
            _("D6 verification"),
        )
    if can(user, "containment.reinspect"):
        pending = scope_by_customer(
            user,
            Containment.objects.filter(OPEN_REPORT, reinspection=Reinspection.PENDING).filter(
                Q(report__leader_id=user.pk) | Q(report__leader__isnull=True)
            ),
            field=TASK_CUSTOMER,
        ).select_related("report")
        for c in pending:
            yield WorkItem(
                "eightd.reinspect",
                _("Re-inspect reworked goods: %(r)s %(l)s")
                % {"r": c.report.number, "l": c.get_location_display()},
                _url(c.report_id, "d3"),
                None,
                _("Reworked goods go back to stock only after Quality's re-inspection (R-5.5.3)"),
            )


def _task_items(user: Any) -> Iterator[WorkItem]:
    disciplines = (
        Discipline.objects.filter(OPEN_REPORT, owner_id=user.pk, status=DisciplineStatus.OPEN)
        .exclude(due_at__isnull=True)
        .select_related("report")
        .order_by("report_id", "due_at", "code")
    )
    seen: set[int] = set()
    for d in scope_by_customer(user, disciplines, field=TASK_CUSTOMER):
        if d.report_id in seen:  # the next discipline due per report is enough
            continue
        seen.add(d.report_id)
        yield WorkItem(
            "eightd.discipline",
            _("8D %(r)s: %(d)s") % {"r": d.report.number, "d": d.get_code_display()},
            _url(d.report_id, d.code),
            d.due_at,
            _("Discipline you own"),
        )
    actions = ActionItem.objects.filter(OPEN_REPORT, _mine(user), status=ActionStatus.OPEN)
    for a in scope_by_customer(user, actions, field=TASK_CUSTOMER).select_related("report"):
        yield WorkItem(
            "eightd.action",
            _("8D %(r)s: %(a)s") % {"r": a.report.number, "a": a.description[:60]},
            _url(a.report_id, a.discipline),
            a.due_at,
            str(a.get_kind_display()),
        )
    containments = Containment.objects.filter(OPEN_REPORT, _mine(user), done_at__isnull=True)
    for c in scope_by_customer(user, containments, field=TASK_CUSTOMER).select_related("report"):
        yield WorkItem(
            "eightd.containment",
            _("8D %(r)s: containment at %(l)s")
            % {"r": c.report.number, "l": c.get_location_display()},
            _url(c.report_id, "d3"),
            c.due_at,
            c.action[:80],
        )


def _sales_items(user: Any) -> Iterator[WorkItem]:
    if can(user, "reply.send"):
        letters = ReplyLetter.objects.filter(
            status=ReplyStatus.DRAFT, report__complaint__received_by_id=user.pk
        ).select_related("report__complaint__customer")
        for letter in scope_by_customer(user, letters, field=TASK_CUSTOMER):
            complaint = letter.report.complaint
            yield WorkItem(
                "complaint.reply",
                _("Send the reply letter: %(n)s %(c)s")
                % {"n": complaint.number, "c": complaint.customer.name},
                reverse("complaints:reply", args=[letter.report_id]),
                None,
                _("Quality drafted it; Sales sends it (R-5.5.6)"),
            )
    if can(user, "complaint.negotiate"):
        referred = EightDReport.objects.filter(
            status=EightDStatus.NEGOTIATION, negotiation_outcome=""
        ).filter(Q(complaint__received_by_id=user.pk) | Q(complaint__received_by__isnull=True))
        for r in scope_by_customer(user, referred, field=REPORT_CUSTOMER).select_related(
            "complaint__customer"
        ):
            yield WorkItem(
                "complaint.negotiate",
                _("Negotiate with %(c)s: 8D %(r)s")
                % {"c": r.complaint.customer.name, "r": r.number},
                _url(r.pk),
                None,
                _("The cause lies in the customer's own design or manufacture (R-5.5.7)"),
            )


def _circulation_items(user: Any) -> Iterator[WorkItem]:
    for row in pending_circulations(user):
        complaint = row.report.complaint
        yield WorkItem(
            "complaint.circulation",
            _("Acknowledge closed complaint %(n)s (%(c)s)")
            % {"n": complaint.number, "c": complaint.customer.name},
            _url(row.report_id),
            None,
            _("Circulated to %(role)s (R-5.5.8)") % {"role": row.get_role_display()},
        )


@register
def complaints_work(user: Any) -> Iterator[WorkItem]:
    if not can(user, "complaint.view"):
        return
    yield from _register_items(user)
    if can(user, "eightd.view"):
        yield from _quality_items(user)
        yield from _task_items(user)
    yield from _sales_items(user)
    yield from _circulation_items(user)
