"""Deadline arithmetic from deadlines.md — the one place clocks are computed (design rule 5).

Pure functions: aware datetimes in, aware UTC datetimes out. The company time zone matters
for calendar-based clocks (days, weeks); clock-hour clocks are plain UTC arithmetic.
A task is on time when it is done at or before its deadline (`is_late` is strict).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import overload
from zoneinfo import ZoneInfo

FIRST_ANSWER_HOURS = 24
FEEDBACK_DAYS = 7


def company_tz() -> tzinfo:
    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must carry a time zone offset")


def first_answer_due(received_at: datetime) -> datetime:
    """R-5.9.1: every call, letter, visit and e-mail is answered within 24 clock hours."""
    _require_aware(received_at, "received_at")
    # Add in UTC: aware arithmetic in a local zone would count wall-clock hours across DST.
    return received_at.astimezone(UTC) + timedelta(hours=FIRST_ANSWER_HOURS)


@overload
def days_after(start: datetime, days: int, tz: tzinfo | None = None) -> datetime: ...
@overload
def days_after(start: date, days: int, tz: tzinfo | None = None) -> date: ...
def days_after(start: date, days: int, tz: tzinfo | None = None) -> date:
    """`days` calendar days after `start`, at the same wall-clock time in the company's time
    zone (stable across DST where it applies) — the only calendar-day arithmetic (ADR 0003).
    A plain date gives the date `days` later."""
    if not isinstance(start, datetime):
        return start + timedelta(days=days)
    _require_aware(start, "start")
    tz = tz or company_tz()
    local = start.astimezone(tz)
    wall = datetime.combine(local.date() + timedelta(days=days), local.time())
    return wall.replace(tzinfo=tz).astimezone(UTC)


def feedback_due(received_at: datetime, tz: tzinfo | None = None) -> datetime:
    """R-5.2.4: feedback to the customer within one week — seven calendar days later at the
    same wall-clock time in the company's time zone."""
    _require_aware(received_at, "received_at")
    return days_after(received_at, FEEDBACK_DAYS, tz)


def validate_extension(original_due: datetime, new_due: datetime) -> None:
    """An extension may only move a deadline later (deadlines.md)."""
    _require_aware(new_due, "new_due")
    if new_due <= original_due:
        raise ValueError("the extended deadline must be later than the original deadline")


def routing_due(feedback_due_at: datetime) -> datetime:
    """R-5.2.4: a department a communication is routed to answers by the communication's
    feedback deadline unless Sales sets an earlier one (issue 10 §7)."""
    _require_aware(feedback_due_at, "feedback_due_at")
    return feedback_due_at


def is_late(done_at: datetime | None, due_at: datetime, now: datetime) -> bool:
    """Done after the deadline, or not done and past it. Done exactly at it is on time."""
    return (done_at if done_at is not None else now) > due_at


def week_start(day: date) -> date:
    """Monday of the company week (Mon–Sun) that contains `day`."""
    return day - timedelta(days=day.weekday())


def weekly_feedback_due(week_monday: date, tz: tzinfo | None = None) -> datetime:
    """R-5.9.4: a week's quality feedback is due by the end of the following Monday."""
    tz = tz or company_tz()
    following_monday = week_start(week_monday) + timedelta(days=7)
    end = datetime.combine(following_monday + timedelta(days=1), time.min).replace(tzinfo=tz)
    return (end - timedelta(microseconds=1)).astimezone(UTC)


def time_left(due_at: datetime, now: datetime) -> timedelta:
    return due_at - now


def working_days_after(start: datetime, days: int, tz: tzinfo | None = None) -> datetime:
    """`days` working days (Monday–Friday) after `start`, at the same wall-clock time in the
    company's time zone; a start on a weekend counts from the next Monday. Used for the
    pre-sale evaluation and approval clocks (R-5.1.1, R-5.1.2: 3 working days by default)."""
    _require_aware(start, "start")
    if days < 0:
        raise ValueError("days must not be negative")
    tz = tz or company_tz()
    local = start.astimezone(tz)
    day = local.date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    left = days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime.combine(day, local.time()).replace(tzinfo=tz).astimezone(UTC)


# Annual clocks (deadlines.md): the visit plan and the service-staff training.
VISIT_PLAN_DUE = (1, 31)  # approved by 31 January; SERVICELOOP_VISIT_PLAN_DUE="MM-DD"
TRAINING_WARNING_FROM = (10, 1)  # warn from 1 October when none is held or scheduled


def _month_day(setting: str, default: tuple[int, int]) -> tuple[int, int]:
    from django.conf import settings

    value = getattr(settings, setting, None)
    if not value:
        return default
    month, day = (int(p) for p in str(value).split("-"))
    return month, day


def visit_plan_approval_due(year: int) -> date:
    """R-5.7.1: the year's visit plan is approved by 31 January of that year (configurable)."""
    month, day = _month_day("SERVICELOOP_VISIT_PLAN_DUE", VISIT_PLAN_DUE)
    return date(year, month, day)


def training_warning_from(year: int) -> date:
    """R-5.8: from 1 October Sales is warned when no training is held or scheduled that year."""
    month, day = _month_day("SERVICELOOP_TRAINING_WARNING_FROM", TRAINING_WARNING_FROM)
    return date(year, month, day)


def end_of_day(day: date, tz: tzinfo | None = None) -> datetime:
    """The last instant of a calendar day in the company's time zone, in UTC (a date-only
    deadline, such as a sample's planned or a visit action's due date, is met all that day)."""
    tz = tz or company_tz()
    end = datetime.combine(day + timedelta(days=1), time.min).replace(tzinfo=tz)
    return (end - timedelta(microseconds=1)).astimezone(UTC)


def years_after(day: date, years: int) -> date:
    """The same calendar date `years` later (or earlier, if negative); 29 February becomes
    28 February in a common year. Retention periods (R-7) are counted this way."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def local_date(value: date | datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of a date or an aware datetime in the company's time zone."""
    if isinstance(value, datetime):
        _require_aware(value, "value")
        return value.astimezone(tz or company_tz()).date()
    return value


# The half-year service work summary: due 30 days after 30 June / 31 December.
SUMMARY_DAYS = 30


def half_year_bounds(year: int, half: int) -> tuple[date, date]:
    """First and last day of a half year: H1 = 1 January–30 June, H2 = 1 July–31 December."""
    if half not in (1, 2):
        raise ValueError("half must be 1 or 2")
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )


def summary_due(period_end: date) -> date:
    """R-5.9.6: the summary is due 30 days after the period ends (30 June → 30 July,
    31 December → 30 January of the next year)."""
    return days_after(period_end, SUMMARY_DAYS)


def local_day_bounds(start: date, end: date, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """[start, end] as a half-open range of aware datetimes: midnight of `start` to midnight
    after `end` in the company's time zone (for `__gte` / `__lt` filters on a period)."""
    tz = tz or company_tz()
    return (
        datetime.combine(start, time.min).replace(tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min).replace(tzinfo=tz),
    )
