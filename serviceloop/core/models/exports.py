"""A large export run as a background job (issue 15): the request that asked for it, where
the worker stands, and the finished file until it expires."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..fields import number_field, optional_time, status_field
from .base import DetailLink, TrackedModel


class ExportStatus(models.TextChoices):
    # queued: waiting for a worker; running: a worker holds the lease and writes the file;
    # done: the file is there for its requester until expires_at; failed: the export
    # stopped or was given up; expired: the sweep removed the file. The last three are final.
    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("export", "Running")
    DONE = "done", pgettext_lazy("export", "Ready")
    FAILED = "failed", pgettext_lazy("export", "Failed")
    EXPIRED = "expired", pgettext_lazy("export", "Expired")


E = ExportStatus
# Allowed moves. Only core.export_jobs changes status.
EXPORT_TRANSITIONS: dict[tuple[str, str], str] = {
    (E.QUEUED, E.RUNNING): "a worker takes the lease",
    (E.RUNNING, E.DONE): "the file is written",
    (E.RUNNING, E.FAILED): "the export stopped",
    (E.RUNNING, E.QUEUED): "the reaper: the lease expired",
    (E.QUEUED, E.FAILED): "the reaper: too many attempts",
    (E.DONE, E.EXPIRED): "the sweep: the file's time is over",
}


def _export_path(instance: ExportJob, filename: str) -> str:
    from pathlib import PurePath
    from uuid import uuid4

    from django.utils import timezone

    return f"exports/{timezone.localdate():%Y/%m}/{uuid4().hex}{PurePath(filename).suffix.lower()}"


class ExportJob(DetailLink, TrackedModel):
    """One export: the list page (path and query) it was asked from, replayed by the worker
    as the user who asked, so the rows are exactly those that user may see at run time."""

    detail_view = "core:export_detail"

    number = number_field()
    path = models.CharField(_("page"), max_length=300)
    params = models.JSONField(default=dict, blank=True)  # the query string, {name: [values]}
    language = models.CharField(max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    status = status_field(ExportStatus, ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)  # as counted when asked
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    progress = models.FloatField(default=0.0)  # 0..1
    file = models.FileField(_("file"), upload_to=_export_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    message = models.TextField(_("message"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = optional_time()
    started_at = optional_time()
    finished_at = optional_time(_("finished at"))
    expires_at = optional_time(_("available until"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"]),
            models.Index(fields=["created_by", "status"]),
        ]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.number} {self.filename}"

    @property
    def running(self) -> bool:
        return self.status in (E.QUEUED, E.RUNNING)
