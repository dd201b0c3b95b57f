"""Quality information upstream: each service engineer's weekly feedback to Sales (R-5.9.4)
and Sales' information feedback forms to Production, Quality and others (信息反馈单,
R-5.9.5; kept 2 years, R-7.6)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core import fields
from serviceloop.core.late_entry import late_entry_fields
from serviceloop.core.models import DetailLink, TrackedModel

from ..domain.rules import week_end, week_label


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # assembled from the week's records; the engineer reviews it
    SUBMITTED = "submitted", _("Submitted")  # sent to Sales
    REVIEWED = "reviewed", _("Reviewed")  # Sales has read it and taken its information up


FEEDBACK_TRANSITIONS: dict[tuple[str, str], str] = {
    (FeedbackStatus.DRAFT, FeedbackStatus.SUBMITTED): "submit",
    (FeedbackStatus.SUBMITTED, FeedbackStatus.REVIEWED): "review",
    # Sales sends it back (records missing or unclear); the engineer resubmits.
    (FeedbackStatus.SUBMITTED, FeedbackStatus.DRAFT): "return",
}


class WeeklyFeedback(TrackedModel):
    engineer = fields.required_user_ref(
        _("service engineer"), related_name="fieldservice_weekly_feedback"
    )
    week_start = models.DateField(_("week (Monday)"))
    due_at = models.DateTimeField(_("due"))
    status = fields.status_field(FeedbackStatus, FeedbackStatus.DRAFT, max_length=10)
    summary = models.TextField(_("engineer's summary"), blank=True)
    record_count = models.PositiveIntegerField(_("records"), default=0)
    submitted_at = fields.optional_time(_("submitted at"))
    submitted_entered_at, submitted_late_reason = late_entry_fields()
    reviewed_at, reviewed_by = fields.done_fields(_("reviewed at"), _("reviewed by"))
    review_note = models.TextField(_("Sales' note"), blank=True)
    overdue_flagged_at = fields.optional_time(_("flagged missing at"), editable=False)

    class Meta:
        ordering = ["-week_start", "engineer"]
        verbose_name = _("weekly feedback")
        verbose_name_plural = _("weekly feedback")
        constraints = [
            models.UniqueConstraint(fields=["engineer", "week_start"], name="fs_weekly_unique")
        ]

    def __str__(self) -> str:
        return f"{self.engineer} {self.label}"

    @property
    def label(self) -> str:
        return week_label(self.week_start)

    @property
    def week_end(self):
        return week_end(self.week_start)

    @property
    def late(self) -> bool:
        return self.submitted_at is not None and self.submitted_at > self.due_at

    def is_missing(self, now: datetime | None = None) -> bool:
        return self.submitted_at is None and (now or timezone.now()) > self.due_at

    @property
    def missing(self) -> bool:
        return self.is_missing()

    def get_absolute_url(self) -> str:
        return reverse(
            "fieldservice:feedback_week", args=[self.engineer_id, self.week_start.isoformat()]
        )


class InfoCategory(models.TextChoices):
    PRODUCT_QUALITY = "product_quality", _("Product quality")
    DESIGN = "design", _("Design")
    PROCESS = "process", _("Manufacturing process")
    MATERIAL = "material", _("Material / purchased parts")
    PACKAGING = "packaging", _("Packaging and transport")
    USE = "use", _("Installation and use")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class InfoFormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # Sales is classifying and summarising
    ISSUED = "issued", _("Issued")  # sent to the departments; acknowledgements awaited
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")  # every department acknowledged it


INFOFORM_TRANSITIONS: dict[tuple[str, str], str] = {
    (InfoFormStatus.DRAFT, InfoFormStatus.ISSUED): "issue",
    (InfoFormStatus.ISSUED, InfoFormStatus.ACKNOWLEDGED): "acknowledge",  # by the last one
}


class InformationFeedbackForm(DetailLink, TrackedModel):
    detail_view = "fieldservice:infoform_detail"

    number = fields.number_field()
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=InfoCategory.choices)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    summary = models.TextField(pgettext_lazy("information feedback", "summary"))
    requested_action = models.TextField(_("action requested"), blank=True)
    records = models.ManyToManyField(
        "fieldservice.ServiceRecord",
        verbose_name=_("service records"),
        blank=True,
        related_name="information_forms",
    )
    status = fields.status_field(InfoFormStatus, InfoFormStatus.DRAFT, max_length=15)
    major_problem = models.BooleanField(_("major typical problem"), default=False)
    major_flagged_at = fields.optional_time(_("flagged major at"))
    issued_at, issued_by = fields.done_fields(_("issued at"), _("issued by"))
    acknowledged_at = fields.optional_time(_("fully acknowledged at"))

    class Meta:
        ordering = ["-period_to", "-pk"]
        verbose_name = _("information feedback form")
        verbose_name_plural = _("information feedback forms")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class InfoFormRouting(models.Model):
    form = models.ForeignKey(
        InformationFeedbackForm, on_delete=models.CASCADE, related_name="routings"
    )
    department = fields.department_ref()
    acknowledged_at, acknowledged_by = fields.done_fields(
        _("acknowledged at"), _("acknowledged by")
    )
    response = models.TextField(_("response"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("information form routing")
        constraints = [
            models.UniqueConstraint(fields=["form", "department"], name="fs_infoform_route_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form.number} → {self.department}"
