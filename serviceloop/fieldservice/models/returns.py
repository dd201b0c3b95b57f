"""Return-for-repair forms (退修单, R-5.9.2): the service engineer fills and countersigns the
form; the finished-goods warehouse checks quantities and signatures before receiving, and
holds the goods when they do not match."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core import fields
from serviceloop.core.models import DetailLink, TrackedModel


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being filled by the engineer; not countersigned
    SIGNED = "signed", _("Countersigned")  # countersigned; waiting for the warehouse check
    HELD = "held", _("Held")  # the check found a discrepancy; not received, to be corrected
    # checked and received into the warehouse
    RECEIVED = "received", pgettext_lazy("return status", "Received")
    CANCELLED = "cancelled", _("Cancelled")  # withdrawn before countersigning


RETURN_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReturnStatus.DRAFT, ReturnStatus.SIGNED): "countersign",
    (ReturnStatus.DRAFT, ReturnStatus.CANCELLED): "cancel",
    (ReturnStatus.SIGNED, ReturnStatus.RECEIVED): "check",
    (ReturnStatus.SIGNED, ReturnStatus.HELD): "check",
    # The engineer corrects the held form and countersigns it again; then it is re-checked.
    (ReturnStatus.HELD, ReturnStatus.SIGNED): "correct",
}


class ReturnForRepairForm(DetailLink, TrackedModel):
    detail_view = "fieldservice:return_detail"

    number = fields.number_field()
    customer = fields.customer_ref()
    engineer = fields.required_user_ref(
        _("service engineer"), help_text=_("Fills the form and countersigns it.")
    )
    service_record = fields.optional_ref(
        "fieldservice.ServiceRecord", _("service record"), related_name="return_forms"
    )
    return_date = models.DateField(_("returned on"))
    reason = models.TextField(_("reason for return"))
    customer_signatory = models.CharField(
        _("customer's signatory"),
        max_length=100,
        blank=True,
        help_text=_("Who signed for the customer when the goods were handed over."),
    )
    status = fields.status_field(ReturnStatus, ReturnStatus.DRAFT, max_length=10)
    signed_by = fields.user_ref(_("countersigned by"))
    signed_at = fields.optional_time(_("countersigned at"))
    checked_by = fields.user_ref(_("checked by"))
    checked_at = fields.optional_time(_("checked at"))
    signatures_ok = models.BooleanField(_("signatures complete"), null=True, blank=True)
    discrepancy = models.TextField(_("discrepancy"), blank=True)
    check_note = models.TextField(_("warehouse note"), blank=True)
    received_at = fields.optional_time(_("received at"))
    correction_note = models.TextField(_("correction"), blank=True)

    class Meta:
        ordering = ["-return_date", "-pk"]
        verbose_name = _("return-for-repair form")
        verbose_name_plural = _("return-for-repair forms")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.customer.name}"

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines.all())


class ReturnLine(models.Model):
    form = models.ForeignKey(ReturnForRepairForm, on_delete=models.CASCADE, related_name="lines")
    part = fields.ref("fieldservice.Part", _("part"))
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("quantity on the form"))
    counted_quantity = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    fault = models.CharField(_("fault"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("returned item")

    def __str__(self) -> str:
        return f"{self.part.part_number} × {self.quantity}"
