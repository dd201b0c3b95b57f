"""A record's history as an auditor reads it (issue 10 §3).

Every audit entry becomes one line in the reader's language: who (a user by full name, a job by
its human label: "系统: 逾期检查"), what they did to which record, and each changed field by its
label with its value as the UI shows it — choice labels, people by name, related records by
their number with a link, times in local time, lists as readable rows. Fixed reasons written by
the code are translated. Child records (8D actions, containment rows, routings, department
replies) are part of their parent's history.

Three registries, filled by the apps in their AppConfig.ready:
- `register_system_actor(code, label)`: the label of a job that writes audit entries;
- `register_children(parent, child, fk)`: child rows shown in the parent's history;
- `register_link(model, url_name)`: the page of a record, where it has no get_absolute_url.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models.audit import AuditAction, AuditEntry

OVERDUE_CHECK = gettext_lazy("overdue check")
SYSTEM_ACTORS: dict[str, str | Promise] = {
    "sweep_overdue": OVERDUE_CHECK,
    "complaints.sweep_overdue": OVERDUE_CHECK,
    "ew_sweep_overdue": OVERDUE_CHECK,
    "fieldservice_sweep": OVERDUE_CHECK,
    "major_quality_problem": gettext_lazy("major quality problem"),
    "user_created": gettext_lazy("user set-up"),
    "analysis_run": gettext_lazy("early-warning analysis"),
    "import": gettext_lazy("import"),
    "demo": gettext_lazy("demo data"),
    "unknown": gettext_lazy("unknown job"),
}

# Reasons the code itself writes (fixed English strings), translated when read.
FIXED_REASONS: dict[str, str | Promise] = {
    "answer deadline passed": gettext_lazy("the 24-hour answer deadline passed"),
    "feedback deadline passed": gettext_lazy("the one-week feedback deadline passed"),
    "deadline passed": gettext_lazy("the deadline passed"),
    "report deadline passed": gettext_lazy("the report deadline passed"),
    "customer notification deadline passed": gettext_lazy(
        "the customer notification deadline passed"
    ),
    "escalation due date passed": gettext_lazy("the escalation due date passed"),
    "weekly feedback missing": gettext_lazy("the weekly feedback is missing"),
    "new 8D leader": gettext_lazy("new 8D leader"),
    "evidence refreshed from the alert": gettext_lazy("evidence refreshed from the alert"),
    "admin": gettext_lazy("changed in the administration pages"),
}
_PATTERN_REASONS: list[tuple[re.Pattern[str], str | Promise]] = [
    (re.compile(r"^run #(?P<n>\d+)$"), gettext_lazy("analysis run #%(n)s")),
]

# Field labels for bookkeeping columns that carry no verbose_name of their own.
GENERIC_LABELS: dict[str, str | Promise] = {
    "overdue_flagged_at": gettext_lazy("flagged overdue at"),
    "answer_overdue_flagged_at": gettext_lazy("answer flagged overdue at"),
    "feedback_overdue_flagged_at": gettext_lazy("feedback flagged overdue at"),
    "completed_by": gettext_lazy("completed by"),
    "created_by": gettext_lazy("created by"),
    "routed_by": gettext_lazy("routed by"),
    "responded_by": gettext_lazy("responded by"),
}
HIDDEN_FIELDS = {"id", "updated_at", "created_at"}

CHILDREN: dict[str, list[tuple[str, str]]] = {}
LINKS: dict[str, str] = {}


def register_system_actor(code: str, label: str | Promise) -> None:
    SYSTEM_ACTORS[code] = label


def register_children(parent: str, child: str, fk: str) -> None:
    """Audit entries of `child` rows whose `fk` points at a `parent` record belong to the
    parent's history (model labels as "app_label.modelname")."""
    rows = CHILDREN.setdefault(parent.lower(), [])
    if (child.lower(), fk) not in rows:
        rows.append((child.lower(), fk))


def register_link(model: str, url_name: str) -> None:
    LINKS[model.lower()] = url_name


def history_of(object_type: str, object_id: Any) -> QuerySet[AuditEntry]:
    """The audit entries of one record and of its registered children, in order."""
    q = Q(object_type=object_type, object_id=str(object_id))
    for child, fk in CHILDREN.get(object_type.lower(), []):
        try:
            model = apps.get_model(child)
        except LookupError:
            continue
        ids = [
            str(pk)
            for pk in model._default_manager.filter(**{fk: object_id}).values_list("pk", flat=True)
        ]
        if ids:
            q |= Q(object_type=child, object_id__in=ids)
    return AuditEntry.objects.filter(q).select_related("actor").order_by("seq")


def system_label(code: str) -> str:
    label = SYSTEM_ACTORS.get(code) or SYSTEM_ACTORS.get(code.rsplit(".", 1)[-1])
    return _("System: %(job)s") % {"job": label if label is not None else code}


def actor_text(entry: AuditEntry) -> str:
    if entry.actor_id is not None and entry.actor is not None:
        return person(entry.actor)
    label = entry.actor_label or ""
    if label.startswith("system:"):
        return system_label(label[len("system:") :])
    return label


def person(user: Any) -> str:
    from .people import display_name

    return display_name(user)


def reason_text(reason: str) -> str:
    if not reason:
        return ""
    fixed = FIXED_REASONS.get(reason)
    if fixed is not None:
        return str(fixed)
    for pattern, text in _PATTERN_REASONS:
        m = pattern.match(reason)
        if m:
            return str(text) % m.groupdict()
    return reason


@dataclass
class Change:
    label: str
    old: SafeString | str | None
    new: SafeString | str


@dataclass
class HistoryLine:
    at: Any
    actor: str
    verb: str
    subject: SafeString | str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    system: bool = False
    entry: AuditEntry | None = None


class _Reader:
    """Formats values, caching the related records it looks up."""

    def __init__(self) -> None:
        self.cache: dict[tuple[type[models.Model], Any], models.Model | None] = {}

    def related(self, model: type[models.Model], pk: Any) -> models.Model | None:
        key = (model, pk)
        if key not in self.cache:
            self.cache[key] = model._default_manager.filter(pk=pk).first()
        return self.cache[key]

    def link(self, obj: models.Model) -> SafeString | str:
        user_model = apps.get_model("core", "User")
        if isinstance(obj, user_model):
            return person(obj)
        text = str(getattr(obj, "number", "") or obj)
        url = url_of(obj)
        return format_html('<a href="{}">{}</a>', url, text) if url else text

    def value(self, model: type[models.Model] | None, key: str, value: Any) -> SafeString | str:
        if value is None or value == "" or value == []:
            return "—"
        f = _field(model, key)
        if f is not None:
            if f.choices and not isinstance(value, list | dict):
                return str(dict(f.flatchoices).get(value, value))
            if isinstance(f, models.ForeignKey | models.OneToOneField):
                obj = self.related(f.related_model, value)  # type: ignore[arg-type]
                return self.link(obj) if obj is not None else _("(deleted #%s)") % value
            if isinstance(f, models.ManyToManyField) and isinstance(value, list):
                objs = [self.related(f.related_model, pk) for pk in value]  # type: ignore[arg-type]
                return format_html_join("、", "{}", ((self.link(o),) for o in objs if o))
        text = plain(value)
        if not isinstance(text, SafeString) and len(text) > MAX_VALUE:
            return text[: MAX_VALUE - 1] + "…"
        return text


MAX_VALUE = 120


def plain(value: Any) -> SafeString | str:
    """A stored JSON value as the UI would show it."""
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, str):
        if len(value) >= 19 and value[4:5] == "-" and "T" in value:
            parsed = parse_datetime(value)
            if parsed is not None:
                return timezone.localtime(parsed).strftime("%Y-%m-%d %H:%M")
        if len(value) == 10 and value[4:5] == "-" and parse_date(value) is not None:
            return value
        return value
    if isinstance(value, list):
        if value and all(isinstance(v, list) for v in value):
            return "; ".join(" · ".join(str(plain(x)) for x in row) for row in value)
        if value and all(isinstance(v, dict) for v in value):
            return "; ".join(str(plain(v)) for v in value)
        return "、".join(str(plain(v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {plain(v)}" for k, v in value.items())
    return str(value)


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    for name in (key, key[:-3] if key.endswith("_id") else None):
        if not name:
            continue
        try:
            f = model._meta.get_field(name)
        except Exception:
            continue
        if isinstance(f, models.Field):
            return f
    return None


def _points_at(model: type[models.Model] | None, key: str, main: str) -> bool:
    """A child row's link to the record whose history it is shown in (said by the subject)."""
    f = _field(model, key)
    return (
        bool(main)
        and isinstance(f, models.ForeignKey)
        and f.related_model._meta.label_lower == main  # type: ignore[union-attr]
    )


def label_of(model: type[models.Model] | None, key: str) -> str:
    """A field's label: its verbose_name where the model gives one; for a bookkeeping column
    without one, a generic label, the related model's name, or the words translated."""
    f = _field(model, key)
    name = key[:-3] if key.endswith("_id") else key
    if name in GENERIC_LABELS:
        return str(GENERIC_LABELS[name])
    if f is not None and isinstance(f.verbose_name, Promise):
        return str(f.verbose_name)
    if isinstance(f, models.ForeignKey | models.OneToOneField):
        return str(f.related_model._meta.verbose_name)  # type: ignore[union-attr]
    return _(name.replace("_", " "))


def url_of(obj: models.Model) -> str:
    get = getattr(obj, "get_absolute_url", None)
    if callable(get):
        try:
            return str(get())
        except NoReverseMatch:
            return ""
    name = LINKS.get(obj._meta.label_lower)
    if name:
        try:
            return reverse(name, args=[obj.pk])
        except NoReverseMatch:
            return ""
    return ""


VERBS = {
    AuditAction.CREATE: gettext_lazy("created"),
    AuditAction.UPDATE: gettext_lazy("changed"),
    AuditAction.DELETE: gettext_lazy("deleted"),
    AuditAction.TRANSITION: gettext_lazy("moved on"),
    AuditAction.EVENT: gettext_lazy("recorded"),
}


def readable(entries: Iterable[AuditEntry], *, main: str = "") -> list[HistoryLine]:
    """The lines of a history; `main` is the object type of the record whose page shows it
    (its own entries need no subject)."""
    reader = _Reader()
    lines = []
    for e in entries:
        try:
            model: type[models.Model] | None = apps.get_model(e.object_type)
        except (LookupError, ValueError):
            model = None
        subject: SafeString | str = ""
        if e.object_type != main and model is not None:
            subject = format_html(
                "{} {}", str(model._meta.verbose_name), e.object_repr or f"#{e.object_id}"
            )
        after = e.after or {}
        before = e.before or {}
        changes = []
        show = e.action != AuditAction.CREATE or e.object_type != main or not main
        if show:
            for key, value in after.items():
                if key in HIDDEN_FIELDS or key.endswith("_hash") or _points_at(model, key, main):
                    continue
                if e.action == AuditAction.CREATE and (value is None or value == "" or value == []):
                    continue
                old = reader.value(model, key, before[key]) if key in before else None
                changes.append(Change(label_of(model, key), old, reader.value(model, key, value)))
        lines.append(
            HistoryLine(
                at=e.at,
                actor=actor_text(e),
                verb=str(VERBS.get(e.action, e.get_action_display())),  # type: ignore[call-overload]
                subject=subject,
                changes=changes,
                reason=reason_text(e.reason),
                system=e.actor_id is None,
                entry=e,
            )
        )
    return lines
