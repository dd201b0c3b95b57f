"""Background jobs of the core: e-mail for notifications. Jobs take ids, not objects."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django_tasks import task

from .models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    sent = 0
    for n in Notification.objects.select_related("recipient").filter(pk__in=notification_ids):
        if not n.recipient.email:
            continue
        with translation.override(settings.LANGUAGE_CODE):  # no per-person language yet
            title, body = n.title_text, n.body_text
        if n.url:
            body = f"{body}\n\n{n.url}".strip()
        send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
        sent += 1
    return sent
