"""Pieces every complaints service shares: state moves by the tables, time and deadline checks,
looking up people and customers, links and notices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.roles import RoleCode
from serviceloop.core.validation import check_time as core_check_time
from serviceloop.core.validation import required_text as required_text

from ..domain import clocks
from ..models import Complaint, EightDReport, EightDStatus


def check_time(field: str, at: datetime | None, *, not_before: datetime | None = None) -> None:
    """A time that was recorded: with an offset, not in the future, not before the start."""
    core_check_time(
        field,
        at,
        not_before=not_before,
        before_message=_("This time is before the complaint was received."),
    )


def check_due(field: str, due_at: datetime | None, complaint: Complaint) -> None:
    """A deadline: with an offset and not before the complaint was received."""
    if due_at is None:
        raise ValidationError({field: _("Give a due date.")})
    if due_at.tzinfo is None:
        raise ValidationError({field: _("Give the time with its time zone offset.")})
    if clocks.is_before(due_at, complaint.received_at):
        raise ValidationError({field: _("The due date lies before the complaint was received.")})


def active_user(field: str, user: User | int | None, *, required: bool = False) -> User | None:
    if user is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    pk = user.pk if isinstance(user, User) else user
    found = User.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise ValidationError({field: _("Unknown or inactive user.")})
    return found


def refuse_if_closed(report: EightDReport) -> None:
    if report.status == EightDStatus.CLOSED:
        raise ValidationError({"status": _("The 8D report is closed; it can no longer change.")})


def report_url(report: EightDReport, code: str = "") -> str:
    if code:
        return reverse("complaints:discipline", args=[report.pk, code])
    return report.get_absolute_url()


def quality_people() -> list[User]:
    return list(users_with_roles(RoleCode.QUALITY))


def notify_people(
    people: Iterable[User | None],
    *,
    kind: str,
    title: Message,
    url: str,
    key: str,
    body: Message | None = None,
) -> None:
    notify(
        [p for p in people if p is not None and p.is_active],
        kind=kind,
        title=title,
        body=body,
        url=url,
        dedupe_key=key,
    )
