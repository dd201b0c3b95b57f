"""Notices to people: in the app at once (same transaction), by e-mail after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, User


def users_with_roles(*codes: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__code__in=codes).distinct()


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Create one notification per recipient. With a dedupe_key, a recipient who already
    has that notice gets no second one (so periodic sweeps are idempotent)."""
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
