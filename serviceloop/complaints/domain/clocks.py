"""Deadlines of an 8D report (deadlines.md: "8D action items — set per action"), computed once
when the report opens and stored on its disciplines and action items (design rule 5).

Pure functions: aware datetimes in, aware UTC datetimes out. The defaults follow common
automotive 8D practice (containment within 24 hours, root cause within a week, closure
within two months); Quality may move any of them, but never before the complaint arrived.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from django.utils.translation import gettext_lazy as _

from serviceloop.core.deadlines import days_after

# Calendar days after receipt, per discipline.
DISCIPLINE_DAYS: dict[str, int] = {
    "d0": 1,
    "d1": 1,
    "d2": 1,
    "d3": 1,
    "d4": 7,
    "d5": 10,
    "d6": 30,
    "d7": 45,
    "d8": 60,
}

# a customer return opens an 8D with deadlines for Production, Technical and
# Quality itself: (department code, discipline, action kind, what, days after receipt).
RETURN_ACTIONS: list[tuple[str, str, str, object, int]] = [
    (
        "production",
        "d3",
        "containment",
        _(
            "Count, isolate and tag the returned goods; check work in progress and finished "
            "goods of the same lot."
        ),
        1,
    ),
    (
        "technical",
        "d4",
        "analysis",
        _("Analyse the returned parts: establish any design or process cause."),
        7,
    ),
    (
        "quality",
        "d4",
        "analysis",
        _("Lead the cause analysis: the work station where it arose and why it escaped."),
        7,
    ),
    (
        "production",
        "d5",
        "corrective",
        _("Set and carry out the production corrective action the analysis calls for."),
        14,
    ),
]


def discipline_due_dates(received_at: datetime, tz: tzinfo | None = None) -> dict[str, datetime]:
    """Default due date of each discipline D0–D8 for a complaint received at `received_at`."""
    return {code: days_after(received_at, days, tz) for code, days in DISCIPLINE_DAYS.items()}


def is_before(due_at: datetime, received_at: datetime) -> bool:
    """A deadline may not lie before the complaint it belongs to."""
    return due_at < received_at
