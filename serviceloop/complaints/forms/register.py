"""Forms of the complaint register."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.people import PersonChoiceField, staff_people
from serviceloop.core.permissions import visible_customers

from ..models import Complaint, Kind, Severity, Status

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people(*, roles: tuple[str, ...] = ()):
    """Colleagues one may name (core.people: no agents or administrator, by department)."""
    return staff_people(roles=roles)


class ComplaintForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Kind.COMPLAINT, Kind.COMPLAINT.label), (Kind.RETURN, Kind.RETURN.label)],
    )

    class Meta:
        model = Complaint
        fields = [
            "kind",
            "customer",
            "customer_reference",
            "received_at",
            "part_number",
            "part_name",
            "lot",
            "quantity",
            "description",
            "in_production",
            "severity",
        ]
        widgets = {"received_at": DT, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["received_at"].input_formats = DT_FORMATS
        fields["customer"].queryset = visible_customers(user).filter(is_active=True)
        fields["part_number"].required = True
        fields["quantity"].required = True
        fields["quantity"].min_value = None  # the service names a bad quantity itself
        if editing:
            fields.pop("kind")
            fields.pop("customer")
            if self.instance.status != Status.REGISTERED:
                fields["received_at"].disabled = True
                fields["received_at"].help_text = _("Fixed once the 8D deadlines were set from it.")


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All")), *Severity.choices]
    )
    in_production = forms.ChoiceField(
        label=_("In production"),
        required=False,
        choices=[("", _("All")), ("1", _("yes")), ("0", _("no"))],
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DATE)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "status": d.get("status") or "",
            "kind": d.get("kind") or "",
            "severity": d.get("severity") or "",
            "in_production": {"1": True, "0": False}.get(d.get("in_production") or ""),
            "received_from": d.get("received_from"),
            "received_to": d.get("received_to"),
        }

    def describe(self) -> str:
        if not self.is_valid():
            return ""
        return ", ".join(
            f"{self.fields[k].label}={v}"
            for k, v in self.cleaned_data.items()
            if v not in ("", None)
        )


class OpenEightDForm(forms.Form):
    leader = PersonChoiceField(
        label=_("8D leader (Quality)"),
        queryset=people(roles=("quality",)),
        required=False,
        help_text=_("Leave empty to hand it to Quality Management to assign."),
    )
