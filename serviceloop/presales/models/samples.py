"""Sample requests (R-5.1.2): Sales' written application → approval by the departments
concerned → Production Quality schedules and makes the sample → Sales delivers it → the
customer accepts or rejects it."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core import fields
from serviceloop.core.models import StoredFile, TrackedModel, upload_path

# Departments that approve a sample by default (configurable per request).
SAMPLE_APPROVERS = ("technical", "production_quality")


class SampleStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")  # applied; departments approve
    APPROVED = "approved", _("Approved")  # all approved; Production Quality schedules
    SCHEDULED = "scheduled", _("Scheduled")  # planned date set; being made
    MADE = "made", _("Made")  # made and inspected (lot, inspection result)
    DELIVERED = "delivered", _("Delivered")  # shipped to the customer; confirmation awaited
    ACCEPTED = "accepted", _("Accepted by the customer")  # closed
    REFUSED = "refused", _("Rejected by the customer")  # closed, with the customer's reasons
    REJECTED = "rejected", _("Not approved")  # a department rejected the application; closed


SAMPLE_TRANSITIONS: dict[tuple[str, str], str] = {
    (SampleStatus.REQUESTED, SampleStatus.REQUESTED): "approve",  # one of several approvals
    (SampleStatus.REQUESTED, SampleStatus.APPROVED): "approve",  # the last approval
    (SampleStatus.REQUESTED, SampleStatus.REJECTED): "reject",
    (SampleStatus.APPROVED, SampleStatus.SCHEDULED): "schedule",
    (SampleStatus.SCHEDULED, SampleStatus.MADE): "make",
    (SampleStatus.SCHEDULED, SampleStatus.DELIVERED): "deliver",
    (SampleStatus.MADE, SampleStatus.DELIVERED): "deliver",
    (SampleStatus.DELIVERED, SampleStatus.ACCEPTED): "confirm",
    (SampleStatus.DELIVERED, SampleStatus.REFUSED): "confirm",
}
CLOSED_SAMPLE = (SampleStatus.ACCEPTED, SampleStatus.REFUSED, SampleStatus.REJECTED)


class SampleRequest(TrackedModel):
    number = fields.number_field()
    customer = fields.customer_ref()
    part_number = models.CharField(_("part number"), max_length=60)
    part_name = models.CharField(_("part name"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    drawing_revision = models.CharField(_("drawing revision"), max_length=30, blank=True)
    needed_by = models.DateField(_("needed by"))
    purpose = models.TextField(_("purpose"))
    requested_by = fields.required_user_ref(_("applied by (Sales)"))
    status = fields.status_field(SampleStatus, SampleStatus.REQUESTED)
    # The current step's deadline (core.deadlines), recomputed at each step; flagged once late.
    step_due_at = fields.optional_time(_("current step due"))
    step_overdue_flagged_at = fields.sweep_flag()
    scheduled_at, scheduled_by = fields.done_fields(_("scheduled at"), _("scheduled by"))
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    made_at, made_by = fields.done_fields(_("made at"), _("made by"))
    lot = models.CharField(_("batch / lot"), max_length=60, blank=True)
    inspection_result = models.TextField(_("inspection result"), blank=True)
    delivered_at, delivered_by = fields.done_fields(_("delivered at"), _("delivery recorded by"))
    shipping_note = models.CharField(_("shipping note"), max_length=60, blank=True)
    confirmed_at, confirmed_by = fields.done_fields(
        _("customer's answer recorded at"), _("customer's answer recorded by")
    )
    customer_note = models.TextField(_("customer's answer"), blank=True)
    follow_up_requirement = fields.optional_ref(
        "presales.CustomerRequirement", _("requirement opened")
    )
    follow_up_complaint = fields.optional_ref("complaints.Complaint", _("complaint / 8D opened"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sample request")
        verbose_name_plural = _("sample requests")
        indexes = [models.Index(fields=["status", "step_due_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.part_number}"

    def is_overdue(self, now: datetime | None = None) -> bool:
        return (
            self.status not in CLOSED_SAMPLE
            and self.step_due_at is not None
            and (now or timezone.now()) > self.step_due_at
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class SampleApproval(models.Model):
    """One department's approval (or rejection) of a sample application."""

    sample = models.ForeignKey(SampleRequest, on_delete=models.CASCADE, related_name="approvals")
    department = fields.department_ref()
    approved = models.BooleanField(_("approved"), null=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_at, decided_by = fields.done_fields(_("decided at"), _("decided by"))

    class Meta:
        ordering = ["department__code"]
        verbose_name = _("sample approval")
        constraints = [
            models.UniqueConstraint(fields=["sample", "department"], name="sample_approval_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sample.number} · {self.department}"


def _sample_file_path(instance: SampleAttachment, filename: str) -> str:
    return upload_path(f"presales/samples/{instance.sample_id}", filename)


class SampleAttachment(StoredFile):
    """A file of a sample request: the inspection report Production Quality attaches when
    it records the sample made. Checked and stored through ``core.files``; served only
    through views that check the sample is visible to the user."""

    sample = models.ForeignKey(SampleRequest, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_sample_file_path, max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("sample file")
        verbose_name_plural = _("sample files")
