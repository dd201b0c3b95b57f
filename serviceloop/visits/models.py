"""Customer visits (客户走访): the annual visit plan (年度用户走访计划, R-5.7.1–5.7.2), the
visit / information records (客户走访记录, R-5.1.4, R-5.7.3) with their copies to departments,
and the improvement actions Sales sets from the problems found (R-5.7.4).
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.communications.models import Communication
from serviceloop.core import fields
from serviceloop.core.models import DetailLink, TrackedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # Sales compiles the items; also where a plan sent back returns
    SUBMITTED = "submitted", _("Submitted")  # waiting for the sales leadership's review
    REVIEWED = "reviewed", _("Reviewed")  # reviewed by sales leadership; awaits company approval
    APPROVED = "approved", _("Approved")  # approved by company leadership; visits run against it


PLAN_TRANSITIONS: dict[tuple[str, str], str] = {
    (PlanStatus.DRAFT, PlanStatus.SUBMITTED): "submit",
    (PlanStatus.SUBMITTED, PlanStatus.REVIEWED): "review",
    (PlanStatus.SUBMITTED, PlanStatus.DRAFT): "send_back",
    (PlanStatus.REVIEWED, PlanStatus.APPROVED): "approve",
    (PlanStatus.REVIEWED, PlanStatus.DRAFT): "send_back",
}


class VisitPlan(DetailLink, TrackedModel):
    detail_view = "visits:plan"

    year = models.PositiveIntegerField(_("year"), unique=True)
    status = fields.status_field(PlanStatus, PlanStatus.DRAFT)
    approval_due = models.DateField(_("approval due"))
    note = models.TextField(_("note"), blank=True)
    submitted_at, submitted_by = fields.done_fields(_("submitted at"), None)
    reviewed_at, reviewed_by = fields.done_fields(_("reviewed at"), None)
    review_comment = models.TextField(_("review comments"), blank=True)
    approved_at, approved_by = fields.done_fields(_("approved at"), None)
    approval_comment = models.TextField(_("approval comments"), blank=True)
    # Set once by the sweep: makes its overdue notice idempotent.
    overdue_flagged_at = fields.sweep_flag()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual visit plan")
        verbose_name_plural = _("annual visit plans")

    def __str__(self) -> str:
        return str(_("Visit plan %(year)s") % {"year": self.year})

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != PlanStatus.APPROVED and today > self.approval_due

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class VisitPlanItem(models.Model):
    plan = models.ForeignKey(VisitPlan, on_delete=models.CASCADE, related_name="items")
    customer = fields.customer_ref()
    planned_month = models.PositiveSmallIntegerField(
        _("planned month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    visitors = models.CharField(_("who goes"), max_length=200, blank=True)

    class Meta:
        ordering = ["planned_month", "customer__name"]
        verbose_name = _("plan item")

    def __str__(self) -> str:
        return f"{self.plan.year}-{self.planned_month:02d} {self.customer}"


class RecordStatus(models.TextChoices):
    FILED = "filed", _("Filed")  # filled by Sales; waits for the department head's review
    REVIEWED = "reviewed", _("Reviewed")  # reviewed; copies may go to departments
    DISTRIBUTED = "distributed", _("Distributed")  # copies sent; the original stays with Sales


RECORD_TRANSITIONS: dict[tuple[str, str], str] = {
    (RecordStatus.FILED, RecordStatus.REVIEWED): "review",
    (RecordStatus.REVIEWED, RecordStatus.DISTRIBUTED): "distribute",
    (RecordStatus.DISTRIBUTED, RecordStatus.DISTRIBUTED): "distribute",  # more copies later
}


class VisitRecord(DetailLink, TrackedModel):
    detail_view = "visits:detail"

    number = fields.number_field()
    customer = fields.customer_ref(related_name="visits")
    plan_item = fields.optional_ref(
        VisitPlanItem, _("plan item"), related_name="visits", on_delete=models.SET_NULL
    )
    visited_at = models.DateTimeField(_("visited at"))
    visitors = models.CharField(_("visited by"), max_length=200)
    customer_people = models.CharField(_("people met"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    opinions = models.TextField(_("opinions and requirements"), blank=True)
    product_quality = models.TextField(_("quality of delivered product"), blank=True)
    service_quality = models.TextField(_("after-sales service quality"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    problems = models.TextField(_("problems found"), blank=True)
    status = fields.status_field(RecordStatus, RecordStatus.FILED)
    reviewed_at, reviewed_by = fields.done_fields(_("reviewed at"), None)
    review_note = models.TextField(_("review note"), blank=True)
    communications = models.ManyToManyField(
        Communication, blank=True, related_name="+", verbose_name=_("communications raised")
    )

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("visit record")
        verbose_name_plural = _("visit records")
        indexes = [models.Index(fields=["customer", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.customer}"


class VisitCopy(models.Model):
    """A copy of a reviewed record sent to a department; reading it is recorded."""

    record = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="copies")
    department = fields.department_ref()
    distributed_at = models.DateTimeField(_("sent at"), default=timezone.now)
    distributed_by = fields.required_user_ref(None)
    read_at, read_by = fields.done_fields(_("read at"), None)

    class Meta:
        ordering = ["department__code"]
        verbose_name = _("copy")
        constraints = [
            models.UniqueConstraint(fields=["record", "department"], name="visit_copy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record.number} → {self.department}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")  # set by Sales; the owner works on it
    CLOSED = "closed", _("Closed")  # the owner reports it done; Sales verifies
    VERIFIED = "verified", _("Verified")  # Sales confirmed it effective


ACTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (ActionStatus.OPEN, ActionStatus.CLOSED): "close",
    (ActionStatus.CLOSED, ActionStatus.VERIFIED): "verify",
    (ActionStatus.CLOSED, ActionStatus.OPEN): "reopen",  # verification found it not effective
}


class ImprovementAction(TrackedModel):
    """An improvement action Sales sets from a problem found on a visit (R-5.7.4)."""

    record = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = fields.required_user_ref(_("owner"))
    department = fields.department_ref()
    due_date = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due"))
    status = fields.status_field(ActionStatus, ActionStatus.OPEN)
    closed_at, closed_by = fields.done_fields(_("closed at"), None)
    closure_note = models.TextField(_("what was done"), blank=True)
    verified_at, verified_by = fields.done_fields(_("verified at"), None)
    verification_note = models.TextField(_("verification"), blank=True)
    overdue_flagged_at = fields.sweep_flag()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")

    def __str__(self) -> str:
        return f"{self.record.number}: {self.description[:60]}"

    @property
    def overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and timezone.now() > self.due_at
