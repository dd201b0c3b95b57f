"""Pages of a background export (core.export_jobs): its progress (htmx polling while it
runs) and its file, for the user who asked and administrators only."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from . import export_jobs
from .exports import XLSX_TYPE
from .files import file_response
from .models import ExportStatus
from .views_support import AuthedRequest

POLL_SECONDS = 2


def export_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = export_jobs.job_get(request.user, pk)
    ctx = {
        "job": job,
        "running": job.running,
        "poll": POLL_SECONDS,
        "percent": round(job.progress * 100),
        "ready": export_jobs.download_ready(job),
        "message": export_jobs.message_text(job),
        "expired": job.status == ExportStatus.EXPIRED
        or (job.expires_at is not None and job.expires_at <= timezone.now()),
    }
    template = "core/exports/_job.html" if request.htmx else "core/exports/detail.html"  # type: ignore[attr-defined]
    return render(request, template, ctx)


def export_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    job = export_jobs.job_get(request.user, pk)
    if not export_jobs.download_ready(job):
        raise Http404("export file")
    return file_response(job.file.open("rb"), job.filename, XLSX_TYPE)
