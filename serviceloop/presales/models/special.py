"""Special requests (R-5.1.3): special sample, technical data, technical guidance, technical
agreement, quality agreement — applied for by Sales, decided by the head of the responsible
department; provided when feasible, politely declined to the customer when not."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core import fields
from serviceloop.core.models import TrackedModel


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
    number = fields.number_field()
    customer = fields.customer_ref()
    kind = models.CharField(_("kind"), max_length=30, choices=SpecialKind.choices)
    description = models.TextField(_("what the customer asks for"))
    requested_by = fields.required_user_ref(_("applied by (Sales)"))
    department = fields.department_ref(_("responsible department"))
    status = fields.status_field(SpecialStatus, SpecialStatus.REQUESTED)
    step_due_at = fields.optional_time(_("current step due"))
    step_overdue_flagged_at = fields.sweep_flag()
    decided_at, decided_by = fields.done_fields(_("decided at"), _("decided by"))
    decision_note = models.TextField(_("decision"), blank=True)
    fulfilled_at, fulfilled_by = fields.done_fields(_("provided at"), _("provided by"))
    fulfil_note = models.TextField(_("what was provided"), blank=True)
    document = models.FileField(
        _("delivered document"), upload_to=_document_path, max_length=200, blank=True
    )
    valid_from = models.DateField(_("agreement valid from"), null=True, blank=True)
    valid_to = models.DateField(_("agreement valid to"), null=True, blank=True)
    explanation = models.TextField(_("explanation given to the customer"), blank=True)
    explained_at, explained_by = fields.done_fields(_("explained at"), _("explained by"))

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
