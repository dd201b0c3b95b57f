"""Parts in the field: the catalogue, requests to the finished-goods warehouse (engineers'
spare parts by failure frequency, R-5.3.4.3; Sales' urgent draws, R-5.9.3), the ledger of
what each holder was issued, used and returned, and nonconforming product tagged in the
customer's stock (R-5.3.4.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core.fields import user_ref
from serviceloop.core.models import TrackedModel
from serviceloop.customers.models import Customer


class Part(TrackedModel):
    part_number = models.CharField(_("part number"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_assembly = models.BooleanField(_("assembly"), default=False)
    unit = models.CharField(_("unit"), max_length=10, default="件")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["part_number"]
        verbose_name = _("part")
        verbose_name_plural = _("parts")

    def __str__(self) -> str:
        return f"{self.part_number} {self.name}"


class RequestKind(models.TextChoices):
    SPARE = "spare", _("Spare parts")  # an engineer's stock, by failure frequency (R-5.3.4.3)
    URGENT = "urgent", _("Urgent draw")  # Sales for urgent field service


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # waiting for the formalities (approval)
    APPROVED = "approved", _("Approved")  # approved; in the warehouse queue
    ISSUED = "issued", _("Issued")  # the warehouse handed the parts over
    CLOSED = "closed", _("Closed")  # settled by the requester
    # refused by the approver, with a reason
    REJECTED = "rejected", pgettext_lazy("parts request status", "Rejected")
    CANCELLED = "cancelled", _("Cancelled")  # withdrawn before issue


REQUEST_TRANSITIONS: dict[tuple[str, str], str] = {
    (RequestStatus.SUBMITTED, RequestStatus.APPROVED): "approve",
    (RequestStatus.SUBMITTED, RequestStatus.REJECTED): "reject",
    (RequestStatus.SUBMITTED, RequestStatus.CANCELLED): "cancel",
    (RequestStatus.APPROVED, RequestStatus.CANCELLED): "cancel",
    (RequestStatus.APPROVED, RequestStatus.ISSUED): "issue",
    (RequestStatus.ISSUED, RequestStatus.CLOSED): "close",
}


class PartsRequest(TrackedModel):
    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parts go to"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who receives the parts and accounts for their use."),
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    weeks_basis = models.PositiveIntegerField(_("failure-frequency window (weeks)"), default=8)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
    )
    decided_by = user_ref(_("approved/rejected by"))
    decided_at = models.DateTimeField(_("approved/rejected at"), null=True, blank=True)
    decision_note = models.TextField(_("approval note"), blank=True)
    issued_by = user_ref(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issue_note = models.TextField(_("issue note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("parts request")
        verbose_name_plural = _("parts requests")
        indexes = [models.Index(fields=["status", "kind", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def urgent(self) -> bool:
        return self.kind == RequestKind.URGENT

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:request_detail", args=[self.pk])


class PartsRequestLine(models.Model):
    request = models.ForeignKey(PartsRequest, on_delete=models.CASCADE, related_name="lines")
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    failures_seen = models.PositiveIntegerField(
        _("failed units in window"), null=True, blank=True, editable=False
    )
    suggested = models.PositiveIntegerField(_("suggested"), null=True, blank=True, editable=False)
    issued_quantity = models.PositiveIntegerField(_("issued"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("request line")
        constraints = [
            models.UniqueConstraint(fields=["request", "part"], name="fs_request_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.part.part_number} × {self.quantity}"


class MovementKind(models.TextChoices):
    ISSUE = "issue", _("Issued")  # from the warehouse to the holder (+)
    USE = "use", _("Used")  # fitted on a service case (-)
    RETURN = "return", _("Returned")  # back to the warehouse (-)


SIGN = {MovementKind.ISSUE: 1, MovementKind.USE: -1, MovementKind.RETURN: -1}


class PartMovement(models.Model):
    """One line of a holder's parts ledger; the balance is the signed sum."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("movement"), max_length=10, choices=MovementKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    at = models.DateTimeField(_("at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    request_line = models.ForeignKey(
        PartsRequestLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_record = models.ForeignKey(
        "fieldservice.ServiceRecord",
        verbose_name=_("service record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="part_movements",
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("part movement")
        indexes = [models.Index(fields=["holder", "part"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.part.part_number} × {self.quantity}"

    @property
    def signed_quantity(self) -> int:
        return SIGN[MovementKind(self.kind)] * self.quantity


class Disposition(models.TextChoices):
    REPAIR_WITH_PARTS = "repair_parts", _("Repair with parts sent from the company")  # 调件维修
    REWORK_ASSEMBLY = "rework_assembly", _("Rework the assembly")  # 总成返修


class TagStatus(models.TextChoices):
    # identified and tagged in the customer's stock
    TAGGED = "tagged", pgettext_lazy("tag status", "Tagged")
    RESOLVED = "resolved", _("Resolved")  # repaired or reworked per the disposition


TAG_TRANSITIONS: dict[tuple[str, str], str] = {
    (TagStatus.TAGGED, TagStatus.RESOLVED): "resolve",
}


class NonconformingTag(TrackedModel):
    """Nonconforming product found in the customer's stock is tagged (R-5.3.4.3; see the
    Nonconforming Product Control procedure)."""

    number = models.CharField(_("tag number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    location = models.CharField(pgettext_lazy("storage place", "location"), max_length=200)
    found_on = models.DateField(_("found on"))
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tagged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    nonconformity = models.TextField(_("nonconformity"))
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    parts_request = models.ForeignKey(
        PartsRequest,
        verbose_name=_("parts request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tags",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TagStatus.choices, default=TagStatus.TAGGED
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("nonconforming product tag")
        verbose_name_plural = _("nonconforming product tags")

    def __str__(self) -> str:
        return f"{self.number} {self.part.part_number} × {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:tag_detail", args=[self.pk])
