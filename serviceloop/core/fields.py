"""Model fields every app declares alike, declared once.

``user_ref`` is the "who did it" reference of a record (approved by, closed by, …): optional,
never deleted from under the record (PROTECT), no reverse accessor on User.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def user_ref(verbose_name: Any, **overrides: Any) -> models.ForeignKey:
    options: dict[str, Any] = {
        "verbose_name": verbose_name,
        "null": True,
        "blank": True,
        "on_delete": models.PROTECT,
        "related_name": "+",
    }
    options.update(overrides)
    return models.ForeignKey(settings.AUTH_USER_MODEL, **options)
