""" "My work": what each user owes, gathered from every app.

Apps register a provider (a function user -> iterable of WorkItem) in their AppConfig.ready,
so that the page and the API grow with the product without core knowing the apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    kind: str  # e.g. "communication.answer"
    title: str
    url: str
    due_at: datetime | None
    detail: str = ""

    def overdue(self, now: datetime) -> bool:
        return self.due_at is not None and now > self.due_at

    def seconds_left(self, now: datetime) -> int | None:
        return None if self.due_at is None else int((self.due_at - now).total_seconds())

    def as_dict(self, now: datetime | None = None) -> dict[str, Any]:
        now = now or timezone.now()
        return {
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "due_at": self.due_at,
            "overdue": self.overdue(now),
            "seconds_left": self.seconds_left(now),
            "detail": self.detail,
        }


Provider = Callable[[Any], Iterable[WorkItem]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def sort_key(item: WorkItem) -> tuple[int, float]:
    """Overdue first (most overdue at the top), then by time left; undated last."""
    if item.due_at is None:
        return (1, 0.0)
    return (0, item.due_at.timestamp())
