"""Forms of service records: the full form, the phone form, decisions, import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core.permissions import visible_customers
from serviceloop.customers.models import Customer

from ..models import (
    FailureMode,
    Outcome,
    Part,
)
from .common import DATE, TEXT2

# ---------------------------------------------------------------- service records


class PartNumberField(forms.CharField):
    """A part typed by its number (with suggestions), resolved to the catalogue entry."""

    def clean(self, value: Any) -> Part | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        part = Part.objects.filter(part_number__iexact=text).first()
        if part is None:
            raise forms.ValidationError(_("Unknown part number %s.") % text)
        return part


class RecordForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    service_date = forms.DateField(label=_("Date"), widget=DATE)
    oem = forms.CharField(
        label=_("OEM (vehicle maker)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "oem-list"}),
    )
    part = PartNumberField(
        label=_("Part number"),
        widget=forms.TextInput(attrs={"list": "part-list", "autocomplete": "off"}),
    )
    vehicle = forms.CharField(label=_("Vehicle"), required=False, max_length=200)
    mileage_km = forms.IntegerField(label=_("Mileage (km)"), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), initial=1)
    defect = forms.CharField(label=_("Defect"), widget=TEXT2)
    failure_mode = forms.ChoiceField(
        label=_("Failure mode"), choices=FailureMode.choices, widget=forms.RadioSelect
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    outcome_note = forms.CharField(label=_("Outcome details"), required=False, widget=TEXT2)
    major_problem = forms.BooleanField(
        label=_("Major quality problem (notify leadership now)"), required=False
    )

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["customer"].queryset = visible_customers(user).filter(is_active=True)
        if editing:
            self.fields.pop("major_problem")


class QuickRecordForm(RecordForm):
    """The phone form: the few fields that matter, big targets, remembered defaults."""

    used_from_stock = forms.IntegerField(
        label=_("Spare parts fitted from my stock"),
        required=False,
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, can_use_parts: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("mileage_km", "outcome_note"):
            self.fields.pop(name)
        if not can_use_parts:
            self.fields.pop("used_from_stock")
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    failure_mode = forms.ChoiceField(
        label=_("Failure mode"), required=False, choices=[("", _("All")), *FailureMode.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *Outcome.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=DATE)
    major = forms.BooleanField(label=_("Major only"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def filters(self, user: Any) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "failure_mode": d.get("failure_mode") or "",
            "outcome": d.get("outcome") or "",
            "date_from": d.get("date_from"),
            "date_to": d.get("date_to"),
            "major": True if d.get("major") else None,
            "engineer": user.pk if d.get("mine") else None,
        }


class HandlingForm(forms.Form):
    confirmed_our_problem = forms.BooleanField(
        label=_("Confirmed as our product's quality problem"), required=False
    )
    repairable = forms.TypedChoiceField(
        label=_("Can it be repaired?"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes — repair it")), ("no", _("No — return or replace it"))],
        widget=forms.RadioSelect,
    )
    handling = forms.ChoiceField(
        label=_("Handling"),
        choices=[("repair", _("Repair")), ("return", _("Return")), ("replace", _("Replace"))],
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT2)
    major = forms.BooleanField(
        label=_("Major quality problem: escalate to Sales leadership now"), required=False
    )


class UsePartsForm(forms.Form):
    part = PartNumberField(
        label=_("Part number"), widget=forms.TextInput(attrs={"list": "part-list"})
    )
    quantity = forms.IntegerField(label=_("Quantity"))
    note = forms.CharField(label=_("Note"), required=False)


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("Why it is major"), required=False, widget=TEXT2)
