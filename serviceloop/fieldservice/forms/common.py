"""Shared form pieces and the forms of placements and escalations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import Department, User
from serviceloop.core.notifications import users_with_roles
from serviceloop.core.permissions import visible_customers
from serviceloop.core.roles import RoleCode
from serviceloop.customers.models import Customer

from ..filters import ESCALATION_FILTERS
from ..models import (
    AssignmentKind,
    EngineerAssignment,
    ServiceRecord,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT2 = forms.Textarea(attrs={"rows": 2})
TEXT3 = forms.Textarea(attrs={"rows": 3})


def engineers_qs():
    return users_with_roles(RoleCode.SERVICE_ENGINEER).order_by("username")


def departments_qs():
    return Department.objects.exclude(code="management")


class EngineerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.username})"


# ---------------------------------------------------------------- assignments


class AssignmentForm(forms.ModelForm):
    engineer = EngineerChoiceField(label=_("Engineer"), queryset=User.objects.none())

    class Meta:
        model = EngineerAssignment
        fields = [
            "kind",
            "engineer",
            "customer",
            "site",
            "address",
            "start_date",
            "end_date",
            "exception_reason",
            "notes",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "exception_reason": TEXT2, "notes": TEXT2}

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["engineer"].queryset = engineers_qs()
        f["customer"].queryset = visible_customers(user).filter(is_active=True)
        f["address"].help_text = _("Leave empty to use the customer's mailing address.")
        if editing:
            for name in ("kind", "engineer", "customer"):
                self.fields.pop(name)


class EndAssignmentForm(forms.Form):
    end_date = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.CharField(label=_("Why it ends"), widget=TEXT2)


class AssignmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *AssignmentKind.choices]
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("active", _("Active")),
            ("planned", _("Planned")),
            ("ended", _("Ended")),
        ],
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: self.cleaned_data.get(k) or "" for k in ("q", "kind", "state")}


# ---------------------------------------------------------------- escalations


class EscalationForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    title = forms.CharField(label=_("Problem"), max_length=200)
    description = forms.CharField(
        label=_("What was found and tried"), widget=forms.Textarea(attrs={"rows": 5})
    )
    service_record = forms.ModelChoiceField(
        label=_("Service record"), required=False, queryset=ServiceRecord.objects.none()
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["customer"].queryset = visible_customers(user).filter(is_active=True)
        f["service_record"].queryset = (
            ServiceRecord.objects.filter(engineer=user)
            .select_related("part")
            .order_by("-service_date", "-pk")[:100]
        )


class CoordinateForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments to involve"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(label=_("Solution due by"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments_qs()  # type: ignore[attr-defined]


class DueForm(forms.Form):
    due_date = forms.DateField(label=_("New due date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=TEXT2)


class SolutionForm(forms.Form):
    solution = forms.CharField(label=_("Agreed solution"), widget=TEXT3)


class ResultForm(forms.Form):
    result = forms.CharField(label=_("What was done and confirmed"), widget=TEXT3)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT2)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=TEXT2)


class OptionalNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)


EscalationFilterForm = ESCALATION_FILTERS.form
