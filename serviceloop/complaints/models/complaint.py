"""The Customer Complaint Register (顾客投诉登记表, R-5.5.1).

Sales enters every complaint and every customer return (R-5.5.7) here; a major typical
quality problem flagged on another record arrives here too (R-5.9.5). Each row is converted
into one 8D report. The register is kept two years after the complaint is closed (R-7.3):
`closed_at` starts that clock; nothing here is ever deleted.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from serviceloop.core.fields import (
    customer_ref,
    number_field,
    optional_time,
    status_field,
    user_ref,
)
from serviceloop.core.models import DetailLink, TrackedModel


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    RETURN = "return", _("Customer return")
    MAJOR_PROBLEM = "major_problem", _("Major quality problem")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # in the register; no 8D yet
    IN_PROGRESS = "in_progress", _("8D in progress")  # Quality leads the 8D
    NEGOTIATING = "negotiating", _("Negotiating")  # customer's own design/make
    CLOSED = "closed", _("Closed")  # 8D closed; circulated to MR and GM


# The allowed transitions, in one table: (from, to) -> the service that makes them.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.REGISTERED, Status.IN_PROGRESS): "eightd_open",
    (Status.IN_PROGRESS, Status.NEGOTIATING): "eightd_refer_to_sales",
    (Status.NEGOTIATING, Status.IN_PROGRESS): "eightd_record_negotiation",
    (Status.IN_PROGRESS, Status.CLOSED): "eightd_close",
    (Status.NEGOTIATING, Status.CLOSED): "eightd_close",
}


class Complaint(DetailLink, TrackedModel):
    detail_view = "complaints:detail"

    number = number_field(_("complaint number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    customer = customer_ref(related_name="complaints")
    customer_reference = models.CharField(
        _("customer's reference"),
        max_length=60,
        blank=True,
        help_text=_("The customer's own complaint or return number, if any."),
    )
    received_at = models.DateTimeField(_("received at"))
    received_by = user_ref(_("received by"))
    part_number = models.CharField(_("part number"), max_length=60, blank=True)
    part_name = models.CharField(_("part name"), max_length=100, blank=True)
    lot = models.CharField(_("lot / batch"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    description = models.TextField(_("problem description"))
    in_production = models.BooleanField(
        _("still in production"),
        default=False,
        help_text=_("If so, Quality must set immediate containment (R-5.5.2)."),
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = status_field(Status, Status.REGISTERED)
    # Where a major quality problem came from; one complaint per source record.
    source_type = models.CharField(_("source record type"), max_length=100, blank=True)
    source_id = models.CharField(_("source record id"), max_length=64, blank=True)
    source_label = models.CharField(_("source record"), max_length=300, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    # Start of the retention clock of the register.
    closed_at = optional_time(_("closed at"))

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("customer complaint")
        verbose_name_plural = _("customer complaints")
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["part_number"]),
            # issue 15: the register's default ordering, alone and under its filters
            models.Index(fields=["-received_at", "-id"], name="complaint_received_desc"),
            models.Index(
                fields=["status", "-received_at", "-id"], name="complaint_status_received"
            ),
            models.Index(
                fields=["customer", "-received_at", "-id"], name="complaint_customer_received"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~Q(source_type=""),
                name="complaint_unique_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.customer.name}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED
