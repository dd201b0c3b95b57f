from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.permissions import visible_customers
from serviceloop.customers.models import Customer

from .domain import rules
from .models import INPUTS_OPEN, Decision, Remedy, Status, WarrantyClaim
from .templatetags.warranty_tags import label

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
INPUT_NAMES = ("customer", "purchase_date", "failure_date", "mileage_km", "findings", "repairable")
FAILURE_MODES = ["漏油", "异响", "断裂", "减振失效", "锈蚀", "磨损", "变形", "卡滞"]


def finding_choices() -> list[tuple[str, str]]:
    return [(f.value, label(f.value)) for f in rules.Finding]


class RepairableSelect(forms.NullBooleanSelect):
    def __init__(self, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Not established")),
            ("true", _("Yes, it can be repaired")),
            ("false", _("No, it cannot be repaired")),
        ]


class ClaimForm(forms.Form):
    """Register or correct a claim. Field names are the service's keyword arguments."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    reported_on = forms.DateField(label=_("Reported on"), required=False, widget=DATE)
    purchase_date = forms.DateField(
        label=_("Purchase date"),
        required=False,
        widget=DATE,
        help_text=_("The user's purchase date; the warranty runs from it (R-5.6.1.1)."),
    )
    failure_date = forms.DateField(label=_("Failure date"), required=False, widget=DATE)
    mileage_km = forms.DecimalField(
        label=_("Mileage at failure (km)"),
        required=False,
        help_text=_("Leave empty for a part that is not in a vehicle."),
    )
    findings = forms.MultipleChoiceField(
        label=_("Inspection findings"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What inspection established (R-5.6.1.2/3, R-5.6.2)."),
    )
    repairable = forms.NullBooleanField(label=_("Repairable"), widget=RepairableSelect)
    part_number = forms.CharField(label=_("Part number"), max_length=60, required=False)
    part_name = forms.CharField(label=_("Part name"), max_length=100, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=60, required=False)
    lot = forms.CharField(label=_("Lot"), max_length=60, required=False)
    build_month = forms.CharField(
        label=_("Production month"),
        max_length=7,
        required=False,
        widget=MONTH,
        help_text=_("YYYY-MM; groups claims into production cohorts for early warning."),
    )
    oem = forms.CharField(label=_("OEM (配套厂家)"), max_length=200, required=False)
    vin = forms.CharField(label=_("VIN"), max_length=30, required=False)
    vehicle_model = forms.CharField(label=_("Vehicle model"), max_length=100, required=False)
    failure_mode = forms.CharField(
        label=_("Failure mode"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "failure-modes"}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    replacement_serial = forms.CharField(
        label=_("Replacement part serial"), max_length=60, required=False
    )
    cost_parts = forms.DecimalField(label=_("Parts cost"), required=False, decimal_places=2)
    cost_labour = forms.DecimalField(label=_("Labour cost"), required=False, decimal_places=2)
    cost_travel = forms.DecimalField(label=_("Travel cost"), required=False, decimal_places=2)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history with the new decision."),
    )

    GROUPS = (
        (_("Claim"), ("customer", "reported_on", "purchase_date", "failure_date", "mileage_km")),
        (_("Inspection"), ("findings", "repairable", "failure_mode", "description")),
        (
            _("Part and vehicle"),
            (
                "part_number",
                "part_name",
                "serial_number",
                "lot",
                "build_month",
                "oem",
                "vin",
                "vehicle_model",
                "replacement_serial",
            ),
        ),
        (_("Costs (CNY)"), ("cost_parts", "cost_labour", "cost_travel")),
        (_("Change"), ("reason",)),
    )

    def __init__(self, *args: Any, user: Any, claim: WarrantyClaim | None = None, **kw: Any):
        if claim is not None and "initial" not in kw:
            kw["initial"] = {n: getattr(claim, n) for n in self.base_fields if n != "reason"}
            kw["initial"]["customer"] = claim.customer_id
        super().__init__(*args, **kw)
        fields: Any = self.fields
        fields["customer"].queryset = visible_customers(user).filter(is_active=True)
        fields["findings"].choices = finding_choices()
        self.claim = claim
        if claim is None:
            del self.fields["reason"]
        else:
            fields["customer"].queryset = visible_customers(user)
            if claim.status not in INPUTS_OPEN:
                for name in INPUT_NAMES:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "The decision inputs can only change before approval; "
                        "reopen the claim first."
                    )

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (title, [self[n] for n in names if n in self.fields]) for title, names in self.GROUPS
        ]

    def service_data(self) -> dict[str, Any]:
        """The cleaned data as the service's keyword arguments (unchanged inputs of a claim
        that can no longer change them are left out)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "reason"}
        if self.claim is not None and self.claim.status not in INPUTS_OPEN:
            for name in INPUT_NAMES:
                data.pop(name, None)
        for name in ("cost_parts", "cost_labour", "cost_travel"):
            if data.get(name) is None:
                data[name] = 0
        return data


class OverrideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), required=False)
    remedy = forms.ChoiceField(label=_("Remedy"), required=False)
    reason = forms.CharField(
        label=_("Reason for the override"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = [("", _("(keep as is)"))]
        fields: Any = self.fields
        fields["decision"].choices = keep + [
            (d, label(d)) for d in (Decision.COVERED, Decision.NOT_COVERED)
        ]
        fields["remedy"].choices = keep + [(r.value, label(r.value)) for r in Remedy]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SettleForm(forms.Form):
    replacement_serial = forms.CharField(
        label=_("Replacement part serial"), max_length=60, required=False
    )
    cost_parts = forms.DecimalField(label=_("Parts cost"), required=False, decimal_places=2)
    cost_labour = forms.DecimalField(label=_("Labour cost"), required=False, decimal_places=2)
    cost_travel = forms.DecimalField(label=_("Travel cost"), required=False, decimal_places=2)
    note = forms.CharField(
        label=_("Settlement note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class ClaimFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    decision = forms.ChoiceField(label=_("Decision"), required=False)
    part_number = forms.CharField(label=_("Part number"), required=False)
    build_month = forms.CharField(label=_("Production month"), required=False, widget=MONTH)
    overridden = forms.ChoiceField(
        label=_("Override"),
        required=False,
        choices=[("", _("All")), ("1", _("Overridden only")), ("0", _("Not overridden"))],
    )
    failure_from = forms.DateField(label=_("Failed from"), required=False, widget=DATE)
    failure_to = forms.DateField(label=_("Failed to"), required=False, widget=DATE)
    import_batch = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [("", _("All statuses")), *Status.choices]
        fields["decision"].choices = [("", _("All decisions"))] + [
            (d.value, label(d.value)) for d in rules.Decision
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "status": d.get("status") or "",
            "decision": d.get("decision") or "",
            "part_number": (d.get("part_number") or "").strip(),
            "build_month": (d.get("build_month") or "").strip(),
            "overridden": {"1": True, "0": False}.get(d.get("overridden") or ""),
            "failure_from": d.get("failure_from"),
            "failure_to": d.get("failure_to"),
            "import_batch": d.get("import_batch"),
        }
