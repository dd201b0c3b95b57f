"""Deadline arithmetic (deadlines.md), including the edge cases it names."""

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from serviceloop.core import deadlines

SH = ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime(*args, tzinfo=SH)


@pytest.mark.parametrize(
    ("received", "answer_due", "feedback_due"),
    [
        # 23:30 on the last day of a month
        (local(2026, 4, 30, 23, 30), local(2026, 5, 1, 23, 30), local(2026, 5, 7, 23, 30)),
        # across the change of year
        (local(2026, 12, 31, 23, 30), local(2027, 1, 1, 23, 30), local(2027, 1, 7, 23, 30)),
        # on 29 February
        (local(2028, 2, 29, 9, 0), local(2028, 3, 1, 9, 0), local(2028, 3, 7, 9, 0)),
        (local(2028, 2, 28, 23, 30), local(2028, 2, 29, 23, 30), local(2028, 3, 6, 23, 30)),
        # last day of February in a common year
        (local(2027, 2, 28, 23, 30), local(2027, 3, 1, 23, 30), local(2027, 3, 7, 23, 30)),
    ],
)
def test_answer_and_feedback_due(received, answer_due, feedback_due):
    assert deadlines.first_answer_due(received) == answer_due
    assert deadlines.feedback_due(received, SH) == feedback_due
    assert deadlines.first_answer_due(received).tzinfo == UTC


def test_clock_hours_are_exact_even_across_dst():
    ny = ZoneInfo("America/New_York")
    before_dst = datetime(2026, 3, 7, 12, 0, tzinfo=ny)
    assert deadlines.first_answer_due(before_dst) - before_dst == timedelta(hours=24)
    # The one-week clock keeps the wall-clock time in the company zone.
    due = deadlines.feedback_due(before_dst, ny).astimezone(ny)
    assert (due.date(), due.hour) == (date(2026, 3, 14), 12)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="received_at"):
        deadlines.first_answer_due(datetime(2026, 1, 1, 9, 0))


def test_answered_exactly_at_the_deadline_is_on_time():
    due = local(2026, 5, 1, 23, 30)
    assert not deadlines.is_late(due, due, now=due + timedelta(days=3))
    assert deadlines.is_late(due + timedelta(microseconds=1), due, now=due)
    assert not deadlines.is_late(None, due, now=due)
    assert deadlines.is_late(None, due, now=due + timedelta(seconds=1))


def test_extension_must_be_later_than_the_original():
    original = local(2026, 5, 7, 23, 30)
    deadlines.validate_extension(original, original + timedelta(minutes=1))
    for bad in (original, original - timedelta(days=1)):
        with pytest.raises(ValueError):
            deadlines.validate_extension(original, bad)


@pytest.mark.parametrize("day", [date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 29)])
def test_weekly_feedback_due_end_of_following_monday(day):
    due = deadlines.weekly_feedback_due(day, SH).astimezone(SH)
    assert due.date() == date(2026, 11, 30) and (due.hour, due.minute) == (23, 59)
    assert deadlines.week_start(day) == date(2026, 11, 23)


def test_weekly_feedback_across_year_end():
    due = deadlines.weekly_feedback_due(date(2026, 12, 31), SH).astimezone(SH)
    assert due.date() == date(2027, 1, 4)


def test_days_after_keeps_the_wall_clock_time_and_takes_plain_dates():
    assert deadlines.days_after(local(2026, 12, 31, 23, 30), 1) == local(2027, 1, 1, 23, 30)
    assert deadlines.days_after(local(2028, 2, 28, 8, 0), 30) == local(2028, 3, 29, 8, 0)
    assert deadlines.days_after(date(2027, 2, 28), 1) == date(2027, 3, 1)
    with pytest.raises(ValueError):
        deadlines.days_after(datetime(2026, 1, 1, 9, 0), 1)


# --- every clock of the module, with the company zone taken by default (issue 17: mutation) ---

NY = ZoneInfo("America/New_York")
OFFSET = "must carry a time zone offset$"


class _NoOffset(tzinfo):
    """A zone that does not know its offset: an aware-looking datetime that is not aware."""

    def utcoffset(self, dt):
        return None


def test_the_company_zone_is_the_setting(settings):
    assert deadlines.company_tz() == ZoneInfo("Asia/Shanghai")
    settings.TIME_ZONE = "America/New_York"
    assert deadlines.company_tz() == NY


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda v: deadlines.first_answer_due(v), "received_at"),
        (lambda v: deadlines.feedback_due(v), "received_at"),
        (lambda v: deadlines.days_after(v, 1), "start"),
        (lambda v: deadlines.validate_extension(local(2026, 1, 1, 9, 0), v), "new_due"),
        (lambda v: deadlines.routing_due(v), "feedback_due_at"),
        (lambda v: deadlines.working_days_after(v, 1), "start"),
        (lambda v: deadlines.local_date(v), "value"),
    ],
)
def test_naive_or_offsetless_datetimes_are_refused_naming_the_field(call, name):
    for value in (datetime(2026, 1, 1, 9, 0), datetime(2026, 1, 1, 9, 0, tzinfo=_NoOffset())):
        with pytest.raises(ValueError, match=f"^{name} {OFFSET}"):
            call(value)


def test_answers_are_in_utc():
    received = local(2026, 5, 1, 8, 0)
    for due in (
        deadlines.first_answer_due(received),
        deadlines.feedback_due(received),
        deadlines.days_after(received, 3),
        deadlines.working_days_after(received, 3),
        deadlines.weekly_feedback_due(date(2026, 5, 1)),
        deadlines.end_of_day(date(2026, 5, 1)),
    ):
        assert due.tzinfo is UTC


def test_calendar_days_default_to_the_company_zone_across_dst(settings):
    settings.TIME_ZONE = "America/New_York"
    before_dst = datetime(2026, 3, 7, 12, 0, tzinfo=NY)
    # 23 clock hours: the wall-clock time of the company's zone is kept.
    assert deadlines.days_after(before_dst, 1) == datetime(2026, 3, 8, 12, 0, tzinfo=NY)
    assert deadlines.feedback_due(before_dst) == datetime(2026, 3, 14, 12, 0, tzinfo=NY)
    assert deadlines.days_after(before_dst, 1) - before_dst == timedelta(hours=23)


def test_feedback_due_in_a_zone_other_than_the_company_one():
    before_dst = datetime(2026, 3, 7, 12, 0, tzinfo=NY)
    # Counted in Shanghai (no DST): exactly 7 × 24 hours.
    assert deadlines.feedback_due(before_dst) - before_dst == timedelta(days=7)
    assert deadlines.feedback_due(before_dst, NY) - before_dst == timedelta(days=7, hours=-1)


def test_extension_refusal_says_why():
    original = local(2026, 5, 7, 23, 30)
    with pytest.raises(ValueError, match="^the extended deadline must be later than the orig"):
        deadlines.validate_extension(original, original)


def test_routing_due_is_the_feedback_deadline():
    due = local(2026, 5, 7, 23, 30)
    assert deadlines.routing_due(due) == due


def test_time_left():
    due = local(2026, 5, 7, 23, 30)
    assert deadlines.time_left(due, due - timedelta(hours=5)) == timedelta(hours=5)
    assert deadlines.time_left(due, due + timedelta(minutes=1)) == -timedelta(minutes=1)


def test_weekly_feedback_due_is_the_last_microsecond_of_the_following_monday_by_default():
    due = deadlines.weekly_feedback_due(date(2026, 11, 25))
    assert due == datetime(2026, 11, 30, 23, 59, 59, 999999, tzinfo=SH)
    assert due + timedelta(microseconds=1) == local(2026, 12, 1, 0, 0)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Wednesday 07:00 (Tuesday 23:00 UTC): the company's day counts, not the UTC day.
        (local(2026, 11, 25, 7, 0), 3, local(2026, 11, 30, 7, 0)),
        (local(2026, 11, 27, 7, 0), 1, local(2026, 11, 30, 7, 0)),  # Friday -> Monday
        (local(2026, 11, 27, 7, 0), 0, local(2026, 11, 27, 7, 0)),  # zero days: the same time
        (local(2026, 11, 28, 7, 0), 0, local(2026, 11, 30, 7, 0)),  # Saturday -> Monday
        (local(2026, 11, 29, 7, 0), 1, local(2026, 12, 1, 7, 0)),  # Sunday counts from Monday
        (local(2026, 11, 28, 7, 0), 3, local(2026, 12, 3, 7, 0)),
        (local(2026, 11, 23, 7, 0), 5, local(2026, 11, 30, 7, 0)),  # a whole week
        (local(2026, 11, 23, 7, 0), 10, local(2026, 12, 7, 7, 0)),
    ],
)
def test_working_days_after(start, days, due):
    assert deadlines.working_days_after(start, days) == due
    assert deadlines.working_days_after(start, days, SH) == due


def test_working_days_after_in_another_zone():
    start = datetime(2026, 11, 27, 20, 0, tzinfo=NY)  # Friday evening in New York
    assert deadlines.working_days_after(start, 1, NY) == datetime(2026, 11, 30, 20, 0, tzinfo=NY)
    # In Shanghai it is already Saturday 09:00: Monday counts as the start, Tuesday is due.
    assert deadlines.working_days_after(start, 1) == local(2026, 12, 1, 9, 0)


def test_working_days_must_not_be_negative():
    with pytest.raises(ValueError, match="^days must not be negative$"):
        deadlines.working_days_after(local(2026, 11, 23, 7, 0), -1)


def test_annual_clocks_default_and_configured(settings):
    settings.SERVICELOOP_VISIT_PLAN_DUE = ""
    settings.SERVICELOOP_TRAINING_WARNING_FROM = None
    assert deadlines.visit_plan_approval_due(2027) == date(2027, 1, 31)
    assert deadlines.training_warning_from(2027) == date(2027, 10, 1)
    settings.SERVICELOOP_VISIT_PLAN_DUE = "02-15"
    settings.SERVICELOOP_TRAINING_WARNING_FROM = "09-20"
    assert deadlines.visit_plan_approval_due(2027) == date(2027, 2, 15)
    assert deadlines.training_warning_from(2028) == date(2028, 9, 20)


def test_annual_clocks_without_the_settings(settings):
    del settings.SERVICELOOP_VISIT_PLAN_DUE
    del settings.SERVICELOOP_TRAINING_WARNING_FROM
    assert deadlines.visit_plan_approval_due(2026) == date(2026, 1, 31)
    assert deadlines.training_warning_from(2026) == date(2026, 10, 1)


def test_end_of_day_is_the_last_microsecond_of_the_company_day():
    assert deadlines.end_of_day(date(2026, 12, 31)) == datetime(
        2026, 12, 31, 23, 59, 59, 999999, tzinfo=SH
    )
    assert deadlines.end_of_day(date(2026, 12, 31), NY) == datetime(
        2026, 12, 31, 23, 59, 59, 999999, tzinfo=NY
    )


@pytest.mark.parametrize(
    ("day", "years", "want"),
    [
        (date(2026, 5, 7), 10, date(2036, 5, 7)),
        (date(2026, 5, 7), -3, date(2023, 5, 7)),
        (date(2028, 2, 29), 1, date(2029, 2, 28)),
        (date(2028, 2, 29), 4, date(2032, 2, 29)),
        (date(2028, 2, 29), -1, date(2027, 2, 28)),
    ],
)
def test_years_after(day, years, want):
    assert deadlines.years_after(day, years) == want


def test_local_date():
    late_evening_utc = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 01:00 on 1 January in SH
    assert deadlines.local_date(late_evening_utc) == date(2027, 1, 1)
    assert deadlines.local_date(late_evening_utc, NY) == date(2026, 12, 31)
    assert deadlines.local_date(date(2026, 12, 31)) == date(2026, 12, 31)


def test_half_year_bounds_and_summary_due():
    assert deadlines.half_year_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 6, 30))
    assert deadlines.half_year_bounds(2026, 2) == (date(2026, 7, 1), date(2026, 12, 31))
    for bad in (0, 3):
        with pytest.raises(ValueError, match="^half must be 1 or 2$"):
            deadlines.half_year_bounds(2026, bad)
    assert deadlines.summary_due(date(2026, 6, 30)) == date(2026, 7, 30)
    assert deadlines.summary_due(date(2026, 12, 31)) == date(2027, 1, 30)


def test_local_day_bounds():
    start, end = deadlines.local_day_bounds(date(2026, 1, 1), date(2026, 1, 31))
    assert (start, end) == (local(2026, 1, 1, 0, 0), local(2026, 2, 1, 0, 0))
    start, end = deadlines.local_day_bounds(date(2026, 1, 1), date(2026, 1, 1), NY)
    assert (start, end) == (datetime(2026, 1, 1, tzinfo=NY), datetime(2026, 1, 2, tzinfo=NY))
