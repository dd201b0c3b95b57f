"""Late entries: a stated time well before the moment it was entered (issue 10 §2).

Every clock in the product (communication answer and feedback, 8D disciplines, containment and
actions, weekly feedback) lets the user state when a thing happened. A stated time more than
`LATE_AFTER` before the moment of entry is a *late entry* (补录): it needs a reason, and the
record keeps both times. On-time is judged by the stated time, but a deadline the sweep had
already flagged overdue stays visibly flagged.

One mechanism for every clock: a model with a clock whose done-time field is `<clock>_at`
declares the two companion fields with `late_entry_fields()`:

    completed_entered_at, completed_late_reason = late_entry_fields()

and its service calls `record_stated_time(obj, "completed", stated_at=at, reason=reason)`
instead of setting `completed_at` itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LATE_AFTER = timedelta(minutes=15)
# The reason the demo (and any back-office load of paper records) gives for its back-dated times.
BACKFILL_REASON = "按纸质记录补录"


def late_entry_fields() -> tuple[models.DateTimeField, models.TextField]:
    """The two fields a clock needs: when its time was entered, and why late (if late)."""
    return (
        models.DateTimeField(gettext_lazy("entered at"), null=True, blank=True, editable=False),
        models.TextField(gettext_lazy("reason for late entry"), blank=True, editable=False),
    )


def is_late_entry(stated_at: datetime | None, entered_at: datetime) -> bool:
    return stated_at is not None and entered_at - stated_at > LATE_AFTER


def check_reason(
    stated_at: datetime | None, reason: str | None, *, now: datetime | None = None
) -> str:
    """The reason a late entry needs, stripped; "" for an entry on time. Raises a
    ValidationError keyed `reason` when a late entry has none."""
    now = now or timezone.now()
    text = (reason or "").strip()
    if is_late_entry(stated_at, now) and not text:
        raise ValidationError(
            {
                "reason": _(
                    "This time is more than 15 minutes in the past: give the reason for the "
                    "late entry."
                )
            }
        )
    return text if is_late_entry(stated_at, now) else ""


def record_stated_time(
    obj: models.Model,
    clock: str,
    *,
    stated_at: datetime | None,
    reason: str | None = None,
    now: datetime | None = None,
) -> datetime:
    """Set `<clock>_at` to the stated time (now when none), `<clock>_entered_at` to now and
    `<clock>_late_reason` to the reason when the entry is late. Returns the stated time."""
    now = now or timezone.now()
    at = stated_at or now
    text = check_reason(at, reason, now=now)
    setattr(obj, f"{clock}_at", at)
    setattr(obj, f"{clock}_entered_at", now)
    setattr(obj, f"{clock}_late_reason", text)
    return at


def clear_stated_time(obj: models.Model, clock: str) -> None:
    """A clock that is reopened (e.g. an action sent back) forgets its times."""
    setattr(obj, f"{clock}_at", None)
    setattr(obj, f"{clock}_entered_at", None)
    setattr(obj, f"{clock}_late_reason", "")


@dataclass(frozen=True)
class StatedTime:
    """What a record says about one clock, for display."""

    at: datetime | None
    entered_at: datetime | None
    reason: str
    flagged_at: datetime | None  # the sweep flagged the deadline overdue before the entry

    @property
    def late_entry(self) -> bool:
        return self.at is not None and self.entered_at is not None and bool(self.reason)


def stated_time(obj: Any, clock: str, *, flagged_at: datetime | None = None) -> StatedTime:
    at = getattr(obj, f"{clock}_at", None)
    entered = getattr(obj, f"{clock}_entered_at", None)
    reason = getattr(obj, f"{clock}_late_reason", "") or ""
    if entered is None or not is_late_entry(at, entered):
        reason = ""
    if flagged_at is not None and entered is not None and flagged_at > entered:
        flagged_at = None  # flagged after the entry: not what the entry hid
    return StatedTime(at=at, entered_at=entered, reason=reason, flagged_at=flagged_at)


def count_late_entries(qs: models.QuerySet, clock: str) -> int:
    """How many records of `qs` had their `<clock>` time entered late."""
    return qs.exclude(**{f"{clock}_late_reason": ""}).count()


def late_reason_field() -> forms.CharField:
    """The form field every stated-time form carries (shown beside the time)."""
    return forms.CharField(
        label=gettext_lazy("Reason for late entry"),
        required=False,
        help_text=gettext_lazy("Needed when the time given is more than 15 minutes ago."),
        widget=forms.TextInput(attrs={"class": "late-reason"}),
    )
