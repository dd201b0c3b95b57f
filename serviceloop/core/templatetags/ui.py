"""`{% load ui %}`: small display helpers every app's templates share.

- `{% if user|can:"complaint.edit" %}`: templates ask the one permission table
  (core.permissions.can), so a link the user may not follow is not shown.
- `{{ value|yes_no }}`: 是 / 否, and "—" for unknown (Django's `yesno` says "maybe", 也许).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from ..permissions import can as _can

register = template.Library()


@register.filter
def can(user: Any, action: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return _can(user, action)


@register.filter
def yes_no(value: Any) -> str:
    if value is None:
        return "—"
    return _("yes") if value else _("no")
