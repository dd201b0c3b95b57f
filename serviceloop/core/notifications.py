"""Notices to people: in the app at once (same transaction), by e-mail after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext

from .models import Notification, User


class Message:
    """A notice's text as a message key and its arguments, so that each reader sees it in
    their own language: ``notify(..., title=Message(gettext_noop("%(n)s is due"), n=number))``.
    The msgid must be in a catalog (mark it with ``gettext_noop``). Arguments are kept so
    that they too are shown in the reader's language: a date or time as the UI shows one, a
    bilingual name (department, role) in the reader's language, a lazily translated label
    (a status's label) or a nested `Message` translated; anything else as its text."""

    def __init__(self, msgid: str, **params: Any) -> None:
        self.msgid, self.params = str(msgid), {k: _plain(v) for k, v in params.items()}

    def __str__(self) -> str:
        return render_message(self.msgid, self.params)

    @classmethod
    def verbatim(cls, text: str) -> Message:
        """Text a person wrote (an instruction, a reason): shown as written in any language."""
        return cls(VERBATIM, text=text)


VERBATIM = "%(text)s"


class Later:
    """An argument worked out when the notice is shown, in the reader's language: the
    function at ``path`` (dotted) called with ``args`` (JSON values, e.g. a record's id).
    If it fails (the record is gone), the text it gave when the notice was made is shown."""

    def __init__(self, path: str, *args: Any) -> None:
        self.path, self.args = path, list(args)

    def call(self) -> str:
        if not self.path.startswith("serviceloop."):
            raise ValueError(self.path)
        module, _, name = self.path.rpartition(".")
        return str(getattr(import_module(module), name)(*self.args))


def choice_label(obj: Any, field: str) -> Any:
    """The label of ``obj``'s choice field, untranslated (so a notice shows it in the
    reader's language), where ``obj.get_<field>_display()`` would translate it now."""
    value = getattr(obj, field)
    labels = dict(type(obj)._meta.get_field(field).flatchoices)
    return labels.get(value, value)


def _plain(value: Any) -> Any:
    """An argument as JSON: plain values as they are, the others tagged for rendering."""
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if isinstance(value, Message):
        return {"_t": "msg", "msgid": value.msgid, "params": value.params}
    if isinstance(value, Later):
        with translation.override(settings.LANGUAGE_CODE):
            fallback = value.call()
        return {"_t": "later", "path": value.path, "args": value.args, "text": fallback}
    if isinstance(value, datetime):
        return {"_t": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"_t": "date", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, Promise):  # gettext_lazy: keep the msgid, translate when shown
        args = getattr(value, "_args", ())
        if args and isinstance(args[0], str):
            return {"_t": "msg", "msgid": args[0], "params": {}}
    if hasattr(value, "name_zh") and hasattr(value, "name_en"):  # BilingualName
        return {"_t": "names", "zh": value.name_zh, "en": value.name_en or value.name_zh}
    return str(value)


def _shown(value: Any) -> Any:
    """A stored argument in the active language."""
    if not isinstance(value, dict):
        return value
    kind = value.get("_t")
    if kind == "msg":
        return render_message(value.get("msgid", ""), value.get("params"))
    if kind == "names":
        lang = translation.get_language() or settings.LANGUAGE_CODE
        return value.get("en") if lang.startswith("en") else value.get("zh")
    if kind == "datetime":
        parsed = parse_datetime(value.get("v", ""))
        return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M") if parsed else ""
    if kind == "date":
        return value.get("v", "")
    if kind == "later":
        try:
            return Later(value["path"], *value.get("args", [])).call()
        except Exception:  # the record is gone: the text as it was when the notice was made
            return value.get("text", "")
    return value


def render_message(msgid: str, params: dict[str, Any] | None) -> str:
    """``msgid`` translated into the active language, with its arguments filled in."""
    if not msgid:
        return ""
    text = gettext(msgid)
    shown = {k: _shown(v) for k, v in params.items()} if params else params
    try:
        return text % shown if shown else text
    except (KeyError, TypeError, ValueError):
        return msgid % shown if shown else msgid


def _split(text: Message) -> tuple[str, str, dict[str, Any]]:
    """(plain text in the company language, msgid, params)."""
    if not isinstance(text, Message):
        raise TypeError(
            "notify() takes a Message (msgid and arguments) so that each reader sees the "
            f"notice in their own language, not {type(text).__name__} {text!r}"
        )
    with translation.override(settings.LANGUAGE_CODE):
        return str(text), text.msgid, text.params


def reader_language(user: User) -> str:
    """The language a person reads notices in: their choice, else the company language."""
    return user.language or settings.LANGUAGE_CODE


def users_with_roles(*codes: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__code__in=codes).distinct()


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: Message,
    body: Message | None = None,
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Create one notification per recipient. With a dedupe_key, a recipient who already
    has that notice gets no second one (so periodic sweeps are idempotent). A title or body
    and body are `Message`s, shown (and e-mailed) in each reader's language."""
    title_text, title_msgid, title_params = _split(title)
    body_text, body_msgid, body_params = ("", "", {}) if body is None else _split(body)
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
                    title=title_text[:300],
                    body=body_text,
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
