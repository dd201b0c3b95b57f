"""Customer archive (客户档案, R-5.2.2): kept permanently (R-7.2) — customers are deactivated,
never deleted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core.fields import customer_ref, optional_ref
from serviceloop.core.models import Agent, DetailLink, TrackedModel


class Tier(models.TextChoices):
    """Customer tiers of R-5.2.2; they decide the service model (R-5.3)."""

    OEM_TIER1 = "oem_tier1", _("Tier-1 OEM")  # resident engineers
    OEM_TIER2 = "oem_tier2", _("Tier-2 OEM")  # no resident engineer normally (R-5.3.4.1)
    RETAIL_KEY = "retail_key", _("Key retail user")  # named engineer
    RETAIL = "retail", _("Retail user")  # served by sales staff or agents


class Customer(DetailLink, TrackedModel):
    detail_view = "customers:detail"

    code = models.CharField(_("customer code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    agent = optional_ref(Agent, _("agent"), related_name="customers")
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    mailing_address = models.CharField(_("mailing address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["tier"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Contact(TrackedModel):
    customer = customer_ref(related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(pgettext_lazy("contact", "title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        ordering = ["-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


class ServiceAgreement(TrackedModel):
    """A service agreement with a customer; its warranty terms override the defaults of
    R-5.6.1.1 for claims whose purchase date falls within its validity."""

    customer = customer_ref(related_name="agreements")
    reference = models.CharField(_("agreement reference"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Leave empty for an open-ended agreement."),
    )
    warranty_months = models.PositiveIntegerField(_("warranty months"), null=True, blank=True)
    warranty_km = models.PositiveIntegerField(_("warranty km"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["customer", "-valid_from"]
        verbose_name = _("service agreement")
        verbose_name_plural = _("service agreements")

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.reference or self.customer.code} {self.valid_from.isoformat()}–{end}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The end of validity must not be before its start.")
        if self.warranty_months is not None and self.warranty_months < 1:
            errors["warranty_months"] = _("Warranty months must be at least 1.")
        if self.warranty_months is not None and self.warranty_months > 1200:
            errors["warranty_months"] = _("Warranty months must be at most 1200.")
        if self.warranty_km is not None and self.warranty_km < 1:
            errors["warranty_km"] = _("Warranty km must be at least 1.")
        if errors:
            raise ValidationError(errors)

    def overlaps(self, other: ServiceAgreement) -> bool:
        a_end = self.valid_to or self.valid_from.max
        b_end = other.valid_to or other.valid_from.max
        return self.valid_from <= b_end and other.valid_from <= a_end
