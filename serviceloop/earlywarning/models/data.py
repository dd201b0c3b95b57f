"""The input data of the signals of R-5.4.3 that no other app keeps.

* :class:`ProductionVolume` - units built (or shipped) per part number and build month: the
  units at risk behind claims per unit (signal (a)) and the survivors of the life-data fits
  (signal (d)).
* :class:`PurchaseVolume` - what each customer bought per month (signal (b)).
* :class:`SurveyResponse` - customer-satisfaction (c) and end-user (e) survey scores.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from serviceloop.core.fields import customer_ref, import_ref
from serviceloop.core.models import TrackedModel

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def validate_month(value: str) -> None:
    if not MONTH_RE.match(value or ""):
        raise ValidationError(_("Give the month as YYYY-MM, e.g. 2025-03."))


class ProductionVolume(TrackedModel):
    """Units of a part number built (or shipped) in a build month: the cohort size."""

    part_number = models.CharField(_("part number"), max_length=60)
    part_name = models.CharField(_("part name"), max_length=200, blank=True)
    build_month = models.CharField(_("build month"), max_length=7, validators=[validate_month])
    quantity = models.PositiveIntegerField(_("units built / shipped"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    import_batch = import_ref()

    class Meta:
        ordering = ["part_number", "build_month"]
        verbose_name = _("production volume")
        verbose_name_plural = _("production volumes")
        constraints = [
            models.UniqueConstraint(
                fields=["part_number", "build_month"], name="ew_production_unique_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.part_number} {self.build_month}: {self.quantity}"


class PurchaseVolume(TrackedModel):
    """What a customer bought in a month (R-5.4.3 (b))."""

    customer = customer_ref()
    month = models.CharField(_("month"), max_length=7, validators=[validate_month])
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    import_batch = import_ref()

    class Meta:
        ordering = ["customer__code", "month"]
        verbose_name = _("purchase volume")
        verbose_name_plural = _("purchase volumes")
        constraints = [
            models.UniqueConstraint(fields=["customer", "month"], name="ew_purchase_unique_month")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.month}: {self.quantity}"


class SurveyKind(models.TextChoices):
    CUSTOMER_SATISFACTION = "customer_satisfaction", _("Customer satisfaction")  # R-5.4.3 (c)
    END_USER = "end_user", _("End user")  # R-5.4.3 (e)


class SurveyResponse(TrackedModel):
    """One answered survey. Scores are kept on a 0-100 scale; a 1-5 answer is converted
    linearly (1 -> 0, 5 -> 100) and its raw value kept."""

    kind = models.CharField(_("survey"), max_length=30, choices=SurveyKind.choices)
    customer = customer_ref(optional=True)
    date = models.DateField(_("survey date"))
    score = models.DecimalField(
        _("score (0-100)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    raw_score = models.DecimalField(_("score as answered"), max_digits=6, decimal_places=2)
    scale = models.PositiveSmallIntegerField(
        _("scale"), choices=[(100, _("0-100")), (5, _("1-5"))], default=100
    )
    respondent = models.CharField(_("respondent"), max_length=100, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    import_batch = import_ref()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["kind", "customer", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}: {self.score}"
