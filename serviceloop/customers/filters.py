"""The customer list's filters, declared once for the page's form, the API and the selector."""

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.filterspec import Filter, FilterSpec, from_yes_no, yes_no
from serviceloop.core.models import Agent

from .models import Tier

CUSTOMER_FILTERS = FilterSpec(
    "CustomerFilters",
    Filter(
        "q",
        str,
        search=("code", "name", "city", "contacts__name", "contacts__phone"),
        field=forms.CharField(
            label=_("Search"),
            required=False,
            widget=forms.TextInput(attrs={"placeholder": _("code, name, city, contact")}),
        ),
    ),
    Filter("tier", str, _("Tier"), choices=Tier.choices, blank=_("All tiers"), lookup="tier"),
    Filter(
        "agent",
        int,
        lookup="agent_id",
        field=forms.ModelChoiceField(
            label=_("Agent"),
            required=False,
            queryset=Agent.objects.all(),
            empty_label=_("All agents"),
        ),
        clean=lambda agent: agent.pk if agent else None,
    ),
    Filter("province", str, lookup="province", form=False),
    Filter(
        "active",
        bool,
        lookup="is_active",
        field=yes_no(_("Status"), _("Active"), _("Inactive")),
        clean=from_yes_no,
    ),
)
