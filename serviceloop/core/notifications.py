"""Notices to people: in the app at once (same transaction), by e-mail after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import Notification, User


class Message:
    """A notice's text as a message key and its arguments, so that each reader sees it in
    their own language: ``notify(..., title=Message(gettext_noop("%(n)s is due"), n=number))``.
    The msgid must be in a catalog (mark it with ``gettext_noop``)."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid, self.params = str(msgid), {k: _plain(v) for k, v in params.items()}

    def __str__(self) -> str:
        return render_message(self.msgid, self.params)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, float, bool)) or value is None else str(value)


def render_message(msgid: str, params: dict[str, Any] | None) -> str:
    """``msgid`` translated into the active language, with its arguments filled in."""
    if not msgid:
        return ""
    text = gettext(msgid)
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        return msgid % params if params else msgid


def _split(text: str | Message) -> tuple[str, str, dict[str, Any]]:
    """(plain text in the company language, msgid, params)."""
    if isinstance(text, Message):
        with translation.override(settings.LANGUAGE_CODE):
            return str(text), text.msgid, text.params
    return str(text), "", {}


def users_with_roles(*codes: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__code__in=codes).distinct()


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str | Message,
    body: str | Message = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Create one notification per recipient. With a dedupe_key, a recipient who already
    has that notice gets no second one (so periodic sweeps are idempotent). A title or body
    given as a `Message` is shown in each reader's language."""
    title, title_msgid, title_params = _split(title)
    body, body_msgid, body_params = _split(body)
    created: list[Notification] = []
    for user in {u.pk: u for u in recipients}.values():
        if (
            dedupe_key
            and Notification.objects.filter(recipient=user, dedupe_key=dedupe_key).exists()
        ):
            continue
        try:
            with transaction.atomic():
                n = Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    title=title[:300],
                    body=body,
                    title_msgid=title_msgid[:300],
                    title_params=title_params,
                    body_msgid=body_msgid,
                    body_params=body_params,
                    url=url,
                    dedupe_key=dedupe_key,
                )
        except IntegrityError:  # a concurrent sweep got there first
            continue
        created.append(n)
    emails = [n.pk for n in created if n.recipient.email]
    if emails and settings.SERVICELOOP_NOTIFICATION_EMAILS:
        from .tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(emails))
    return created


def mark_read(*, actor: Any, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
