"""Service records (服务记录, R-5.9.4): what the service engineer found and did, case by case,
and the handling decision once a fault is confirmed as our quality problem (R-5.3.4.2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core import fields
from serviceloop.core.models import DetailLink, TrackedModel


class FailureMode(models.TextChoices):
    LEAK = "leak", _("Oil leak")
    NOISE = "noise", _("Abnormal noise")
    FRACTURE = "fracture", _("Fracture")
    NO_DAMPING = "no_damping", _("Loss of damping")
    WEAR = "wear", _("Wear")
    DEFORMATION = "deformation", _("Deformation")
    CORROSION = "corrosion", _("Corrosion")
    LOOSE = "loose", _("Loosening")
    APPEARANCE = "appearance", _("Appearance defect")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    REPAIRED = "repaired", _("Repaired")
    REPLACED = "replaced", _("Replaced")
    RETURNED = "returned", _("Returned for repair")
    ADJUSTED = "adjusted", _("Adjusted / advised")
    PENDING = "pending", pgettext_lazy("service outcome", "Pending")
    NOT_OURS = "not_ours", _("Not our quality problem")


class Source(models.TextChoices):
    FORM = "form", _("Form")
    QUICK = "quick", _("Phone form")
    IMPORT = "import", _("Import")
    API = "api", _("API")


class ServiceRecord(DetailLink, TrackedModel):
    detail_view = "fieldservice:record_detail"

    number = fields.number_field()
    engineer = fields.required_user_ref(_("service person"), related_name="fieldservice_records")
    customer = fields.customer_ref()
    service_date = models.DateField(_("date"))
    week_start = models.DateField(_("week"), editable=False, db_index=True)
    oem = models.CharField(
        _("OEM (vehicle maker)"),
        max_length=200,
        blank=True,
        help_text=_("配套厂家: the maker of the vehicle the part is fitted to."),
    )
    part = fields.ref("fieldservice.Part", _("part"))
    vehicle = models.CharField(_("vehicle"), max_length=200, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    defect = models.TextField(_("defect"))
    failure_mode = models.CharField(_("failure mode"), max_length=20, choices=FailureMode.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    outcome_note = models.TextField(_("outcome details"), blank=True)
    major_problem = models.BooleanField(_("major quality problem"), default=False)
    major_flagged_at, major_flagged_by = fields.done_fields(_("flagged major at"), None)
    source = models.CharField(
        _("entered via"), max_length=10, choices=Source.choices, default=Source.FORM
    )
    import_batch = fields.optional_ref("core.ImportJob", editable=False)
    weekly_feedback = fields.optional_ref(
        "fieldservice.WeeklyFeedback", _("weekly feedback"), related_name="records", editable=False
    )

    class Meta:
        ordering = ["-service_date", "-pk"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [
            models.Index(fields=["engineer", "week_start"]),
            models.Index(fields=["engineer", "service_date"]),
            models.Index(fields=["customer", "service_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.part_id and self.part.part_number} {self.defect[:40]}"


class Handling(models.TextChoices):
    REPAIR = "repair", _("Repair")  # 能修则修
    RETURN = "return", _("Return")  # 不能修则退
    REPLACE = "replace", _("Replace")  # 不能修则换


class HandlingDecision(TrackedModel):
    """R-5.3.4.2: once the fault is confirmed as our product's quality problem, repair it if it
    can be repaired, otherwise take it back or replace it."""

    record = models.OneToOneField(
        ServiceRecord,
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        related_name="handling",
    )
    confirmed_our_problem = models.BooleanField(_("confirmed as our quality problem"))
    repairable = models.BooleanField(_("repairable"))
    handling = models.CharField(_("handling"), max_length=10, choices=Handling.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    notes = models.TextField(_("notes"), blank=True)
    decided_by = fields.required_user_ref(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("handling decision")
        verbose_name_plural = _("handling decisions")

    def __str__(self) -> str:
        return f"{self.record.number}: {self.get_handling_display()}"
