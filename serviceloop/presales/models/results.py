"""Results of analysis and corrective action told to the customer (R-5.2.5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from serviceloop.core import fields
from serviceloop.core.models import TrackedModel


class ResultLetter(TrackedModel):
    """A letter to the customer drafted from a communication or a requirement; linked to
    the continuous-improvement action it feeds."""

    number = fields.number_field()
    customer = fields.customer_ref()
    communication = fields.optional_ref("communications.Communication", _("communication"))
    requirement = fields.optional_ref(
        "presales.CustomerRequirement", _("customer requirement"), related_name="result_letters"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("letter"))
    improvement_reference = models.CharField(
        _("continuous-improvement action"), max_length=200, blank=True
    )
    sent_at, sent_by = fields.done_fields(_("sent at"), None)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("result letter")
        verbose_name_plural = _("result letters")

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"
