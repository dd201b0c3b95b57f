"""Problems a resident engineer cannot solve, escalated to Sales, who coordinates Production
Quality and other departments on a solution and tracks it to done (R-5.3.3)."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core import fields
from serviceloop.core.models import Department, DetailLink, TrackedModel


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


class Escalation(DetailLink, TrackedModel):
    detail_view = "fieldservice:escalation_detail"

    number = fields.number_field()
    customer = fields.customer_ref()
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("what was found and tried"))
    service_record = fields.optional_ref(
        "fieldservice.ServiceRecord", _("service record"), related_name="escalations"
    )
    raised_by = fields.required_user_ref(_("raised by"))
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = fields.status_field(EscalationStatus, EscalationStatus.OPEN)
    due_date = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due"), editable=False)
    coordinator = fields.user_ref(_("coordinator (Sales)"))
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments involved"), blank=True, related_name="+"
    )
    coordinating_at = fields.optional_time(_("coordination started"))
    solution = models.TextField(_("agreed solution"), blank=True)
    solution_agreed_at, solution_agreed_by = fields.done_fields(_("solution agreed at"), None)
    result = models.TextField(_("result"), blank=True)
    done_at, done_by = fields.done_fields(_("done at"), None)
    overdue_flagged_at = fields.sweep_flag()

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


class EscalationNote(models.Model):
    """The coordination timeline: who said or did what, when."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="notes")
    author = fields.required_user_ref(_("author"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("note"))
    event = models.CharField(_("event"), max_length=30, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("escalation note")

    def __str__(self) -> str:
        return f"{self.escalation.number} · {self.at:%Y-%m-%d %H:%M}"
