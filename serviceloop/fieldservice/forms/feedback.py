"""Forms of weekly feedback and information feedback forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from serviceloop.core.models import Department, User

from ..models import (
    FailureMode,
    InfoCategory,
    InfoFormStatus,
)
from .common import DATE, TEXT2, TEXT3, EngineerChoiceField, departments_qs, engineers_qs
from .records import PartNumberField

# ---------------------------------------------------------------- feedback


class SubmitFeedbackForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for Sales"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Main problems of the week, what the customer said, what Sales should know."),
    )


class InfoFormForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=InfoCategory.choices)
    period_from = forms.DateField(label=_("Period from"), widget=DATE)
    period_to = forms.DateField(label=_("Period to"), widget=DATE)
    failure_mode = forms.ChoiceField(
        label=_("Records: failure mode"),
        required=False,
        choices=[("", _("All")), *FailureMode.choices],
    )
    part = PartNumberField(
        label=_("Records: part number"),
        required=False,
        widget=forms.TextInput(attrs={"list": "part-list"}),
    )
    engineer = EngineerChoiceField(
        label=_("Records: service engineer"), required=False, queryset=User.objects.none()
    )
    summary = forms.CharField(
        label=pgettext_lazy("information feedback", "Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    requested_action = forms.CharField(label=_("Action requested"), required=False, widget=TEXT3)
    major_problem = forms.BooleanField(
        label=_("Major typical problem (8D at once)"), required=False
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = engineers_qs()  # type: ignore[attr-defined]
        if editing:
            self.fields.pop("major_problem")

    def record_filters(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "date_from": d["period_from"],
            "date_to": d["period_to"],
            "failure_mode": d.get("failure_mode") or "",
            "part": d["part"].pk if d.get("part") else None,
            "engineer": d["engineer"].pk if d.get("engineer") else None,
        }


class IssueInfoForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Send to"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments_qs().exclude(  # type: ignore[attr-defined]
            code="sales"
        )


class AckForm(forms.Form):
    response = forms.CharField(label=_("Response (optional)"), required=False, widget=TEXT2)


class InfoFormFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *InfoFormStatus.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *InfoCategory.choices]
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: self.cleaned_data.get(k) or "" for k in ("q", "status", "category")}


def today_str() -> str:
    return timezone.localdate().isoformat()
