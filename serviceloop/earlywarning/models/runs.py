"""Analysis runs: one execution of every signal over the data as it stands (R-5.4.3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from serviceloop.core.fields import optional_time, status_field, user_ref
from serviceloop.core.models import DetailLink


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


class AnalysisRun(DetailLink, models.Model):
    detail_view = "earlywarning:run_detail"

    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    source = models.CharField(_("source"), max_length=100, blank=True)
    status = status_field(RunStatus, RunStatus.QUEUED)
    requested_by = user_ref(_("requested by"))
    queued_at = models.DateTimeField(_("queued at"))
    started_at = optional_time(_("started at"))
    finished_at = optional_time(_("finished at"))
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

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class EngineState(models.Model):
    """One row: when the schedule last looked for changed data. Its row lock also serialises
    the write phase of concurrent runs (alerts are upserted under it)."""

    last_checked_at = optional_time()

    def __str__(self) -> str:
        return f"engine state (checked {self.last_checked_at})"
