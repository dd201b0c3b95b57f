"""Reactions to other apps: field data imported in bulk (warranty claims, ...) schedules an
analysis run once the import has committed (R-5.4.3)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from serviceloop.core.signals import field_data_imported


@receiver(field_data_imported, dispatch_uid="earlywarning_run_after_import")
def run_after_import(sender: Any, source: str = "", count: int = 0, **kwargs: Any) -> None:
    from .services.runs import on_data_imported

    transaction.on_commit(lambda: on_data_imported(str(source or sender), int(count or 0)))
