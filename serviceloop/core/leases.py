"""The lease of a background job row (imports, exports): whoever holds the job's current
`lease_token` may work on it and renews `heartbeat_at` while it does; the reaper queues
again a running job whose heartbeat is older than the lease.

A job model using it has `status`, `lease_token`, `heartbeat_at`, `started_at` and
`attempts`. `claim` takes a queued job (one UPDATE … WHERE status=queued, so two workers
never both win); `Lease.beat` renews it with progress fields and raises `LeaseLost` once
another worker has taken the job.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

from django.db.models import F
from django.utils import timezone

HEARTBEAT_SECONDS = 2.0


class LeaseLost(Exception):
    """Another worker has taken the job (this one was presumed dead)."""


class Lease:
    model: Any = None
    running = "running"

    def __init__(self, pk: int, token: str, model: Any = None):
        self.pk, self.token, self.last = pk, token, 0.0
        if model is not None:
            self.model = model

    def beat(self, force: bool = False, **fields: Any) -> None:
        """Renew the heartbeat (with progress fields), at most every HEARTBEAT_SECONDS."""
        now = time.monotonic()
        if not force and now - self.last < HEARTBEAT_SECONDS:
            return
        self.last = now
        renewed = self.model.objects.filter(
            pk=self.pk, lease_token=self.token, status=self.running
        ).update(heartbeat_at=timezone.now(), **fields)
        if not renewed:
            raise LeaseLost(self.pk)


def claim(model: Any, pk: int, *, queued: str = "queued", running: str = "running") -> str:
    """Take a queued job for this worker: its new lease token, or "" if it was not queued."""
    token = uuid4().hex
    now = timezone.now()
    claimed = model.objects.filter(pk=pk, status=queued).update(
        status=running,
        lease_token=token,
        heartbeat_at=now,
        started_at=now,
        attempts=F("attempts") + 1,
    )
    return token if claimed else ""
