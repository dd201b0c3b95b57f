"""One import of an XLSX or CSV file, of any kind, run as a background job."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import number_field, optional_time, status_field, user_ref
from .base import DetailLink, TrackedModel


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # waiting for a worker: to check the file, or to store it
    RUNNING = "running", _("Running")  # a worker holds the lease and checks or stores
    CHECKED = "checked", _("Checked")  # checked, its valid rows kept; waits for confirmation
    DONE = "done", _("Done")  # stored — or nothing to store, the same file again (final)
    FAILED = "failed", _("Failed")  # refused (unreadable, over a limit, no valid row) (final)
    DISCARDED = "discarded", _("Discarded")  # dropped by the user, nothing stored (final)


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")  # any row error: nothing stored
    VALID_ROWS = "valid_rows", _("Valid rows only")  # rows with errors are left out


class ImportPhase(models.TextChoices):
    CHECK = "check", _("Checking")
    STORE = "store", _("Storing")


S = ImportStatus
# Allowed moves, and who makes them. Only core.importing.jobs and .services change status.
IMPORT_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.QUEUED, S.RUNNING): "a worker takes the lease",
    (S.RUNNING, S.CHECKED): "checked; waits for confirmation",
    (S.RUNNING, S.DONE): "stored",
    (S.RUNNING, S.FAILED): "refused, or gave up",
    (S.RUNNING, S.QUEUED): "the reaper: the lease expired",
    (S.QUEUED, S.FAILED): "the reaper: too many attempts",
    (S.CHECKED, S.QUEUED): "confirmed by the user",
    (S.CHECKED, S.DISCARDED): "discarded by the user",
}
FINAL = frozenset({S.DONE, S.FAILED, S.DISCARDED})


def _upload_path(instance: ImportJob, filename: str) -> str:
    from pathlib import PurePath
    from uuid import uuid4

    from django.utils import timezone

    return f"imports/{timezone.localdate():%Y/%m}/{uuid4().hex}{PurePath(filename).suffix.lower()}"


class ImportJob(DetailLink, TrackedModel):
    """The file as uploaded, where its check and store stand, and what came of them.

    The worker holding the job renews `heartbeat_at` while it works; a job whose heartbeat
    is older than the lease is taken back by the reaper and queued again (idempotent: the
    check starts over, the store resumes after the last committed chunk, `rows_done`)."""

    detail_view = "imports:detail"

    number = number_field()
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    mode = models.CharField(
        _("mode"), max_length=20, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    dry_run = models.BooleanField(_("check only"), default=False)  # stop at "checked"
    status = status_field(ImportStatus, ImportStatus.QUEUED)
    phase = models.CharField(
        _("step"), max_length=10, choices=ImportPhase.choices, default=ImportPhase.CHECK
    )
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, db_index=True)  # the same file twice stores once
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_done = models.PositiveIntegerField(_("rows stored"), default=0)  # the store's checkpoint
    rows_created = models.PositiveIntegerField(_("records added"), default=0)
    rows_updated = models.PositiveIntegerField(_("records updated"), default=0)
    rows_skipped = models.PositiveIntegerField(_("rows already on record"), default=0)
    progress = models.FloatField(default=0.0)  # of the current step, 0..1
    errors = models.JSONField(
        _("errors"), default=list, blank=True
    )  # [{row, column, message, value}]
    error_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # kind's tally, first/last number …
    preview = models.JSONField(default=list, blank=True)  # the first checked rows
    message = models.TextField(_("message"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    rows_file = models.CharField(max_length=100, blank=True)  # the checked rows (rowfile.py)
    lease_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = optional_time()
    started_at = optional_time()  # of the current step
    checked_at = optional_time(_("checked at"))
    finished_at = optional_time(_("finished at"))
    confirmed_by = user_ref(_("confirmed by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.number} {self.original_name}"

    @property
    def kind_label(self) -> str:
        from serviceloop.core.importing.kinds import get_kind

        kind = get_kind(self.kind)
        return str(kind.label) if kind is not None else self.kind

    @property
    def finished(self) -> bool:
        return self.status in FINAL
