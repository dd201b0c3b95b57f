"""Runs of the backup job (issue 13): one row per backup written, scheduled or on request."""

from __future__ import annotations

from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import optional_time, status_field, user_ref


class BackupStatus(models.TextChoices):
    RUNNING = "running", _("running")  # being written
    OK = "ok", _("verified")  # written, and its checksums and database copy verified
    FAILED = "failed", _("failed")  # writing or verifying failed; `message` says why


class BackupRun(models.Model):
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = optional_time(_("finished"))
    path = models.CharField(_("path"), max_length=500, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    status = status_field(BackupStatus, BackupStatus.RUNNING, max_length=10)
    message = models.TextField(_("message"), blank=True)
    audit_entries = models.PositiveBigIntegerField(_("audit entries"), default=0)
    # The company-zone day of a scheduled run (unique: one scheduled backup a day, however
    # many workers sweep); null for a backup an administrator asked for.
    day = models.DateField(null=True, blank=True, unique=True)
    requested_by = user_ref(_("requested by"))

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("backup")

    def __str__(self) -> str:
        return f"backup {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def present(self) -> bool:
        """The folder is still there (rotation removes old ones)."""
        return bool(self.path) and Path(self.path).is_dir()
