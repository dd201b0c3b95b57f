"""The periodic overdue sweep of 8D work (R-5.5.7; deadlines.md "8D action items"): flags every
discipline, containment and action item whose deadline has passed, once, and tells its owner,
the 8D leader and Quality. Idempotent and safe to run from several workers at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from serviceloop.core.audit import audit_flag
from serviceloop.core.notifications import Message, choice_label

from ..models import (
    ActionItem,
    ActionStatus,
    Containment,
    Discipline,
    DisciplineStatus,
    EightDStatus,
)
from .common import notify_people, quality_people, report_url

# model -> (filter for "still owed", discipline of the link, label)
OWED: dict[Any, dict] = {
    Discipline: {"status": DisciplineStatus.OPEN, "due_at__isnull": False},
    Containment: {"done_at__isnull": True},
    ActionItem: {"status": ActionStatus.OPEN},
}


def _people(obj: models.Model) -> list:
    owner = getattr(obj, "owner", None)
    if owner is not None:
        return [owner]
    dept = getattr(obj, "department", None)
    return list(dept.members.filter(is_active=True)) if dept is not None else []


def _title(obj: models.Model) -> Message:
    number = obj.report.number  # type: ignore[attr-defined]
    what: Any
    if isinstance(obj, Discipline):
        what = choice_label(obj, "code")
    elif isinstance(obj, Containment):
        what = Message(
            gettext_noop("containment at %(where)s"), where=choice_label(obj, "location")
        )
    else:
        what = obj.description[:60]  # type: ignore[attr-defined]
    return Message(gettext_noop("Overdue in 8D %(r)s: %(w)s"), r=number, w=what)


def sweep_overdue(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts: dict[str, int] = {}
    quality = quality_people()
    for model, owed in OWED.items():
        name = model._meta.model_name or ""
        counts[name] = 0
        ids = list(
            model.objects.filter(**owed, due_at__lt=now, overdue_flagged_at__isnull=True)
            .exclude(report__status=EightDStatus.CLOSED)
            .values_list("pk", flat=True)
        )
        for pk in ids:
            with transaction.atomic():
                obj = model.objects.select_for_update().filter(pk=pk, **owed).first()
                if obj is None or obj.overdue_flagged_at is not None:  # type: ignore[attr-defined]
                    continue
                audit_flag(
                    obj,
                    "overdue_flagged_at",
                    now,
                    system="complaints.sweep_overdue",
                    reason="deadline passed",
                )
                report = obj.report  # type: ignore[attr-defined]
                code = str(getattr(obj, "code", None) or getattr(obj, "discipline", "d3"))
                due = obj.due_at.isoformat()  # type: ignore[attr-defined]
                people = [*_people(obj), report.leader]
                if isinstance(obj, ActionItem):
                    people += quality  # overdue action items are listed for Quality
                notify_people(
                    people,
                    kind="eightd_overdue",
                    title=_title(obj),
                    url=report_url(report, code),
                    key=f"eightd_overdue:{name}:{pk}:{due}",
                )
                counts[name] += 1
    return counts
