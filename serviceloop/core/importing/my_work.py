""" "My work": the user's checked imports that wait for a confirmation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from serviceloop.core.models import ImportJob, ImportStatus
from serviceloop.core.my_work import WorkItem


def import_work(user: Any) -> Iterable[WorkItem]:
    for job in ImportJob.objects.filter(created_by=user, status=ImportStatus.CHECKED)[:20]:
        yield WorkItem(
            kind="import.confirm",
            title=_("Confirm or discard import %(number)s (%(file)s)")
            % {"number": job.number, "file": job.original_name},
            url=job.get_absolute_url(),
            due_at=None,
            detail=job.message,
        )
