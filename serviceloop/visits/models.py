"""Customer visits (客户走访): the annual visit plan (年度用户走访计划, R-5.7.1–5.7.2), the
visit / information records (客户走访记录, R-5.1.4, R-5.7.3) with their copies to departments,
and the improvement actions Sales sets from the problems found (R-5.7.4).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.communications.models import Communication
from serviceloop.core.models import Department, TrackedModel
from serviceloop.customers.models import Customer

_USER = settings.AUTH_USER_MODEL


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


class VisitPlan(TrackedModel):
    year = models.PositiveIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approval_due = models.DateField(_("approval due"))
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("review comments"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approval_comment = models.TextField(_("approval comments"), blank=True)
    # Set once by the sweep: makes its overdue notice idempotent.
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual visit plan")
        verbose_name_plural = _("annual visit plans")

    def __str__(self) -> str:
        return str(_("Visit plan %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("visits:plan", args=[self.pk])

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != PlanStatus.APPROVED and today > self.approval_due

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


class VisitPlanItem(models.Model):
    plan = models.ForeignKey(VisitPlan, on_delete=models.CASCADE, related_name="items")
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
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


class VisitRecord(TrackedModel):
    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="visits"
    )
    plan_item = models.ForeignKey(
        VisitPlanItem,
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
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
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.FILED
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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

    def get_absolute_url(self) -> str:
        return reverse("visits:detail", args=[self.pk])


class VisitCopy(models.Model):
    """A copy of a reviewed record sent to a department; reading it is recorded."""

    record = models.ForeignKey(VisitRecord, on_delete=models.CASCADE, related_name="copies")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    distributed_at = models.DateTimeField(_("sent at"), default=timezone.now)
    distributed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    read_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

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
    owner = models.ForeignKey(
        _USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_note = models.TextField(_("what was done"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verification_note = models.TextField(_("verification"), blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")

    def __str__(self) -> str:
        return f"{self.record.number}: {self.description[:60]}"

    @property
    def overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and timezone.now() > self.due_at
