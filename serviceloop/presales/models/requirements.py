"""Customer requirements and their review by the departments that must deliver them
(R-5.1.1; the IATF 16949 contract review, clause 8.2.3)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core import fields
from serviceloop.core.models import StoredFile, TrackedModel, upload_path

# The departments clause 5.1.1 names; a requirement goes to any subset, all three by default.
EVALUATING_DEPARTMENTS = ("rnd", "production_quality", "purchasing")


class RequirementStatus(models.TextChoices):
    EVALUATING = "evaluating", _("Under evaluation")  # waiting for department evaluations
    EVALUATED = "evaluated", _("Evaluated")  # every requested department answered; Sales concludes
    CONCLUDED = "concluded", _("Concluded")  # outcome agreed with the customer recorded


REQUIREMENT_TRANSITIONS: dict[tuple[str, str], str] = {
    (RequirementStatus.EVALUATING, RequirementStatus.EVALUATED): "evaluate",  # the last answer
    (RequirementStatus.EVALUATED, RequirementStatus.CONCLUDED): "conclude",
}


class Verdict(models.TextChoices):
    FEASIBLE = "feasible", _("Feasible")
    CONDITIONAL = "conditional", _("Feasible with conditions")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


class CustomerRequirement(TrackedModel):
    number = fields.number_field()
    customer = fields.customer_ref()
    contact = fields.contact_ref()
    received_at = models.DateTimeField(_("received at"))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("requirement"))
    owner = fields.required_user_ref(_("owner (Sales)"))
    status = fields.status_field(RequirementStatus, RequirementStatus.EVALUATING)
    evaluation_due_at = models.DateTimeField(_("evaluations due"))
    outcome = models.TextField(_("outcome agreed with the customer"), blank=True)
    concluded_at, concluded_by = fields.done_fields(_("concluded at"), _("concluded by"))
    order = fields.optional_ref("presales.Order", _("order"), related_name="requirements")
    contract_reference = models.CharField(
        _("order / contract reference"), max_length=100, blank=True
    )
    eight_d = fields.optional_ref("complaints.EightDReport", _("8D report it feeds"))
    improvement_reference = models.CharField(
        _("other improvement action (e.g. information feedback form)"), max_length=100, blank=True
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("customer requirement")
        verbose_name_plural = _("customer requirements")
        indexes = [models.Index(fields=["status", "evaluation_due_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def is_late(self, now: datetime | None = None) -> bool:
        """An evaluation still owed after its due time."""
        now = now or timezone.now()
        return any(e.is_late(now) for e in self.evaluations.all())

    @property
    def late(self) -> bool:
        return self.is_late()


class Evaluation(models.Model):
    """One department's evaluation of a requirement."""

    requirement = models.ForeignKey(
        CustomerRequirement, on_delete=models.CASCADE, related_name="evaluations"
    )
    department = fields.department_ref()
    due_at = models.DateTimeField(_("due"))
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    cost_impact = models.CharField(_("cost impact"), max_length=200, blank=True)
    lead_time_impact = models.CharField(_("lead-time impact"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    evaluated_at, evaluated_by = fields.done_fields(_("evaluated at"), _("evaluated by"))
    late_flagged_at = fields.sweep_flag()

    class Meta:
        ordering = ["department__code"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "department"], name="evaluation_unique_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.number} · {self.department}"

    def is_late(self, now: datetime | None = None) -> bool:
        return self.evaluated_at is None and (now or timezone.now()) > self.due_at


class FollowUpAction(models.Model):
    """Sales' own follow-up action fed by a requirement or a result told to the customer
    (R-5.1.1, R-5.2.5), with owner and due date."""

    requirement = models.ForeignKey(
        CustomerRequirement, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField(_("action"))
    owner = fields.required_user_ref(_("owner"))
    due_date = models.DateField(_("due date"))
    done_at = fields.optional_time(_("done at"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.description[:60]


def _attachment_path(instance: RequirementAttachment, filename: str) -> str:
    return upload_path(f"presales/requirements/{instance.requirement_id}", filename)


class RequirementAttachment(StoredFile):
    """A drawing or specification of a requirement (Sales), or a file a department adds to
    its evaluation (``evaluation`` set). Checked and stored through ``core.files``; served
    only through views that check the requirement is visible to the user."""

    requirement = models.ForeignKey(
        CustomerRequirement, on_delete=models.PROTECT, related_name="attachments"
    )
    evaluation = fields.optional_ref(Evaluation, _("evaluation"), related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
