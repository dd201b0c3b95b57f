"""Pure rules of field service (no database): tiers, repair-or-replace, spare-part quantities,
weekly feedback weeks and return-form checks. Plain functions with plain tests."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from serviceloop.core import deadlines

# An escalation is due this many days after it is raised until Sales sets its own date.
ESCALATION_DEFAULT_DAYS = 7
# How far back the weekly-feedback sweep looks for missing weeks.
FEEDBACK_LOOKBACK_WEEKS = 52
# Failure frequency: default window, and how many weeks of use a spare-part stock should cover.
FREQUENCY_WEEKS = 8
COVER_WEEKS = 4
# The tier each kind of assignment is meant for (R-5.3.1/5.3.2, R-5.3.4.1, R-5.3.5).
KIND_TIER = {"resident": "oem_tier1", "named": "retail_key"}
# R-5.3.4.2: "repair if repairable, otherwise return or replace" (能修则修,不能修则退换).
REPAIRABLE_HANDLING = frozenset({"repair"})
UNREPAIRABLE_HANDLING = frozenset({"return", "replace"})


def needs_exception_reason(kind: str, tier: str) -> bool:
    """A resident engineer outside a tier-1 OEM, or a named engineer outside a key retail
    user, is an exception to the procedure and needs a recorded reason."""
    return KIND_TIER.get(kind) != tier


def allowed_handling(repairable: bool) -> frozenset[str]:
    return REPAIRABLE_HANDLING if repairable else UNREPAIRABLE_HANDLING


def suggest_quantity(
    failed_units: int, weeks: int, balance: int, cover_weeks: int = COVER_WEEKS
) -> int:
    """Spare parts to request so that the engineer's stock covers `cover_weeks` at the failure
    rate seen over the last `weeks` (R-5.3.4.3), less what he already holds."""
    if weeks <= 0:
        raise ValueError("weeks must be positive")
    need = math.ceil(failed_units * cover_weeks / weeks)
    return max(0, need - max(balance, 0))


def end_of_day(day: date, tz: tzinfo | None = None) -> datetime:
    """The last instant of a calendar day in the company's time zone, in UTC."""
    tz = tz or deadlines.company_tz()
    nxt = datetime.combine(day + timedelta(days=1), time.min).replace(tzinfo=tz)
    return (nxt - timedelta(microseconds=1)).astimezone(UTC)


def week_label(monday: date) -> str:
    """ISO week label, e.g. 2026-W01 for the week of Monday 29 December 2025."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_end(monday: date) -> date:
    return monday + timedelta(days=6)


def weeks_from(first: date, last: date) -> list[date]:
    """The Mondays of every week from the week of `first` to the week of `last`, inclusive."""
    start, stop = deadlines.week_start(first), deadlines.week_start(last)
    out = []
    while start <= stop:
        out.append(start)
        start += timedelta(days=7)
    return out


def last_due_week(now: datetime, tz: tzinfo | None = None) -> date:
    """The latest week whose feedback deadline (end of the following Monday) has passed."""
    tz = tz or deadlines.company_tz()
    monday = deadlines.week_start(now.astimezone(tz).date())
    while deadlines.weekly_feedback_due(monday, tz) >= now:
        monday -= timedelta(days=7)
    return monday


def owed_weeks(
    first_day: date | None, now: datetime, tz: tzinfo | None = None, *, lookback: int = 0
) -> list[date]:
    """Weeks (Mondays) whose feedback is due by `now`, from the week of `first_day`;
    limited to the last `lookback` weeks when given."""
    if first_day is None:
        return []
    last = last_due_week(now, tz)
    if lookback:
        first_day = max(first_day, last - timedelta(weeks=lookback - 1))
    return weeks_from(first_day, last) if deadlines.week_start(first_day) <= last else []


@dataclass(frozen=True)
class CountedLine:
    label: str
    declared: int
    counted: int | None


def return_discrepancies(
    lines: Sequence[CountedLine], *, countersigned: bool, signatures_ok: bool
) -> list[str]:
    """What the finished-goods warehouse finds wrong before receiving (R-5.9.2): quantities
    that differ from the form, and missing countersignature. Empty means: receive."""
    from django.utils.translation import gettext as _

    problems: list[str] = []
    for line in lines:
        if line.counted is None:
            problems.append(_("%(part)s: not counted") % {"part": line.label})
        elif line.counted != line.declared:
            problems.append(
                _("%(part)s: form says %(declared)d, counted %(counted)d")
                % {"part": line.label, "declared": line.declared, "counted": line.counted}
            )
    if not countersigned:
        problems.append(_("the engineer's countersignature is missing"))
    if not signatures_ok:
        problems.append(_("the signatures on the paper form are incomplete"))
    return problems
