"""Special requests (R-5.1.3): special sample, technical data, technical guidance, technical
agreement, quality agreement — applied for by Sales, decided by the head of the responsible
department; provided when feasible, politely declined to the customer when not."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import Department, TrackedModel
from serviceloop.customers.models import Customer


class SpecialKind(models.TextChoices):
    SPECIAL_SAMPLE = "special_sample", _("Special sample")
    TECHNICAL_DATA = "technical_data", _("Technical data")
    TECHNICAL_GUIDANCE = "technical_guidance", _("Technical guidance")
    TECHNICAL_AGREEMENT = "technical_agreement", _("Technical agreement")
    QUALITY_AGREEMENT = "quality_agreement", _("Quality agreement")


AGREEMENT_KINDS = (SpecialKind.TECHNICAL_AGREEMENT, SpecialKind.QUALITY_AGREEMENT)
# Kind -> the department whose head decides and which provides it (setting
# SERVICELOOP_SPECIAL_REQUEST_DEPARTMENTS overrides any of them).
DEFAULT_RESPONSIBLE = {
    SpecialKind.SPECIAL_SAMPLE: "production_quality",
    SpecialKind.TECHNICAL_DATA: "technical",
    SpecialKind.TECHNICAL_GUIDANCE: "technical",
    SpecialKind.TECHNICAL_AGREEMENT: "technical",
    SpecialKind.QUALITY_AGREEMENT: "quality",
}


class SpecialStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting decision")  # the department head decides
    APPROVED = "approved", _("Feasible — being provided")  # the department provides it
    FULFILLED = "fulfilled", _("Provided")  # done, delivered document attached; closed
    DECLINED = "declined", _("Not feasible")  # Sales owes the customer a polite explanation
    EXPLAINED = "explained", _("Explained to the customer")  # explanation recorded; closed


SPECIAL_TRANSITIONS: dict[tuple[str, str], str] = {
    (SpecialStatus.REQUESTED, SpecialStatus.APPROVED): "decide",
    (SpecialStatus.REQUESTED, SpecialStatus.DECLINED): "decide",
    (SpecialStatus.APPROVED, SpecialStatus.FULFILLED): "fulfil",
    (SpecialStatus.DECLINED, SpecialStatus.EXPLAINED): "decline_notice",
}
CLOSED_SPECIAL = (SpecialStatus.FULFILLED, SpecialStatus.EXPLAINED)


def _document_path(instance: SpecialRequest, filename: str) -> str:
    return f"presales/special/{instance.number}/{filename}"


class SpecialRequest(TrackedModel):
    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SpecialKind.choices)
    description = models.TextField(_("what the customer asks for"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by (Sales)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SpecialStatus.choices, default=SpecialStatus.REQUESTED
    )
    step_due_at = models.DateTimeField(_("current step due"), null=True, blank=True)
    step_overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("decision"), blank=True)
    fulfilled_at = models.DateTimeField(_("provided at"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("provided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fulfil_note = models.TextField(_("what was provided"), blank=True)
    document = models.FileField(
        _("delivered document"), upload_to=_document_path, max_length=200, blank=True
    )
    valid_from = models.DateField(_("agreement valid from"), null=True, blank=True)
    valid_to = models.DateField(_("agreement valid to"), null=True, blank=True)
    explanation = models.TextField(_("explanation given to the customer"), blank=True)
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("explained by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("special request")
        verbose_name_plural = _("special requests")

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def document_filename(self) -> str:
        """The delivered document's file name, without the storage folder."""
        return PurePath(self.document.name or "").name if self.document else ""

    @property
    def is_agreement(self) -> bool:
        return self.kind in AGREEMENT_KINDS

    def is_overdue(self, now: datetime | None = None) -> bool:
        return (
            self.status not in CLOSED_SPECIAL
            and self.step_due_at is not None
            and (now or timezone.now()) > self.step_due_at
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()
