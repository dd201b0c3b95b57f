"""The reply letter to the customer (回答书, R-5.5.6), the customers' own letter forms, and the
circulation of each closed complaint to the Management Representative and the General
Manager (R-5.5.8)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core.fields import done_fields, optional_ref, required_user_ref, status_field
from serviceloop.core.models import TrackedModel
from serviceloop.core.roles import RoleCode
from serviceloop.customers.models import Customer

from .eightd import EightDReport


class ReplyTemplate(TrackedModel):
    """The form a customer requires its reply letters in (R-5.5.6); Quality keeps it.
    Customers without one get the default Chinese letter (documents/letters.py)."""

    customer = models.OneToOneField(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="reply_template",
    )
    title = models.CharField(_("letter title"), max_length=100)
    subject = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("letter body"))
    attach_8d = models.BooleanField(
        _("attach the full 8D report"),
        default=False,
        help_text=_("Some customers require the complete 8D report with the letter."),
    )
    notes = models.TextField(_("notes on the customer's requirements"), blank=True)

    class Meta:
        ordering = ["customer__code"]
        verbose_name = _("reply letter form")
        verbose_name_plural = _("reply letter forms")

    def __str__(self) -> str:
        return f"{self.customer.code} {self.title}"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # Quality writes it
    SENT = "sent", _("Sent")  # Sales sent it to the customer


REPLY_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReplyStatus.DRAFT, ReplyStatus.SENT): "reply_send",
}


class SendMethod(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    FAX = "fax", _("Fax")
    PORTAL = "portal", _("Customer portal")
    HAND = "hand", _("Handed over")


class ReplyLetter(TrackedModel):
    report = models.OneToOneField(
        EightDReport, verbose_name=_("8D report"), on_delete=models.PROTECT, related_name="reply"
    )
    status = status_field(ReplyStatus, ReplyStatus.DRAFT, max_length=10)
    template = optional_ref(ReplyTemplate, _("letter form"), related_name="letters")
    title = models.CharField(_("letter title"), max_length=100)
    subject = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("letter body"))
    attach_8d = models.BooleanField(_("attach the full 8D report"), default=False)
    drafted_by = required_user_ref(_("drafted by"))
    sent_at, sent_by = done_fields(_("sent at"), _("sent by"))
    sent_to = models.CharField(_("sent to"), max_length=200, blank=True)
    send_method = models.CharField(
        _("sent by way of"), max_length=10, choices=SendMethod.choices, blank=True
    )

    class Meta:
        verbose_name = _("reply letter")
        verbose_name_plural = _("reply letters")

    def __str__(self) -> str:
        return f"{self.report.number} {self.title}"


CIRCULATION_ROLES = (RoleCode.MGMT_REP, RoleCode.GENERAL_MANAGER)


class Circulation(models.Model):
    """A closed complaint and its result, circulated to one of the two addressees of
    R-5.5.8; whoever holds that role acknowledges it."""

    report = models.ForeignKey(EightDReport, on_delete=models.CASCADE, related_name="circulation")
    role = models.CharField(
        _("addressee"),
        max_length=40,
        choices=[(c.value, c.label) for c in CIRCULATION_ROLES],
    )
    circulated_at = models.DateTimeField(_("circulated at"), default=timezone.now)
    acknowledged_at, acknowledged_by = done_fields(_("acknowledged at"), _("acknowledged by"))
    note = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "role"]
        verbose_name = _("circulation")
        constraints = [
            models.UniqueConstraint(fields=["report", "role"], name="circulation_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.report.number} → {self.get_role_display()}"
