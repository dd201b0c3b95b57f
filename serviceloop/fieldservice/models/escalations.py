"""Problems a resident engineer cannot solve, escalated to Sales, who coordinates Production
Quality and other departments on a solution and tracks it to done (R-5.3.3)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core.fields import user_ref
from serviceloop.core.models import Department, TrackedModel
from serviceloop.customers.models import Customer


class EscalationStatus(models.TextChoices):
    # raised by the engineer; Sales has not taken it up yet
    OPEN = "open", pgettext_lazy("escalation status", "Open")
    COORDINATING = "coordinating", _("Coordinating")  # Sales works with PQ and others
    SOLUTION_AGREED = "solution_agreed", _("Solution agreed")  # agreed; being carried out
    DONE = "done", _("Done")  # carried out and confirmed; closed


ESCALATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (EscalationStatus.OPEN, EscalationStatus.COORDINATING): "coordinate",
    (EscalationStatus.COORDINATING, EscalationStatus.SOLUTION_AGREED): "agree",
    (EscalationStatus.SOLUTION_AGREED, EscalationStatus.DONE): "complete",
    # The agreed solution did not work out in the field: back to coordination.
    (EscalationStatus.SOLUTION_AGREED, EscalationStatus.COORDINATING): "reopen",
}


class Escalation(TrackedModel):
    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("what was found and tried"))
    service_record = models.ForeignKey(
        "fieldservice.ServiceRecord",
        verbose_name=_("service record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    due_date = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due"), editable=False)
    coordinator = user_ref(_("coordinator (Sales)"))
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments involved"), blank=True, related_name="+"
    )
    coordinating_at = models.DateTimeField(_("coordination started"), null=True, blank=True)
    solution = models.TextField(_("agreed solution"), blank=True)
    solution_agreed_at = models.DateTimeField(_("solution agreed at"), null=True, blank=True)
    solution_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.TextField(_("result"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.done_at is None and (now or timezone.now()) > self.due_at

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:escalation_detail", args=[self.pk])


class EscalationNote(models.Model):
    """The coordination timeline: who said or did what, when."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("note"))
    event = models.CharField(_("event"), max_length=30, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("escalation note")

    def __str__(self) -> str:
        return f"{self.escalation.number} · {self.at:%Y-%m-%d %H:%M}"
