"""The lease of a background job row (imports, exports): whoever holds the job's current
`lease_token` may work on it and renews `heartbeat_at` while it does; the reaper queues
again a running job whose heartbeat is older than the lease.

A job model using it has `status`, `lease_token`, `heartbeat_at`, `started_at` and
`attempts`. `claim` takes a queued job (one UPDATE … WHERE status=queued, so two workers
never both win); `Lease.beat` renews it with progress fields and raises `LeaseLost` once
another worker has taken the job; `settle` is the worker's last word on it; `take_back` is
the reaper of every such model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from django.db import transaction
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


def settle(
    model: Any,
    pk: int,
    token: str,
    *,
    status: str,
    message: str,
    apply: Callable[[Any, datetime], object],
    reason: Callable[[Any], str],
    system: str,
    tell: Callable[[Any], object],
    lost: Callable[[], object] | None = None,
    running: str = "running",
) -> Any:
    """The worker's last word on a leased job: under the row lock, and only while this worker
    still holds the lease, set `status` and `message`, renew the heartbeat, let `apply(locked,
    now)` set the result fields, save, audit the transition and `tell(locked)` the people who
    asked. A lost lease calls `lost()` (drop what was made) and raises `LeaseLost`."""
    from .audit import AuditAction, audit_record

    now = timezone.now()
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=pk)
        if locked.lease_token != token or locked.status != running:
            if lost is not None:
                lost()
            raise LeaseLost(pk)
        locked.status, locked.message = status, message
        locked.heartbeat_at = now
        apply(locked, now)
        locked.save()
        audit_record(
            actor=None,
            action=AuditAction.TRANSITION,
            obj=locked,
            after={"status": status, "rows_done": locked.rows_done, "message": message},
            reason=reason(locked),
            system=system,
        )
        tell(locked)
    return locked


def take_back(
    model: Any,
    *,
    lease: timedelta,
    max_attempts: int,
    system: str,
    enqueue: Callable[[Any], object],
    gave_up: Callable[[Any], object],
    message: Callable[[int], str],
    related: Sequence[str] = (),
    now: datetime | None = None,
    statuses: tuple[str, str, str] = ("queued", "running", "failed"),
) -> list[tuple[int, bool]]:
    """The reaper of a leased job model: queue again the jobs whose worker stopped renewing
    its lease (killed, machine gone) and the queued jobs no worker picked up for a lease
    (their task was lost); after ``max_attempts`` mark them failed with ``message(attempts)``
    and call ``gave_up(job)`` (tell the owner). Each step is one UPDATE guarded by the lease
    token and audited, so several workers may reap at once. Answers (pk, gave up) of each
    job taken back."""
    from .audit import AuditAction, audit_record

    queued, running, failed = statuses
    now = now or timezone.now()
    taken_back: list[tuple[int, bool]] = []
    for pk, token, attempts, status in model.objects.filter(
        status__in=[running, queued], heartbeat_at__lt=now - lease
    ).values_list("pk", "lease_token", "attempts", "status"):
        give_up = attempts >= max_attempts
        with transaction.atomic():
            taken = model.objects.filter(pk=pk, status=status, lease_token=token).update(
                status=failed if give_up else queued,
                lease_token="",
                heartbeat_at=now,
                finished_at=now if give_up else None,
                message=message(attempts) if give_up else "",
            )
            if not taken:
                continue  # another reaper, or the worker itself, got there first
            job = model.objects.select_related(*related).get(pk=pk)
            audit_record(
                actor=None,
                action=AuditAction.TRANSITION,
                obj=job,
                after={"status": job.status, "attempts": attempts},
                reason="lease expired" if status == running else "task lost",
                system=system,
            )
            if give_up:
                gave_up(job)
            else:
                enqueue(job)
        taken_back.append((pk, give_up))
    return taken_back
