"""Engineers placed at customers: resident engineers at tier-1 OEMs (驻厂, R-5.3.1/5.3.2) and
named engineers for key retail users (定点服务, R-5.3.5). Kept as history: an assignment
is ended, never deleted."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core import fields
from serviceloop.core.models import DetailLink, TrackedModel


class AssignmentKind(models.TextChoices):
    RESIDENT = "resident", _("Resident engineer")  # stationed at a tier-1 OEM
    NAMED = "named", _("Named engineer")  # fixed-point service for a key retail user


class AssignmentState(models.TextChoices):
    """Derived from the dates (not stored): where the engineer is on a given day."""

    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class EngineerAssignment(DetailLink, TrackedModel):
    detail_view = "fieldservice:assignment_detail"

    kind = models.CharField(_("kind"), max_length=10, choices=AssignmentKind.choices)
    engineer = fields.required_user_ref(_("engineer"), related_name="fieldservice_assignments")
    customer = fields.customer_ref(related_name="engineer_assignments")
    site = models.CharField(
        _("site"), max_length=200, blank=True, help_text=_("Plant or depot, e.g. 总装二厂.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    start_date = models.DateField(_("since"))
    end_date = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty while open-ended.")
    )
    exception_reason = models.TextField(
        _("reason for the exception"),
        blank=True,
        help_text=_(
            "Required when the customer's tier does not normally get this kind of engineer "
            "(R-5.3.4.1, R-5.3.5)."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("engineer assignment")
        verbose_name_plural = _("engineer assignments")
        indexes = [
            models.Index(fields=["engineer", "start_date"]),
            models.Index(fields=["customer", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.engineer} @ {self.customer.name} ({self.start_date:%Y-%m-%d})"

    def state_on(self, day: date | None = None) -> str:
        day = day or timezone.localdate()
        if self.start_date > day:
            return AssignmentState.PLANNED
        if self.end_date is not None and self.end_date < day:
            return AssignmentState.ENDED
        return AssignmentState.ACTIVE

    @property
    def state(self) -> str:
        return self.state_on()

    def get_state_display(self) -> str:
        return str(AssignmentState(self.state).label)

    def overlaps(self, start: date, end: date | None) -> bool:
        mine_end = self.end_date or date.max
        other_end = end or date.max
        return self.start_date <= other_end and start <= mine_end
