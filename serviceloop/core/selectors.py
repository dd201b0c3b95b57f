"""Reads of the core: my work, notifications, audit trail."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditEntry, Notification
from .my_work import PROVIDERS, WorkItem, sort_key
from .permissions import require


def work_items(user: Any) -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in PROVIDERS:
        items.extend(provider(user))
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
