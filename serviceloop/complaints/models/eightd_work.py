"""What the 8D team finds and does: containment by location (D3, R-5.5.2/5.5.3), root causes
traced to the work station, operator and inspector (D4, R-5.5.5), and action items with owners
and deadlines (D5–D7, R-5.5.4, R-5.5.7)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core.fields import (
    department_ref,
    done_fields,
    optional_ref,
    status_field,
    sweep_flag,
    user_ref,
)
from serviceloop.core.late_entry import late_entry_fields

from .eightd import DisciplineCode, EightDReport


class AssignedTask(models.Model):
    """Something a person (or, until one is named, a department) owes by a deadline."""

    owner = user_ref(_("owner"))
    department = department_ref(optional=True)
    due_at = models.DateTimeField(_("due"))
    done_at, done_by = done_fields(_("done at"), _("done by"))
    done_entered_at, done_late_reason = late_entry_fields()
    result = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    overdue_flagged_at = sweep_flag()

    class Meta:
        abstract = True

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.done_at is None and (now or timezone.now()) > self.due_at

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def assignee(self) -> str:
        return str(self.owner or self.department or "—")


class Location(models.TextChoices):
    CUSTOMER_STOCK = "customer_stock", _("Customer's stock")
    IN_TRANSIT = "in_transit", _("In transit")
    FINISHED_GOODS = "finished_goods", _("Our finished goods")
    IN_PRODUCTION = "in_production", _("In production")
    SUPPLIER = "supplier", _("At the supplier")


class Reinspection(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")  # nothing was reworked
    PENDING = "pending", _("Pending")  # reworked goods wait for Quality
    PASSED = "passed", _("Passed")  # may go back to stock
    FAILED = "failed", pgettext_lazy("reinspection", "Failed")  # stays isolated; rework again


REINSPECTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (Reinspection.NOT_REQUIRED, Reinspection.PENDING): "containment_update",
    (Reinspection.PENDING, Reinspection.NOT_REQUIRED): "containment_update",
    (Reinspection.PENDING, Reinspection.PASSED): "containment_reinspect",
    (Reinspection.PENDING, Reinspection.FAILED): "containment_reinspect",
    (Reinspection.FAILED, Reinspection.PASSED): "containment_reinspect",
    (Reinspection.PASSED, Reinspection.PENDING): "containment_update",  # more goods reworked
    (Reinspection.FAILED, Reinspection.PENDING): "containment_update",
}


class Containment(AssignedTask):
    """D3: containment at one location, with what was found and done there."""

    report = models.ForeignKey(EightDReport, on_delete=models.CASCADE, related_name="containments")
    location = models.CharField(_("location"), max_length=20, choices=Location.choices)
    action = models.TextField(_("containment action"))
    quantity_checked = models.PositiveIntegerField(_("checked"), default=0)
    quantity_found = models.PositiveIntegerField(_("nonconforming found"), default=0)
    quantity_isolated = models.PositiveIntegerField(_("isolated"), default=0)
    quantity_tagged = models.PositiveIntegerField(_("tagged"), default=0)
    quantity_reworked = models.PositiveIntegerField(_("reworked"), default=0)
    reinspection = models.CharField(
        _("re-inspection"),
        max_length=20,
        choices=Reinspection.choices,
        default=Reinspection.NOT_REQUIRED,
    )
    reinspected_at, reinspected_by = done_fields(_("re-inspected at"), _("re-inspected by"))
    reinspection_note = models.TextField(_("re-inspection note"), blank=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("containment")
        verbose_name_plural = _("containments")

    def __str__(self) -> str:
        return f"{self.report.number} D3 {self.get_location_display()}"


class CauseKind(models.TextChoices):
    OCCURRENCE = "occurrence", _("Occurrence (why it was made)")
    ESCAPE = "escape", _("Escape (why it was not detected)")


class CauseCategory(models.TextChoices):
    MAN = "man", _("Man")
    MACHINE = "machine", _("Machine")
    MATERIAL = "material", _("Material")
    METHOD = "method", _("Method")
    MEASUREMENT = "measurement", _("Measurement")
    ENVIRONMENT = "environment", _("Environment")
    DESIGN = "design", _("Design")


class Responsibility(models.TextChoices):
    COMPANY = "company", _("Our company")
    SUPPLIER = "supplier", _("Supplier")
    CUSTOMER = "customer", _("Customer's own design or manufacture")


class RootCause(models.Model):
    """D4: a root cause, traced to the work station (岗位) and, through the process card,
    production report and inspection record, to the operator and inspector (R-5.5.5)."""

    report = models.ForeignKey(EightDReport, on_delete=models.CASCADE, related_name="root_causes")
    kind = models.CharField(_("cause type"), max_length=20, choices=CauseKind.choices)
    category = models.CharField(_("category (5M1E)"), max_length=20, choices=CauseCategory.choices)
    description = models.TextField(_("root cause"))
    why_analysis = models.TextField(_("5-why analysis"), blank=True)
    responsibility = models.CharField(
        _("responsibility"),
        max_length=20,
        choices=Responsibility.choices,
        default=Responsibility.COMPANY,
    )
    department = department_ref(_("responsible department"), optional=True)
    work_station = models.CharField(_("work station"), max_length=100, blank=True)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    inspector = models.CharField(_("inspector"), max_length=100, blank=True)
    process_card_ref = models.CharField(_("process card"), max_length=100, blank=True)
    production_report_ref = models.CharField(_("production report"), max_length=100, blank=True)
    inspection_record_ref = models.CharField(_("inspection record"), max_length=100, blank=True)
    verified = models.BooleanField(
        _("confirmed"), default=False, help_text=_("Confirmed by test or reproduction.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = user_ref(None)

    class Meta:
        ordering = ["report", "kind", "pk"]
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class ActionKind(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis")
    CONTAINMENT = "containment", _("Containment")
    CORRECTIVE = "corrective", _("Corrective action")
    PREVENTIVE = "preventive", _("Preventive action")
    WORK_INSTRUCTION = "work_instruction", _("Work-instruction revision")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


# Kinds whose effect must be verified before the 8D can close (D6, R-5.5.4).
VERIFIED_KINDS = frozenset(
    {ActionKind.CORRECTIVE, ActionKind.PREVENTIVE, ActionKind.WORK_INSTRUCTION}
)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")  # the owner must carry it out by its due date
    DONE = "done", _("Done")  # carried out; waits for verification where required
    VERIFIED = "verified", _("Verified")  # effect verified (D6; for instructions)
    CANCELLED = "cancelled", _("Cancelled")  # dropped, with a recorded reason


ACTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (ActionStatus.OPEN, ActionStatus.DONE): "action_complete",
    (ActionStatus.DONE, ActionStatus.VERIFIED): "action_verify",
    (ActionStatus.DONE, ActionStatus.OPEN): "action_verify",  # not effective: back to work
    (ActionStatus.OPEN, ActionStatus.CANCELLED): "action_cancel",
}


class ActionItem(AssignedTask):
    """An action with an owner and a deadline (R-5.5.7); Quality tracks it to done."""

    report = models.ForeignKey(EightDReport, on_delete=models.CASCADE, related_name="actions")
    discipline = models.CharField(_("discipline"), max_length=2, choices=DisciplineCode.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    description = models.TextField(_("action"))
    root_cause = optional_ref(RootCause, _("addresses cause"), related_name="actions")
    document_ref = models.CharField(
        _("document"),
        max_length=100,
        blank=True,
        help_text=_("Work instruction number and revision, where one is revised."),
    )
    trainees = models.CharField(_("people trained"), max_length=300, blank=True)
    status = status_field(ActionStatus, ActionStatus.OPEN)
    needs_verification = models.BooleanField(_("needs verification"), default=False)
    verified_at, verified_by = done_fields(_("verified at"), _("verified by"))
    verification_note = models.TextField(_("verification"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = user_ref(None)

    class Meta:
        ordering = ["report", "discipline", "due_at", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.report.number} {self.discipline.upper()} {self.description[:60]}"

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.status == ActionStatus.OPEN and (now or timezone.now()) > self.due_at

    @property
    def is_pending(self) -> bool:
        """Still blocks the 8D from closing: open, or done but not yet verified."""
        return self.status == ActionStatus.OPEN or (
            self.status == ActionStatus.DONE and self.needs_verification
        )
