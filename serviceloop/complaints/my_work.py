"""Complaints' contribution to "my work": what each person owes on complaints and 8D reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core.my_work import WorkCount, WorkItem, most_urgent, register
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


Work = Iterator[WorkItem | WorkCount]


def _register_items(user: Any) -> Work:
    if can(user, "eightd.open"):
        waiting = scope_by_customer(
            user, Complaint.objects.filter(status=Status.REGISTERED, received_by_id=user.pk)
        ).select_related("customer")
        yield from most_urgent(
            waiting,
            lambda c: WorkItem(
                "complaint.convert",
                _("Convert to an 8D: %(n)s %(c)s") % {"n": c.number, "c": c.customer.name},
                c.get_absolute_url(),
                clocks.days_after(c.received_at, 1),
                _("Hand the complaint to Quality as an 8D report (R-5.5.1)"),
            ),
            kind="complaint.convert",
            order="received_at",
            url=reverse("complaints:list") + f"?status={Status.REGISTERED}",
        )


def _quality_items(user: Any) -> Work:
    reports = scope_by_customer(user, EightDReport.objects.all(), field=REPORT_CUSTOMER)
    if can(user, "eightd.edit"):
        leaderless = reports.filter(leader__isnull=True).exclude(status=EightDStatus.CLOSED)
        yield from most_urgent(
            leaderless.select_related("complaint__customer"),
            lambda r: WorkItem(
                "eightd.lead",
                _("Name a leader for 8D %(r)s (%(c)s)")
                % {"r": r.number, "c": r.complaint.customer.name},
                _url(r.pk, "d1"),
                clocks.days_after(r.complaint.received_at, clocks.DISCIPLINE_DAYS["d1"]),
                _("Assigned to Quality Management"),
            ),
            kind="eightd.lead",
            order="complaint__received_at",
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
    yield from most_urgent(
        verify,
        lambda a: WorkItem(
            "eightd.verify",
            _("Verify the effect: %(r)s %(a)s") % {"r": a.report.number, "a": a.description[:50]},
            _url(a.report_id, "d6"),
            None,
            _("D6 verification"),
        ),
        kind="eightd.verify",
        order=None,
        url=reverse("complaints:actions") + f"?status={ActionStatus.DONE}",
    )
    if can(user, "containment.reinspect"):
        pending = scope_by_customer(
            user,
            Containment.objects.filter(OPEN_REPORT, reinspection=Reinspection.PENDING).filter(
                Q(report__leader_id=user.pk) | Q(report__leader__isnull=True)
            ),
            field=TASK_CUSTOMER,
        ).select_related("report")
        yield from most_urgent(
            pending,
            lambda c: WorkItem(
                "eightd.reinspect",
                _("Re-inspect reworked goods: %(r)s %(l)s")
                % {"r": c.report.number, "l": c.get_location_display()},
                _url(c.report_id, "d3"),
                None,
                _("Reworked goods go back to stock only after Quality's re-inspection (R-5.5.3)"),
            ),
            kind="eightd.reinspect",
            order=None,
        )


def _task_items(user: Any) -> Work:
    owned = Discipline.objects.filter(OPEN_REPORT, owner_id=user.pk, status=DisciplineStatus.OPEN)
    owned = owned.exclude(due_at__isnull=True)
    earlier = owned.filter(report_id=OuterRef("report_id")).filter(
        Q(due_at__lt=OuterRef("due_at")) | Q(due_at=OuterRef("due_at"), code__lt=OuterRef("code"))
    )
    # the next discipline due per report is enough
    disciplines = owned.filter(~Exists(earlier)).select_related("report")
    yield from most_urgent(
        scope_by_customer(user, disciplines, field=TASK_CUSTOMER),
        lambda d: WorkItem(
            "eightd.discipline",
            _("8D %(r)s: %(d)s") % {"r": d.report.number, "d": d.get_code_display()},
            _url(d.report_id, d.code),
            d.due_at,
            _("Discipline you own"),
        ),
        kind="eightd.discipline",
        # one item per report: count the reports (without the per-row "next due?" test)
        counted=scope_by_customer(user, owned, field=TASK_CUSTOMER),
        count_distinct="report_id",
    )
    actions = ActionItem.objects.filter(OPEN_REPORT, _mine(user), status=ActionStatus.OPEN)
    yield from most_urgent(
        scope_by_customer(user, actions, field=TASK_CUSTOMER).select_related("report"),
        lambda a: WorkItem(
            "eightd.action",
            _("8D %(r)s: %(a)s") % {"r": a.report.number, "a": a.description[:60]},
            _url(a.report_id, a.discipline),
            a.due_at,
            str(a.get_kind_display()),
        ),
        kind="eightd.action",
        url=reverse("complaints:actions") + f"?mine=1&status={ActionStatus.OPEN}",
    )
    containments = Containment.objects.filter(OPEN_REPORT, _mine(user), done_at__isnull=True)
    yield from most_urgent(
        scope_by_customer(user, containments, field=TASK_CUSTOMER).select_related("report"),
        lambda c: WorkItem(
            "eightd.containment",
            _("8D %(r)s: containment at %(l)s")
            % {"r": c.report.number, "l": c.get_location_display()},
            _url(c.report_id, "d3"),
            c.due_at,
            c.action[:80],
        ),
        kind="eightd.containment",
    )


def _letter(letter: ReplyLetter) -> WorkItem:
    complaint = letter.report.complaint
    return WorkItem(
        "complaint.reply",
        _("Send the reply letter: %(n)s %(c)s")
        % {"n": complaint.number, "c": complaint.customer.name},
        reverse("complaints:reply", args=[letter.report_id]),
        None,
        _("Quality drafted it; Sales sends it (R-5.5.6)"),
    )


def _sales_items(user: Any) -> Work:
    if can(user, "reply.send"):
        letters = ReplyLetter.objects.filter(
            status=ReplyStatus.DRAFT, report__complaint__received_by_id=user.pk
        ).select_related("report__complaint__customer")
        yield from most_urgent(
            scope_by_customer(user, letters, field=TASK_CUSTOMER),
            _letter,
            kind="complaint.reply",
            order=None,
        )
    if can(user, "complaint.negotiate"):
        referred = EightDReport.objects.filter(
            status=EightDStatus.NEGOTIATION, negotiation_outcome=""
        ).filter(Q(complaint__received_by_id=user.pk) | Q(complaint__received_by__isnull=True))
        yield from most_urgent(
            scope_by_customer(user, referred, field=REPORT_CUSTOMER).select_related(
                "complaint__customer"
            ),
            lambda r: WorkItem(
                "complaint.negotiate",
                _("Negotiate with %(c)s: 8D %(r)s")
                % {"c": r.complaint.customer.name, "r": r.number},
                _url(r.pk),
                None,
                _("The cause lies in the customer's own design or manufacture (R-5.5.7)"),
            ),
            kind="complaint.negotiate",
            order=None,
            url=reverse("complaints:list") + f"?status={Status.NEGOTIATING}",
        )


def _circulation_items(user: Any) -> Work:
    def item(row: Any) -> WorkItem:
        complaint = row.report.complaint
        return WorkItem(
            "complaint.circulation",
            _("Acknowledge closed complaint %(n)s (%(c)s)")
            % {"n": complaint.number, "c": complaint.customer.name},
            _url(row.report_id),
            None,
            _("Circulated to %(role)s (R-5.5.8)") % {"role": row.get_role_display()},
        )

    yield from most_urgent(
        pending_circulations(user), item, kind="complaint.circulation", order=None
    )


@register
def complaints_work(user: Any) -> Work:
    if not can(user, "complaint.view"):
        return
    yield from _register_items(user)
    if can(user, "eightd.view"):
        yield from _quality_items(user)
        yield from _task_items(user)
    yield from _sales_items(user)
    yield from _circulation_items(user)
