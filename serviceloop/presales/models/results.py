"""Results of analysis and corrective action told to the customer (R-5.2.5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import TrackedModel
from serviceloop.customers.models import Customer


class ResultLetter(TrackedModel):
    """A letter to the customer drafted from a communication or a requirement; linked to
    the continuous-improvement action it feeds."""

    number = models.CharField(_("number"), max_length=30, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    communication = models.ForeignKey(
        "communications.Communication",
        verbose_name=_("communication"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requirement = models.ForeignKey(
        "presales.CustomerRequirement",
        verbose_name=_("customer requirement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result_letters",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("letter"))
    improvement_reference = models.CharField(
        _("continuous-improvement action"), max_length=200, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("result letter")
        verbose_name_plural = _("result letters")

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"
