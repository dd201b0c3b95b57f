"""Reads of the core: my work, notifications, audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry, Notification
from .my_work import PROVIDERS, WorkGroup, WorkItem, group, sort_key
from .permissions import require


def work_groups(user: Any, now: datetime | None = None) -> list[WorkGroup]:
    """What the user owes, by kind: the most urgent few of each (cut in SQL by the providers
    that use core.my_work.most_urgent), with the count of all and a link to the full list."""
    now = now or timezone.now()
    return group((entry for provider in PROVIDERS for entry in provider(user)), now)


def work_items(user: Any) -> list[WorkItem]:
    items = [item for g in work_groups(user) for item in g.items]
    return sorted(items, key=sort_key)


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def audit_trail(user: Any, *, object_type: str = "", object_id: str = "") -> QuerySet[AuditEntry]:
    require(user, "audit.view")
    qs = AuditEntry.objects.select_related("actor")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs


def record_history(object_type: str, object_id: Any) -> QuerySet[AuditEntry]:
    """The audit entries of one record and of its registered child rows (core.history), for
    its own page (visible to whoever sees the record)."""
    from .history import history_of

    return history_of(object_type, object_id)
