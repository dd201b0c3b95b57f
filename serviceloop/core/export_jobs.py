"""Large exports as background jobs (issue 15).

A list page's export (``?export=xlsx``) answers at once while it is small. When the list
holds more than ``SERVICELOOP_EXPORT_JOB_ROWS`` rows (5,000 by default), `xlsx_response`
hands it over instead: an `ExportJob` remembers the page and its query, the request
answers with the job's page (progress by htmx polling), and a worker replays the same
page as the same user, so the selector, the filters and the permission checks are those
of the page, applied at run time. The worker's `xlsx_response` writes into the job's file
(write-only workbook, rows read in chunks), renewing its lease with the rows written.

The job pattern is the imports' one (`core.leases`): a lease renewed by a heartbeat, a
reaper that queues again the jobs of dead workers, at most MAX_ATTEMPTS. The finished file
can be downloaded only by the user who asked (and administrators) until ``expires_at``
(``SERVICELOOP_EXPORT_KEEP_HOURS``, 24 by default); the periodic sweep removes it then.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import leases
from .audit import AuditAction, audit_create, audit_record
from .leases import LeaseLost
from .models import ExportJob, ExportStatus, User
from .numbering import next_number
from .roles import RoleCode as R

log = logging.getLogger(__name__)
S = ExportStatus
SYSTEM = "exports"
NUMBER_PREFIX = "EXP"
MAX_ATTEMPTS = 3
# Marks the worker's answer: the file went into the job, not into a response.
WRITTEN_STATUS = 204


def job_rows() -> int:
    """Above this many rows an export runs as a background job."""
    return int(getattr(settings, "SERVICELOOP_EXPORT_JOB_ROWS", 5000))


def keep() -> timedelta:
    return timedelta(hours=float(getattr(settings, "SERVICELOOP_EXPORT_KEEP_HOURS", 24)))


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "SERVICELOOP_EXPORT_LEASE_SECONDS", 120))


class Lease(leases.Lease):
    model = ExportJob
    running = S.RUNNING


# --- where an export is being made -----------------------------------------------------------

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "export_request", default=None
)
_sink: contextvars.ContextVar[Sink | None] = contextvars.ContextVar("export_sink", default=None)


class CurrentRequestMiddleware:
    """Lets `xlsx_response` see the page request it answers (to hand a large export over
    to a job) without every export view passing it along."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


class Sink:
    """The worker's end of `xlsx_response`: writes the sheet into the job's file."""

    def __init__(self, job: ExportJob, lease_: Lease) -> None:
        self.job, self.lease, self.written = job, lease_, False

    def rows(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        total = max(self.job.rows_total, 1)
        n = 0
        for n, row in enumerate(rows, start=1):  # noqa: B007 (n is the count after the loop)
            if n % 500 == 0:
                self.lease.beat(rows_done=n, progress=min(n / total, 0.99))
            yield row
        self.job.rows_done = n

    def save(self, filename: str, f: Any) -> HttpResponse:
        job = self.job
        job.filename = job.filename or filename
        job.file.save(filename, File(f), save=False)
        job.size = job.file.size
        self.written = True
        return HttpResponse(status=WRITTEN_STATUS)


def current_sink() -> Sink | None:
    return _sink.get()


def hand_over(
    filename: str, title: str, rows: Iterable[Sequence[Any]], total: int | None
) -> tuple[HttpResponse | None, Iterable[Sequence[Any]]]:
    """In a page request, a large export becomes a job: (the job page's answer, ()).
    Otherwise (None, the rows to write now). Without ``total`` the rows are read up to the
    threshold to decide (they are kept and written, not read twice)."""
    request = _request.get()
    user: Any = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return None, rows
    limit = job_rows()
    if total is None:
        total = getattr(request, "export_rows", None)  # counted by list_page
    if total is None:
        it = iter(rows)
        head = list(islice(it, limit + 1))
        if len(head) <= limit:
            return None, head
        close = getattr(it, "close", None)
        if close is not None:
            close()  # end the database cursor behind it
        total = None  # more than the limit; the worker counts exactly
    elif total <= limit:
        return None, rows
    job = export_create(actor=user, request=request, filename=filename, title=title, total=total)
    from django.shortcuts import redirect

    return redirect(job.get_absolute_url()), ()


# --- services --------------------------------------------------------------------------------


def export_create(
    *, actor: User, request: HttpRequest, filename: str, title: str, total: int | None
) -> ExportJob:
    """Queue the export of the page ``request`` asked for (its path and query, without the
    page number) for ``actor``."""
    params = {k: request.GET.getlist(k) for k in request.GET if k != "page"}
    job = ExportJob(
        path=request.path,
        params=params,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        title=str(title)[:200],
        filename=filename[:200],
        rows_total=total or job_rows() + 1,
        created_by=actor,
        heartbeat_at=timezone.now(),
    )
    with transaction.atomic():
        job.number = next_number(NUMBER_PREFIX)
        job.save()
        audit_create(actor=actor, obj=job)
        enqueue(job)
    return job


def enqueue(job: ExportJob) -> None:
    from .tasks import run_export_task

    pk = job.pk
    transaction.on_commit(lambda: run_export_task.enqueue(pk))


def may_see(user: Any, job: ExportJob) -> bool:
    """The export's page and file are for the user who asked, and for administrators."""
    from .permissions import role_codes

    return job.created_by_id == getattr(user, "pk", None) or R.ADMIN in role_codes(user)


def job_list(user: Any) -> Any:
    return ExportJob.objects.filter(created_by=user)


def job_get(user: Any, pk: int) -> ExportJob:
    job = ExportJob.objects.select_related("created_by").filter(pk=pk).first()
    if job is None or not may_see(user, job):
        raise Http404("export")
    return job


def download_ready(job: ExportJob, now: Any = None) -> bool:
    now = now or timezone.now()
    return (
        job.status == S.DONE and bool(job.file) and (job.expires_at is None or job.expires_at > now)
    )


# --- the worker ------------------------------------------------------------------------------


def run(pk: int) -> str:
    """Claim a queued export and write its file; returns its status."""
    token = leases.claim(ExportJob, pk, queued=S.QUEUED, running=S.RUNNING)
    if not token:
        return "not queued"
    job = ExportJob.objects.select_related("created_by").get(pk=pk)
    sink = Sink(job, Lease(pk, token))
    started, cpu = time.perf_counter(), time.process_time()
    try:
        response = _replay(job, sink)
        if not sink.written:
            status = getattr(response, "status_code", "?")
            raise RuntimeError(f"the page answered {status} without an export")
    except LeaseLost:
        log.warning("export %s: lease lost, another worker has it", job.number)
        _drop_file(job)
        return "lease lost"
    except (PermissionDenied, Http404):
        _drop_file(job)
        _finish(job, token, S.FAILED, gettext_noop("You may no longer export this list."))
        return S.FAILED
    except Exception:
        log.exception("export %s failed", job.number)
        _drop_file(job)
        _finish(job, token, S.FAILED, gettext_noop("The export stopped on an unexpected error."))
        raise
    log.info(
        "export %s: %s rows in %.1f s, %.1f s CPU",
        job.number,
        job.rows_done,
        time.perf_counter() - started,
        time.process_time() - cpu,
    )
    _finish(job, token, S.DONE, "")
    return S.DONE


@contextmanager
def _as_sink(sink: Sink) -> Iterator[None]:
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


def _replay(job: ExportJob, sink: Sink) -> Any:
    """The page the export was asked from, asked again as its user, answered into the job."""
    from django_htmx.middleware import HtmxDetails

    if job.created_by is None:
        raise PermissionDenied("an export without its requester")
    request = RequestFactory().get(job.path, data=job.params)
    request.user = job.created_by
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    language = job.language or settings.LANGUAGE_CODE
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    match = resolve(job.path)
    with translation.override(language), _as_sink(sink):
        return match.func(request, *match.args, **match.kwargs)


def _drop_file(job: ExportJob) -> None:
    if job.file:
        job.file.delete(save=False)


def _finish(job: ExportJob, token: str, status: str, message: str) -> None:
    def apply(locked: ExportJob, now: Any) -> None:
        locked.finished_at = now
        if status == S.DONE:
            locked.file, locked.size = job.file.name, job.size
            locked.filename = job.filename
            locked.rows_done = locked.rows_total = job.rows_done
            locked.progress = 1.0
            locked.expires_at = now + keep()

    leases.settle(
        ExportJob,
        job.pk,
        token,
        status=status,
        message=message,
        apply=apply,
        reason=lambda locked: f"export of {locked.path}",
        system=SYSTEM,
        tell=_tell,
        lost=lambda: _drop_file(job),
    )
    job.status, job.message = status, message


def _tell(job: ExportJob) -> None:
    from .notifications import Message, notify

    if job.created_by is None:
        return
    if job.status == S.DONE:
        title = Message(
            gettext_noop("Export %(number)s is ready: %(n)s rows (%(file)s)."),
            number=job.number,
            n=job.rows_done,
            file=job.filename,
        )
    else:
        title = Message(gettext_noop("Export %(number)s failed."), number=job.number)
    notify(
        [job.created_by],
        kind=f"export.{job.status}",
        title=title,
        body=Message(job.message) if job.message else None,
        url=job.get_absolute_url(),
        dedupe_key=f"export:{job.pk}:{job.status}:{job.attempts}",
    )


def message_text(job: ExportJob) -> str:
    """The job's message in the reader's language (stored as its msgid)."""
    return _(job.message) if job.message else ""


# --- the sweep -------------------------------------------------------------------------------


def reap(now: Any = None) -> int:
    """Queue again the exports whose worker stopped renewing its lease, and the queued ones
    no worker picked up; give up after MAX_ATTEMPTS (``core.leases.take_back``). Safe from
    several workers at once."""
    return len(
        leases.take_back(
            ExportJob,
            lease=lease(),
            max_attempts=MAX_ATTEMPTS,
            system=SYSTEM,
            enqueue=enqueue,
            gave_up=_tell,
            message=lambda n: gettext_noop("The export was given up after several attempts."),
            related=("created_by",),
            now=now,
        )
    )


def expire(now: Any = None) -> int:
    """Remove the files whose time is over (idempotent)."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(status=S.DONE, expires_at__lte=now):
        with transaction.atomic():
            if not ExportJob.objects.filter(pk=job.pk, status=S.DONE).update(
                status=S.EXPIRED, heartbeat_at=now
            ):
                continue
            audit_record(
                actor=None,
                action=AuditAction.TRANSITION,
                obj=job,
                after={"status": S.EXPIRED},
                reason="the file's time is over",
                system=SYSTEM,
            )
        _drop_file(job)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count


def sweep(now: Any = None) -> int:
    return reap(now) + expire(now)


# --- "my work" -------------------------------------------------------------------------------


def export_work(user: Any) -> Iterator[Any]:
    """The user's exports being made and those ready to download (the newest few)."""
    from .my_work import WorkItem

    now = timezone.now()
    shown = (
        ExportJob.objects.filter(created_by=user)
        .filter(
            models.Q(status__in=[S.QUEUED, S.RUNNING]) | models.Q(status=S.DONE, expires_at__gt=now)
        )
        .order_by("-created_at", "-id")[:5]
    )
    for job in shown:
        if job.status == S.DONE:
            title = _("Export %(number)s is ready to download (%(file)s)") % {
                "number": job.number,
                "file": job.filename,
            }
            detail = _("Available until %(at)s.") % {
                "at": timezone.localtime(job.expires_at).strftime("%Y-%m-%d %H:%M")
            }
        else:
            title = _("Export %(number)s is being made (%(file)s)") % {
                "number": job.number,
                "file": job.filename,
            }
            detail = _("%(percent)s %% done.") % {"percent": round(job.progress * 100)}
        yield WorkItem(
            kind="export.ready", title=title, url=job.get_absolute_url(), due_at=None, detail=detail
        )
