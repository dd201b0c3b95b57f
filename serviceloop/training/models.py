"""Skills training for service staff and agents' service staff (R-5.8): at least one a year;
Sales is warned from 1 October when none is held or scheduled (deadlines.md)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core import fields
from serviceloop.core.models import TrackedModel, upload_path


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")  # scheduled for its date; counts as "scheduled"
    # took place; attendance and assessments recorded
    HELD = "held", pgettext_lazy("training status", "Held")
    CANCELLED = "cancelled", _("Cancelled")  # will not take place; does not count


TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.PLANNED, Status.HELD): "hold",
    (Status.PLANNED, Status.CANCELLED): "cancel",
}


class Training(TrackedModel):
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=100)
    content = models.TextField(_("content"), blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(99)],
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = fields.status_field(Status, Status.PLANNED)
    held_at, held_by = fields.done_fields(_("recorded held at"), None)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [models.Index(fields=["held_on", "status"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Attendee(models.Model):
    """One person invited: a user, or an external name (an agent's service staff)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendees")
    user = fields.user_ref(_("user"), related_name="trainings_attended")
    external_name = models.CharField(_("external name"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    attended = models.BooleanField(_("attended (signed)"), default=False)
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    assessment_note = models.CharField(_("assessment note"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attendee")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(external_name=""),
                name="training_attendee_named",
            ),
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=models.Q(user__isnull=False),
                name="training_attendee_unique_user",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.external_name

    @property
    def name(self) -> str:
        return str(self)


def _attachment_path(instance: TrainingAttachment, filename: str) -> str:
    return upload_path(f"training/{instance.training_id}", filename)


class TrainingAttachment(models.Model):
    """Training materials; served only through a view that checks permission."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = fields.user_ref(None)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.original_name
