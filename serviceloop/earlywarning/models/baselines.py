"""A claim-rate baseline the user gives per part and month in service (issue 14).

The production-time monitor judges a build month against earlier build months; where a part
has a given baseline at a MIS (an engineering target, or the rate of the previous product
generation) that rate is used instead, so the part is judged from its first build month.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import DetailLink, TrackedModel


class ClaimBaseline(DetailLink, TrackedModel):
    """Warranty claims per unit at risk expected at one month in service of a part."""

    detail_view = "earlywarning:baseline_edit"

    part_number = models.CharField(_("part number"), max_length=60)
    mis = models.PositiveSmallIntegerField(
        _("month in service"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    rate_per_unit = models.FloatField(
        _("claims per unit at risk"), validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where the rate comes from: engineering target, previous generation …"),
    )

    class Meta:
        ordering = ["part_number", "mis"]
        verbose_name = _("claim baseline")
        verbose_name_plural = _("claim baselines")
        constraints = [
            models.UniqueConstraint(fields=["part_number", "mis"], name="ew_baseline_unique_mis")
        ]

    def __str__(self) -> str:
        return f"{self.part_number} MIS {self.mis}: {self.rate_per_unit:g}"

    @property
    def per_thousand(self) -> float:
        """The rate as claims per 1,000 units at risk, as people say it."""
        return self.rate_per_unit * 1000.0
