"""The main menu. Apps add their entries in AppConfig.ready; the menu shows an entry only to
users whose roles allow its action (core.permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: Any  # a lazy translation
    action: str | None
    order: int


ENTRIES: list[NavEntry] = []


def register(url_name: str, label: Any, action: str | None, order: int) -> None:
    if any(e.url_name == url_name for e in ENTRIES):
        return
    ENTRIES.append(NavEntry(url_name, label, action, order))
    ENTRIES.sort(key=lambda e: e.order)
