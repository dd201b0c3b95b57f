"""8D deadline arithmetic (pure): the edge cases deadlines.md names."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from serviceloop.complaints.domain import clocks

SH = ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime(*args, tzinfo=SH)


@pytest.mark.parametrize(
    ("received", "d3", "d4", "d8"),
    [
        # 23:30 on the last day of a month
        (
            local(2026, 4, 30, 23, 30),
            local(2026, 5, 1, 23, 30),
            local(2026, 5, 7, 23, 30),
            local(2026, 6, 29, 23, 30),
        ),
        # across the change of year
        (
            local(2026, 12, 31, 23, 30),
            local(2027, 1, 1, 23, 30),
            local(2027, 1, 7, 23, 30),
            local(2027, 3, 1, 23, 30),
        ),
        # on 29 February
        (
            local(2028, 2, 29, 9, 0),
            local(2028, 3, 1, 9, 0),
            local(2028, 3, 7, 9, 0),
            local(2028, 4, 29, 9, 0),
        ),
        (
            local(2028, 2, 28, 23, 30),
            local(2028, 2, 29, 23, 30),
            local(2028, 3, 6, 23, 30),
            local(2028, 4, 28, 23, 30),
        ),
    ],
)
def test_discipline_due_dates(received, d3, d4, d8):
    dues = clocks.discipline_due_dates(received, SH)
    assert (dues["d3"], dues["d4"], dues["d8"]) == (d3, d4, d8)
    assert all(d.tzinfo is UTC for d in dues.values())
    assert list(dues) == ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"]


def test_a_received_time_in_another_zone_counts_in_company_time():
    received = datetime(2026, 4, 30, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
    assert clocks.days_after(received, 1, SH) == local(2026, 5, 1, 23, 30)


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        clocks.days_after(datetime(2026, 1, 1), 1, SH)


def test_a_deadline_exactly_at_receipt_is_not_before_it():
    t = local(2026, 1, 1, 8, 0)
    assert not clocks.is_before(t, t) and clocks.is_before(local(2026, 1, 1, 7, 59), t)


def test_return_actions_cover_production_technical_and_quality():
    assert {d for d, *_ in clocks.RETURN_ACTIONS} == {"production", "technical", "quality"}
