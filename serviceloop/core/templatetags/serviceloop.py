from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _span(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins}
    return _("%(m)d min") % {"m": mins}


def as_moment(value: object, *, end_of_day: bool = False) -> datetime | None:
    """A template value as an aware datetime: a date counts from its start (or end), anything
    that is not a time (None, "" from a missing variable) is None."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        moment = datetime.combine(value, time.max if end_of_day else time.min)
        return timezone.make_aware(moment)
    return None


@register.simple_tag
def time_left(due: object, done: object = None):
    """A badge: time left, overdue by, done on time / late. A date as due means its end of day;
    a date as done its start; a blank or None as done means not done."""
    due = as_moment(due, end_of_day=True)
    if due is None:
        return ""
    done = as_moment(done)
    if done is not None:
        if done <= due:
            return format_html('<span class="badge ok">{}</span>', _("on time"))
        return format_html(
            '<span class="badge late">{}</span>', _("late by %s") % _span(done - due)
        )
    delta = due - timezone.now()
    if delta.total_seconds() < 0:
        return format_html(
            '<span class="badge overdue">{}</span>', _("overdue by %s") % _span(delta)
        )
    cls = "soon" if delta < timedelta(hours=4) else "open"
    return format_html('<span class="badge {}">{}</span>', cls, _("%s left") % _span(delta))


@register.filter
def seconds_badge(seconds: int | None):
    if seconds is None:
        return ""
    return time_left(timezone.now() + timedelta(seconds=seconds))


@register.simple_tag(takes_context=True)
def qs_with(context, **kwargs) -> str:
    params = context["request"].GET.copy()
    for k, v in kwargs.items():
        params[k] = v
    return params.urlencode()


HIDDEN_AUDIT_FIELDS = {"updated_at", "id"}


@register.filter
def audit_changes(entry) -> list[tuple[str, str]]:
    """An audit entry's changed fields as (label, value) pairs in the user's language."""
    from django.apps import apps
    from django.utils.dateparse import parse_datetime

    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        model = None
    pairs = []
    for key, value in (entry.after or {}).items():
        if key in HIDDEN_AUDIT_FIELDS:
            continue
        label = key
        if model is not None:
            name = key[:-3] if key.endswith("_id") else key
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:
                label = key
        if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
            parsed = parse_datetime(value)
            if parsed is not None:
                value = timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M")
        if value is None or value == "":
            value = "—"
        elif value is True:
            value = _("yes")
        elif value is False:
            value = _("no")
        pairs.append((label, str(value)))
    return pairs


@register.simple_tag
def stated_time(obj, clock: str, flagged=None):
    """A clock's stated time; a late entry (补录) also shows when it was entered and why, and a
    deadline the sweep had flagged overdue before the entry shows that it was flagged and when:
    `{% stated_time comm "answered" flagged=comm.answer_overdue_flagged_at %}`."""
    from serviceloop.core.late_entry import stated_time as read

    st = read(obj, clock, flagged_at=as_moment(flagged))
    if st.at is None:
        return "—"
    fmt = "%Y-%m-%d %H:%M"
    html = format_html("{}", timezone.localtime(st.at).strftime(fmt))
    if st.late_entry and st.entered_at is not None:
        html = format_html(
            '{} <span class="badge warn" title="{}">{}</span> <span class="muted">{}</span>',
            html,
            st.reason,
            _("late entry"),
            _("entered %(at)s; reason: %(reason)s")
            % {"at": timezone.localtime(st.entered_at).strftime(fmt), "reason": st.reason},
        )
    if st.flagged_at is not None:
        html = format_html(
            '{} <span class="badge overdue">{}</span>',
            html,
            _("flagged overdue at %(at)s")
            % {"at": timezone.localtime(st.flagged_at).strftime(fmt)},
        )
    return html


@register.simple_tag
def history_lines(entries, main=None):
    """Audit entries as readable lines (core.history) in the reader's language; `main` is the
    record type the page is about (default: the type of the first entry)."""
    from serviceloop.core.history import readable

    entries = list(entries or [])
    if main is None:
        main = entries[0].object_type if entries else ""
    return readable(entries, main=main)


@register.filter
def person(user: Any) -> str:
    """A person's name as the reader expects it ({{ comm.answered_by|person }})."""
    from serviceloop.core.people import display_name

    return display_name(user) or "—"


@register.filter
def may(user: Any, action: str) -> bool:
    """Whether the permission table lets ``user`` do ``action``: links and buttons a user may
    not follow are not shown ({% if request.user|may:"comm.create" %}…{% endif %})."""
    from serviceloop.core.permissions import ACTIONS, can

    if action not in ACTIONS:
        raise template.TemplateSyntaxError(f"unknown action {action!r}")
    return bool(user) and can(user, action)
