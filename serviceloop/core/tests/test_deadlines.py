"""Deadline arithmetic (deadlines.md), including the edge cases it names."""

from datetime import UTC, date, datetime, timedelta
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
