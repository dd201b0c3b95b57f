from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import Agent

from .models import Contact, Customer, ServiceAgreement, Tier


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "code",
            "name",
            "tier",
            "agent",
            "province",
            "city",
            "mailing_address",
            "postal_code",
            "phone",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "is_primary"]


class AgreementForm(forms.ModelForm):
    class Meta:
        model = ServiceAgreement
        fields = ["reference", "valid_from", "valid_to", "warranty_months", "warranty_km", "notes"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("code, name, city, contact")}),
    )
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("All tiers")), *Tier.choices]
    )
    agent = forms.ModelChoiceField(
        label=_("Agent"), required=False, queryset=Agent.objects.all(), empty_label=_("All agents")
    )
    active = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        active = {"1": True, "0": False}.get(d.get("active") or "")
        return {
            "q": d.get("q") or "",
            "tier": d.get("tier") or "",
            "agent": d["agent"].pk if d.get("agent") else None,
            "active": active,
        }
