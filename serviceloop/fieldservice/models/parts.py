"""Parts in the field: the catalogue, requests to the finished-goods warehouse (engineers'
spare parts by failure frequency, R-5.3.4.3; Sales' urgent draws, R-5.9.3), the ledger of
what each holder was issued, used and returned, and nonconforming product tagged in the
customer's stock (R-5.3.4.3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core import fields
from serviceloop.core.models import DetailLink, TrackedModel


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


class PartsRequest(DetailLink, TrackedModel):
    detail_view = "fieldservice:request_detail"

    number = fields.number_field()
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    requested_by = fields.required_user_ref(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    holder = fields.required_user_ref(
        _("parts go to"), help_text=_("Who receives the parts and accounts for their use.")
    )
    customer = fields.customer_ref()
    reason = models.TextField(_("reason"), blank=True)
    weeks_basis = models.PositiveIntegerField(_("failure-frequency window (weeks)"), default=8)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = fields.status_field(RequestStatus, RequestStatus.SUBMITTED, max_length=10)
    decided_by = fields.user_ref(_("approved/rejected by"))
    decided_at = fields.optional_time(_("approved/rejected at"))
    decision_note = models.TextField(_("approval note"), blank=True)
    issued_by = fields.user_ref(_("issued by"))
    issued_at = fields.optional_time(_("issued at"))
    issue_note = models.TextField(_("issue note"), blank=True)
    closed_at = fields.optional_time(_("closed at"))
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


class PartsRequestLine(models.Model):
    request = models.ForeignKey(PartsRequest, on_delete=models.CASCADE, related_name="lines")
    part = fields.ref(Part, _("part"))
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

    holder = fields.required_user_ref(_("holder"))
    part = fields.ref(Part, _("part"))
    kind = models.CharField(_("movement"), max_length=10, choices=MovementKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    at = models.DateTimeField(_("at"))
    recorded_by = fields.required_user_ref(_("recorded by"))
    request_line = fields.optional_ref(PartsRequestLine)
    service_record = fields.optional_ref(
        "fieldservice.ServiceRecord", _("service record"), related_name="part_movements"
    )
    customer = fields.customer_ref(optional=True)
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


class NonconformingTag(DetailLink, TrackedModel):
    """Nonconforming product found in the customer's stock is tagged (R-5.3.4.3; see the
    Nonconforming Product Control procedure)."""

    detail_view = "fieldservice:tag_detail"

    number = fields.number_field(_("tag number"))
    customer = fields.customer_ref()
    part = fields.ref(Part, _("part"))
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    location = models.CharField(pgettext_lazy("storage place", "location"), max_length=200)
    found_on = models.DateField(_("found on"))
    tagged_by = fields.required_user_ref(_("tagged by"))
    nonconformity = models.TextField(_("nonconformity"))
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices)
    parts_request = fields.optional_ref(PartsRequest, _("parts request"), related_name="tags")
    status = fields.status_field(TagStatus, TagStatus.TAGGED, max_length=10)
    resolved_at, resolved_by = fields.done_fields(_("resolved at"), None)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("nonconforming product tag")
        verbose_name_plural = _("nonconforming product tags")

    def __str__(self) -> str:
        return f"{self.number} {self.part.part_number} × {self.quantity}"
