"""The stored analysis of one part (issue 15): what the part dashboard and the API show,
computed by the analysis run (or a "recompute" job) and read back, not refitted per view."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from serviceloop.core.fields import optional_ref, optional_time, user_ref

from .runs import AnalysisRun


class PartDashboard(models.Model):
    part_number = models.CharField(_("part number"), max_length=60, unique=True)
    as_of = models.DateField(_("data as of"))
    computed_at = models.DateTimeField(_("computed at"))
    run = optional_ref(AnalysisRun, _("analysis run"), on_delete=models.SET_NULL)
    engine_version = models.CharField(max_length=20)
    # heat table, Pareto, Weibull fits and chart data, clock, dispersion: see services.dashboards
    data = models.JSONField(default=dict)
    recompute_requested_at = optional_time(editable=False)
    recompute_requested_by = user_ref(None, editable=False)

    class Meta:
        ordering = ["part_number"]
        verbose_name = _("stored part analysis")
        verbose_name_plural = _("stored part analyses")

    def __str__(self) -> str:
        return f"{self.part_number} @ {self.computed_at:%Y-%m-%d %H:%M}"
