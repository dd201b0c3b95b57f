"""Pure rules: tiers, repair-or-replace, spare-part quantities, weeks, return checks."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from serviceloop.core import deadlines
from serviceloop.fieldservice.domain import rules

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("kind", "tier", "needs"),
    [
        ("resident", "oem_tier1", False),
        ("resident", "oem_tier2", True),
        ("resident", "retail_key", True),
        ("named", "retail_key", False),
        ("named", "oem_tier1", True),
        ("named", "retail", True),
    ],
)
def test_exception_reason_is_needed_outside_the_intended_tier(kind, tier, needs):
    assert rules.needs_exception_reason(kind, tier) is needs


def test_repair_if_repairable_otherwise_return_or_replace():
    assert rules.allowed_handling(True) == {"repair"}
    assert rules.allowed_handling(False) == {"return", "replace"}


@pytest.mark.parametrize(
    ("failed", "weeks", "balance", "expected"),
    [(8, 8, 0, 4), (8, 8, 3, 1), (8, 8, 10, 0), (1, 8, 0, 1), (0, 8, 0, 0), (9, 4, 0, 9)],
)
def test_suggested_quantity_covers_four_weeks_less_what_is_held(failed, weeks, balance, expected):
    assert rules.suggest_quantity(failed, weeks, balance) == expected


def test_suggested_quantity_needs_a_window():
    with pytest.raises(ValueError):
        rules.suggest_quantity(1, 0, 0)


def test_week_label_is_iso():
    assert rules.week_label(date(2025, 12, 29)) == "2026-W01"
    assert rules.week_label(date(2026, 11, 23)) == "2026-W48"


def test_weekly_feedback_due_across_the_year_end():
    """The week Mon 29 Dec 2025 – Sun 4 Jan 2026 is due by the end of Mon 5 Jan 2026."""
    monday = deadlines.week_start(date(2026, 1, 2))
    assert monday == date(2025, 12, 29)
    assert deadlines.week_start(date(2025, 12, 31)) == monday
    due = deadlines.weekly_feedback_due(monday, SH)
    assert due.astimezone(SH) == datetime(2026, 1, 5, 23, 59, 59, 999999, tzinfo=SH)
    assert due.tzinfo == UTC


def test_last_due_week_turns_over_at_the_end_of_monday():
    # Monday 5 Jan 2026 23:59 local: last year's final week is not yet due.
    before = datetime(2026, 1, 5, 23, 59, tzinfo=SH)
    after = datetime(2026, 1, 6, 0, 0, 1, tzinfo=SH)
    assert rules.last_due_week(before, SH) == date(2025, 12, 22)
    assert rules.last_due_week(after, SH) == date(2025, 12, 29)


def test_owed_weeks_from_the_first_day_with_a_lookback():
    now = datetime(2026, 1, 6, 9, 0, tzinfo=SH)
    weeks = rules.owed_weeks(date(2025, 12, 10), now, SH)
    assert weeks == [date(2025, 12, 8), date(2025, 12, 15), date(2025, 12, 22), date(2025, 12, 29)]
    assert rules.owed_weeks(date(2025, 1, 1), now, SH, lookback=2) == [
        date(2025, 12, 22),
        date(2025, 12, 29),
    ]
    assert rules.owed_weeks(None, now, SH) == []
    assert rules.owed_weeks(date(2026, 1, 6), now, SH) == []


def test_end_of_day_in_company_time():
    assert rules.end_of_day(date(2026, 2, 28), SH).astimezone(SH) == datetime(
        2026, 2, 28, 23, 59, 59, 999999, tzinfo=SH
    )


def test_return_discrepancies():
    ok = [rules.CountedLine("SA-1", 5, 5)]
    assert rules.return_discrepancies(ok, countersigned=True, signatures_ok=True) == []
    short = rules.return_discrepancies(
        [rules.CountedLine("SA-1", 5, 4)], countersigned=True, signatures_ok=True
    )
    assert short == ["SA-1: form says 5, counted 4"]
    over = rules.return_discrepancies(
        [rules.CountedLine("SA-1", 5, 6)], countersigned=True, signatures_ok=True
    )
    assert over == ["SA-1: form says 5, counted 6"]
    problems = rules.return_discrepancies(
        [rules.CountedLine("SA-1", 5, None)], countersigned=False, signatures_ok=False
    )
    assert problems == [
        "SA-1: not counted",
        "the engineer's countersignature is missing",
        "the signatures on the paper form are incomplete",
    ]
    assert rules.return_discrepancies(ok, countersigned=True, signatures_ok=False) == [
        "the signatures on the paper form are incomplete"
    ]


def test_suggest_quantity_over_one_week_and_refusing_none():
    assert rules.suggest_quantity(3, 1, 0, cover_weeks=4) == 12
    assert rules.suggest_quantity(3, 1, 5, cover_weeks=4) == 7
    with pytest.raises(ValueError, match="^weeks must be positive$"):
        rules.suggest_quantity(3, 0, 0)


def test_end_of_day_defaults_to_the_company_zone_and_answers_in_utc():
    end = rules.end_of_day(date(2026, 2, 28))
    assert end.tzinfo is UTC
    assert end == datetime(2026, 2, 28, 23, 59, 59, 999999, tzinfo=SH)


def test_last_due_week_at_the_instant_of_the_deadline():
    # the week of Monday 2 March 2026 is due by the end of Monday 9 March (company time)
    due = datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=SH)
    assert rules.last_due_week(due, SH) == date(2026, 2, 23)  # due at `now`: not yet passed
    assert rules.last_due_week(due + timedelta(microseconds=1), SH) == date(2026, 3, 2)
    assert rules.owed_weeks(date(2026, 3, 4), due + timedelta(microseconds=1), SH) == [
        date(2026, 3, 2)
    ]


def test_week_end_is_the_sunday():
    assert rules.week_end(date(2026, 3, 2)) == date(2026, 3, 8)


# A zone other than the company's (Shanghai, the zone Django gives the test process): the
# rules must count in the zone they are given, not in the process's or the company's.
LA = ZoneInfo("America/Los_Angeles")


def test_end_of_day_in_a_zone_other_than_the_company_one():
    end = rules.end_of_day(date(2026, 1, 12), LA)
    assert end == datetime(2026, 1, 12, 23, 59, 59, 999999, tzinfo=LA)
    assert end.tzinfo is UTC
    assert end != rules.end_of_day(date(2026, 1, 12), SH)


def test_feedback_weeks_in_a_zone_other_than_the_company_one():
    # Monday 12 Jan 2026 10:00 in Los Angeles is already Tuesday 02:00 in Shanghai: the week
    # of 5 Jan is past due in Shanghai, not yet in Los Angeles (due at the end of its Monday)
    now = datetime(2026, 1, 12, 10, 0, tzinfo=LA)
    assert rules.last_due_week(now, SH) == date(2026, 1, 5)
    assert rules.last_due_week(now, LA) == date(2025, 12, 29)
    assert rules.owed_weeks(date(2025, 12, 29), now, LA) == [date(2025, 12, 29)]
    assert rules.owed_weeks(date(2025, 12, 29), now, SH) == [date(2025, 12, 29), date(2026, 1, 5)]
    # one microsecond after the end of Monday in Los Angeles the week is due there too
    due = datetime(2026, 1, 12, 23, 59, 59, 999999, tzinfo=LA)
    assert rules.last_due_week(due, LA) == date(2025, 12, 29)
    assert rules.last_due_week(due + timedelta(microseconds=1), LA) == date(2026, 1, 5)
