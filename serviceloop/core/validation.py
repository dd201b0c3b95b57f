"""Checks every service makes on what a person typed: a recorded time, a required text."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# A record may be entered a little ahead of the server clock (a phone's clock, say).
CLOCK_SKEW = timedelta(minutes=5)


def check_time(
    field: str,
    at: datetime | None,
    *,
    not_before: datetime | None = None,
    before_message: str | None = None,
) -> None:
    """A time that was recorded: with an offset, not in the future, not before the start."""
    if at is None:
        raise ValidationError({field: _("This field is required.")})
    if at.tzinfo is None:
        raise ValidationError({field: _("Give the time with its time zone offset.")})
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({field: _("This time lies in the future.")})
    if not_before is not None and at < not_before:
        raise ValidationError(
            {field: before_message or _("This time is before the previous step.")}
        )


def required_text(field: str, value: str | None, message: str = "") -> str:
    """The text stripped; a blank one is refused naming the field."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message or _("This field is required.")})
    return text
