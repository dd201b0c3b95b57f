"""Each service engineer's weekly quality feedback to Sales (R-5.9.4): assembled from the
week's service records (Mon–Sun, company time), reviewed and submitted by the engineer, due
by the end of the following Monday (deadlines.md). Missing weeks are flagged by an
idempotent sweep."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core import deadlines
from serviceloop.core.audit import (
    AuditAction,
    audit_create,
    audit_flag,
    snapshot,
)
from serviceloop.core.late_entry import clear_stated_time, record_stated_time
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.permissions import require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition

from .. import queries
from ..domain import rules
from ..models import FEEDBACK_TRANSITIONS, FeedbackStatus, ServiceRecord, WeeklyFeedback
from ._common import check_past_time, engineer_for, required_text


def _check_week(week_start: date | None) -> date:
    if week_start is None:
        raise ValidationError({"week_start": _("This field is required.")})
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A week starts on a Monday.")})
    if week_start > deadlines.week_start(timezone.localdate()):
        raise ValidationError({"week_start": _("This week has not begun yet.")})
    return week_start


def _get_or_create(
    engineer: User, week_start: date, actor: User | None, system: str = ""
) -> tuple[WeeklyFeedback, bool]:
    fb = (
        WeeklyFeedback.objects.select_for_update(of=("self",))
        .filter(engineer=engineer, week_start=week_start)
        .first()
    )
    if fb is not None:
        return fb, False
    try:
        with transaction.atomic():
            fb = WeeklyFeedback.objects.create(
                engineer=engineer,
                week_start=week_start,
                due_at=deadlines.weekly_feedback_due(week_start),
                created_by=actor,
            )
    except IntegrityError:  # a concurrent request or sweep created it
        return WeeklyFeedback.objects.select_for_update(of=("self",)).get(
            engineer=engineer, week_start=week_start
        ), False
    audit_create(actor=actor, obj=fb, system=system)
    return fb, True


def week_records(engineer_id: int, week_start: date):
    return ServiceRecord.objects.filter(engineer_id=engineer_id, week_start=week_start)


@transaction.atomic
def weekly_feedback_submit(
    *,
    actor: User,
    week_start: date,
    summary: str = "",
    engineer: User | None = None,
    at: datetime | None = None,
    reason: str = "",
) -> WeeklyFeedback:
    """The engineer reviews the week's records and submits them to Sales with his summary.
    A week without records is submitted too ("nothing found"), with a summary.
    `at` (when a paper feedback was handed in) is for back-office data entry only; the UI and
    the API always submit now."""
    require(actor, "feedback.submit")
    week = _check_week(week_start)
    if at is not None:
        check_past_time("at", at)
        if at < rules.end_of_day(week - timedelta(days=1)):
            raise ValidationError({"at": _("This time is before the week began.")})
    person = engineer_for(engineer if engineer is not None else actor)
    if person.pk != actor.pk:
        raise ValidationError({"engineer": _("Engineers submit their own weekly feedback.")})
    records = week_records(person.pk, week)
    text = (summary or "").strip()
    if not records.exists() and not text:
        raise ValidationError(
            {"summary": _("No service records this week: say so in the summary.")}
        )
    fb, _created = _get_or_create(person, week, actor)
    before = snapshot(fb)
    transition(fb, FeedbackStatus.SUBMITTED, actor=actor, table=FEEDBACK_TRANSITIONS, save=False)
    records.filter(weekly_feedback__isnull=True).update(weekly_feedback=fb)
    fb.summary = text
    fb.record_count = records.count()
    record_stated_time(fb, "submitted", stated_at=at, reason=reason)
    return save_audited(fb, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def weekly_feedback_review(
    *, actor: User, feedback: WeeklyFeedback, note: str = ""
) -> WeeklyFeedback:
    """Sales has read the week's feedback and taken its information up (R-5.9.5)."""
    require(actor, "feedback.review")
    fb = WeeklyFeedback.objects.select_for_update(of=("self",)).get(pk=feedback.pk)
    before = snapshot(fb)
    transition(fb, FeedbackStatus.REVIEWED, actor=actor, table=FEEDBACK_TRANSITIONS, save=False)
    fb.reviewed_at, fb.reviewed_by, fb.review_note = timezone.now(), actor, (note or "").strip()
    return save_audited(fb, actor=actor, before=before, action=AuditAction.TRANSITION)


@transaction.atomic
def weekly_feedback_return(*, actor: User, feedback: WeeklyFeedback, reason: str) -> WeeklyFeedback:
    """Sales sends the feedback back to the engineer (records missing or unclear)."""
    require(actor, "feedback.review")
    fb = (
        WeeklyFeedback.objects.select_for_update(of=("self",))
        .select_related("engineer")
        .get(pk=feedback.pk)
    )
    text = required_text("reason", reason, _("Say what the engineer must add or clarify."))
    before = snapshot(fb)
    transition(fb, FeedbackStatus.DRAFT, actor=actor, table=FEEDBACK_TRANSITIONS, save=False)
    fb.records.update(weekly_feedback=None)
    clear_stated_time(fb, "submitted")
    fb.review_note = text
    save_audited(fb, actor=actor, before=before, action=AuditAction.TRANSITION, reason=text)
    notify(
        [fb.engineer],
        kind="fieldservice.feedback",
        title=Message(gettext_noop("Weekly feedback %(week)s returned by Sales"), week=fb.label),
        body=Message.verbatim(text),
        url=fb.get_absolute_url(),
        dedupe_key=f"fs_feedback_returned:{fb.pk}:{timezone.now().isoformat()}",
    )
    return fb


def active_engineers():
    return users_with_roles(RoleCode.SERVICE_ENGINEER).order_by("username")


def sweep_missing_feedback(now: datetime | None = None) -> int:
    """Flag every engineer's weeks whose feedback is past due and not submitted: a draft row
    is created if none exists, marked missing, and the engineer and Sales leadership are told.
    Idempotent: a week is flagged and announced once, whoever runs the sweep again."""
    now = now or timezone.now()
    leaders = list(users_with_roles(RoleCode.SALES_LEADER))
    flagged = 0
    for engineer in active_engineers():
        weeks = rules.owed_weeks(
            queries.feedback_first_day(engineer.pk), now, lookback=rules.FEEDBACK_LOOKBACK_WEEKS
        )
        if not weeks:
            continue
        done = set(
            WeeklyFeedback.objects.filter(engineer=engineer, week_start__in=weeks)
            .filter(submitted_at__isnull=False)
            .values_list("week_start", flat=True)
        ) | set(
            WeeklyFeedback.objects.filter(
                engineer=engineer, week_start__in=weeks, overdue_flagged_at__isnull=False
            ).values_list("week_start", flat=True)
        )
        for week in weeks:
            if week in done:
                continue
            with transaction.atomic():
                fb, _created = _get_or_create(engineer, week, None, "fieldservice_sweep")
                if fb.submitted_at is not None or fb.overdue_flagged_at is not None:
                    continue
                audit_flag(
                    fb,
                    "overdue_flagged_at",
                    now,
                    system="fieldservice_sweep",
                    reason="weekly feedback missing",
                )
                notify(
                    [engineer, *leaders],
                    kind="fieldservice.feedback_missing",
                    title=Message(
                        gettext_noop("Weekly feedback missing: %(engineer)s, week %(week)s"),
                        engineer=engineer,
                        week=fb.label,
                    ),
                    url=fb.get_absolute_url(),
                    dedupe_key=f"fs_feedback_missing:{engineer.pk}:{week.isoformat()}",
                )
                flagged += 1
    return flagged
