from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.late_entry import late_reason_field
from serviceloop.core.models import Department
from serviceloop.core.people import PersonChoiceField, staff_people
from serviceloop.core.permissions import can, visible_customers
from serviceloop.customers.contact_picker import contact_picker

from .models import Channel, Communication, Status

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CommunicationForm(forms.ModelForm):
    route_to = forms.ModelMultipleChoiceField(
        label=_("Route to departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instruction = forms.CharField(
        label=_("What the departments must do"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Communication
        fields = [
            "customer",
            "channel",
            "received_at",
            "contact",
            "contact_name",
            "subject",
            "body",
            "major_quality_issue",
            "owner",
        ]
        widgets = {"received_at": DT, "body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["received_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        fields["customer"].queryset = visible_customers(user).filter(is_active=True)
        fields["owner"] = PersonChoiceField(
            label=fields["owner"].label,
            queryset=staff_people(action="communication.change"),
            required=False,
        )
        self.fields["owner"].help_text = _("Leave empty to own it yourself.")
        fields["contact_name"].label = _("New contact (not in the archive)")
        if editing:
            for name in ("customer", "major_quality_issue", "route_to", "instruction"):
                self.fields.pop(name)
        elif can(user, "customer.change"):
            fields["add_contact"] = forms.BooleanField(
                label=_("Add the new contact to the customer archive"), required=False
            )
            names = list(fields)
            self.order_fields([*names[: names.index("contact_name") + 1], "add_contact"])
        contact_picker(self, user, customer_id=self.instance.customer_id if editing else None)


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    at = forms.DateTimeField(
        label=_("Time (empty = now)"), required=False, widget=DT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    reason = late_reason_field()


class ExtendForm(forms.Form):
    new_due = forms.DateTimeField(
        label=_("New feedback deadline"), widget=DT, input_formats=["%Y-%m-%dT%H:%M"]
    )
    reason = forms.CharField(
        label=_("Special circumstance"), widget=forms.Textarea(attrs={"rows": 2})
    )


class RouteForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    instruction = forms.CharField(
        label=_("What is needed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_at = forms.DateTimeField(
        label=_("Reply due (empty = the feedback deadline)"),
        required=False,
        widget=DT,
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class RespondForm(forms.Form):
    text = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 2}))


class CommunicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices]
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[("", _("All")), ("1", _("Overdue only")), ("0", _("Not overdue"))],
    )
    major = forms.ChoiceField(
        label=_("Major problem"), required=False, choices=[("", _("All")), ("1", _("Major only"))]
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self, user) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "q": d.get("q") or "",
            "channel": d.get("channel") or "",
            "status": d.get("status") or "",
            "overdue": {"1": True, "0": False}.get(d.get("overdue") or ""),
            "major": True if d.get("major") == "1" else None,
            "owner": user.pk if d.get("mine") else None,
            "received_from": d.get("received_from"),
            "received_to": d.get("received_to"),
        }


class MajorFlagForm(forms.Form):
    """What Quality needs to open the 8D at once (R-5.9.5): the part, lot and quantity,
    prefilled from the communication's words for the flagger to correct."""

    part_number = forms.CharField(label=_("Part number"), max_length=60)
    part_name = forms.CharField(label=_("Part name"), max_length=100, required=False)
    lot = forms.CharField(label=_("Lot / batch"), max_length=60, required=False)
    quantity = forms.IntegerField(label=_("Quantity affected"), min_value=1, required=False)
    description = forms.CharField(
        label=_("Problem description"), widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label=_("Why it is a major problem"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def prefilled(cls, comm: Communication, **kwargs: Any) -> "MajorFlagForm":
        from .domain import part_facts

        facts = part_facts(comm.subject, comm.body)
        initial = {**facts, "description": f"{comm.subject}\n{comm.body}"}
        return cls(initial=initial, **kwargs)
