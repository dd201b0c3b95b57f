"""Every write to service work summaries (R-5.9.6): draft from the system's data, refresh the
frozen figures while a draft, edit the narrative, submit, approve or send back."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core import deadlines
from serviceloop.core.audit import audit_create, snapshot
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.permissions import require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked, move, refuse_unless

from . import selectors
from .models import NARRATIVE, TRANSITIONS, ServiceSummary, Status, parse_period, period_dates

APPROVER_ROLES = (RoleCode.SALES_LEADER, RoleCode.COMPANY_LEADER, RoleCode.GENERAL_MANAGER)
DRAFTER_ROLES = (RoleCode.SALES, RoleCode.SALES_LEADER)


@transaction.atomic
def summary_draft(*, actor: User, period: str) -> ServiceSummary:
    """Draft the summary of a half year that has ended, its figures computed now and frozen."""
    require(actor, "summary.draft")
    parsed = parse_period(period)
    if parsed is None:
        raise ValidationError({"period": _("Give the period as YYYY-H1 or YYYY-H2.")})
    year, half = parsed
    start, end, due = period_dates(year, half)
    if end >= timezone.localdate():
        raise ValidationError({"period": _("This half year has not ended yet.")})
    label = f"{year}-H{half}"
    if ServiceSummary.objects.select_for_update().filter(period=label).exists():
        raise ValidationError({"period": _("A summary of %(p)s already exists.") % {"p": label}})
    summary = ServiceSummary(
        period=label,
        period_start=start,
        period_end=end,
        due_date=due,
        due_at=deadlines.end_of_day(due),
        figures=selectors.compute_figures(actor, start, end),
        figures_at=timezone.now(),
        created_by=actor,
    )
    summary.save()
    audit_create(actor=actor, obj=summary)
    return summary


def _locked(summary: ServiceSummary) -> ServiceSummary:
    return locked(summary)


@transaction.atomic
def summary_refresh(*, actor: User, summary: ServiceSummary) -> ServiceSummary:
    """Compute the figures again (a draft only): records entered late since drafting count."""
    require(actor, "summary.draft")
    s = _locked(summary)
    refuse_unless(s.may_edit())
    before = snapshot(s)
    s.figures = selectors.compute_figures(actor, s.period_start, s.period_end)
    s.figures_at = timezone.now()
    return save_audited(s, actor=actor, before=before, reason=_("figures refreshed"))


@transaction.atomic
def summary_edit(*, actor: User, summary: ServiceSummary, **texts: str) -> ServiceSummary:
    """Sales writes the narrative sections: achievements, shortcomings, direction."""
    require(actor, "summary.draft")
    unknown = set(texts) - set(NARRATIVE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Not a section of the summary.")})
    s = _locked(summary)
    refuse_unless(s.may_edit())
    before = snapshot(s)
    for field, text in texts.items():
        setattr(s, field, (text or "").strip())
    return save_audited(s, actor=actor, before=before, clean=True)


def _move(actor: User, s: ServiceSummary, to: str, **fields: Any) -> ServiceSummary:
    return move(s, to, actor=actor, table=TRANSITIONS, **fields)


@transaction.atomic
def summary_submit(*, actor: User, summary: ServiceSummary) -> ServiceSummary:
    require(actor, "summary.draft")
    s = _locked(summary)
    refuse_unless(s.may_submit())
    s = _move(actor, s, Status.SUBMITTED, submitted_at=timezone.now(), submitted_by=actor)
    notify(
        users_with_roles(*APPROVER_ROLES),
        kind="service_summary",
        title=Message(gettext_noop("Service work summary %(p)s awaits your approval"), p=s.period),
        url=s.get_absolute_url(),
    )
    return s


@transaction.atomic
def summary_approve(
    *, actor: User, summary: ServiceSummary, comment: str = "", send_back: bool = False
) -> ServiceSummary:
    """Leadership approves the submitted summary, or sends it back to Sales with a comment."""
    require(actor, "summary.approve")
    comment = (comment or "").strip()
    s = _locked(summary)
    if send_back:
        if not comment:
            raise ValidationError({"comment": _("Say what must change.")})
        refuse_unless(s.may_send_back())
        s = _move(actor, s, Status.DRAFT, returned_at=timezone.now(), return_comment=comment)
        notify(
            [u for u in (s.submitted_by, s.created_by) if u is not None],
            kind="service_summary",
            title=Message(gettext_noop("Service work summary %(p)s sent back"), p=s.period),
            body=Message.verbatim(comment),
            url=s.get_absolute_url(),
        )
        return s
    refuse_unless(s.may_approve())
    return _move(
        actor,
        s,
        Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=actor,
        approval_comment=comment,
    )


def last_ended_period(today=None) -> str:  # noqa: ANN001
    """The half year that ended last before `today` (e.g. on 2 December 2026: "2026-H1")."""
    today = today or timezone.localdate()
    if today.month >= 7:
        return f"{today.year}-H1"
    return f"{today.year - 1}-H2"
