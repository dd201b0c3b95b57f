"""Analysis runs: one execution of every signal over the data as it stands (R-5.4.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    IMPORT = "import", _("Data import")
    MANUAL = "manual", _("Run now")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # waiting for the job worker
    RUNNING = "running", _("Running")  # the worker is computing the signals
    SUCCEEDED = (
        "succeeded",
        _("Finished"),
    )  # alerts are up to date (errors of single signals listed)
    FAILED = (
        "failed",
        _("Stopped by an error"),
    )  # stopped by an unexpected error; alerts left as they were


RUN_TRANSITIONS: dict[tuple[str, str], str] = {
    (RunStatus.QUEUED, RunStatus.RUNNING): "start",
    (RunStatus.RUNNING, RunStatus.SUCCEEDED): "finish",
    (RunStatus.RUNNING, RunStatus.FAILED): "fail",
    (RunStatus.QUEUED, RunStatus.FAILED): "fail",
}


class AnalysisRun(models.Model):
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    source = models.CharField(_("source"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    queued_at = models.DateTimeField(_("queued at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    as_of = models.DateField(_("data as of"), null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_trigger_display()} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("earlywarning:run_detail", args=[self.pk])

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class EngineState(models.Model):
    """One row: when the schedule last looked for changed data. Its row lock also serialises
    the write phase of concurrent runs (alerts are upserted under it)."""

    last_checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"engine state (checked {self.last_checked_at})"
