"""Retention records (R-7): the periods the administrator sets, legal holds, and the
disposal-review queue. Nothing here is ever deleted: a hold is lifted, a review decided."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core import fields


class RetentionPeriod(models.Model):
    """The administrator's period for a record type the procedure does not fix."""

    record_type = models.CharField(_("record type"), max_length=40, unique=True)
    years = models.PositiveSmallIntegerField(
        _("years kept after closing"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = fields.user_ref(_("set by"))

    class Meta:
        ordering = ["record_type"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return f"{self.record_type}: {self.years}"

    def get_absolute_url(self) -> str:
        return reverse("records:retention")


class LegalHold(models.Model):
    """Stops disposal of one record, or (record_type "customers") of everything of a customer."""

    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.PositiveBigIntegerField(_("record id"))
    record_repr = models.CharField(_("record"), max_length=300, blank=True)
    reason = models.TextField(_("reason for the hold"))
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    set_by = fields.required_user_ref(_("set by"))
    lifted_at, lifted_by = fields.done_fields(_("lifted at"), _("lifted by"))
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_type}#{self.record_id} {self.record_repr}"

    def get_absolute_url(self) -> str:
        return reverse("records:retention") + "#holds"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")  # past retain_until; someone must decide
    DISPOSED = "disposed", _("Disposed")  # deleted or anonymised (final)
    KEPT = "kept", _("Kept longer")  # kept until kept_until with a reason (final for this row)


class Outcome(models.TextChoices):
    DELETED = "deleted", _("Deleted")
    ANONYMISED = "anonymised", _("Anonymised")


REVIEW_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReviewStatus.PENDING, ReviewStatus.DISPOSED): "dispose",
    (ReviewStatus.PENDING, ReviewStatus.KEPT): "keep",
}


class DisposalReview(models.Model):
    """One record past its retention period, waiting for (or having had) a disposal review."""

    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.PositiveBigIntegerField(_("record id"))
    record_repr = models.CharField(_("record"), max_length=300, blank=True)
    customer_id_ref = models.PositiveBigIntegerField(_("customer id"), null=True, blank=True)
    retain_until = models.DateField(_("retain until"))
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    status = fields.status_field(ReviewStatus, ReviewStatus.PENDING, max_length=10)
    decided_at, decided_by = fields.done_fields(_("decided at"), _("decided by"))
    reason = models.TextField(_("reason"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    kept_until = models.DateField(_("kept until"), null=True, blank=True)
    redacted_entries = models.PositiveIntegerField(_("audit entries redacted"), default=0)

    class Meta:
        ordering = ["retain_until", "pk"]
        verbose_name = _("disposal review")
        verbose_name_plural = _("disposal reviews")
        indexes = [models.Index(fields=["record_type", "record_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=models.Q(status="pending"),
                name="records_one_pending_review",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type}#{self.record_id} {self.record_repr}"

    def get_absolute_url(self) -> str:
        return reverse("records:retention") + f"#review-{self.pk}"
