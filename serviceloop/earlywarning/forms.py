from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core.permissions import visible_customers
from serviceloop.core.widgets import LargeSelect
from serviceloop.customers.contact_picker import contact_picker
from serviceloop.customers.selectors import choice_rows

from .models import (
    AlertKind,
    AlertStatus,
    Channel,
    FailureAnalysisReport,
    ReportStatus,
    Severity,
    SurveyKind,
)
from .models.data import MONTH_RE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.TextInput(attrs={"placeholder": "2025-03", "pattern": r"\d{4}-\d{2}"})


def _customers(user: Any) -> Any:
    return visible_customers(user).filter(is_active=True).order_by("code")


class MonthField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", MONTH)
        kwargs.setdefault("help_text", _("YYYY-MM"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value and not MONTH_RE.match(value):
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2025-03."))
        return value


class AlertFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Signal"), required=False, choices=[("", _("All signals")), *AlertKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), ("open", _("Open")), *AlertStatus.choices],
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("All")), *Severity.choices]
    )
    part_number = forms.CharField(label=_("Part number"), required=False)
    customer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Customer"),
        required=False,
        queryset=None,
        empty_label=_("All customers"),
        widget=LargeSelect(rows=choice_rows),  # every customer: thousands of options
    )
    signalling = forms.ChoiceField(
        label=_("Signalling"),
        required=False,
        choices=[("", _("All")), ("1", _("Still signalling")), ("0", _("No longer signalling"))],
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers(user)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        status = d.get("status") or ""
        return {
            "q": d.get("q") or "",
            "kind": d.get("kind") or "",
            "status": "" if status == "open" else status,
            "open_only": status == "open",
            "severity": d.get("severity") or "",
            "part_number": d.get("part_number") or "",
            "customer": d["customer"].pk if d.get("customer") else None,
            "signalling": {"1": True, "0": False}.get(d.get("signalling") or ""),
        }


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.ModelForm):
    class Meta:
        model = FailureAnalysisReport
        fields = ["title", "phenomenon", "analysis", "causes", "actions", "scope"]
        widgets = {
            "phenomenon": forms.Textarea(attrs={"rows": 4}),
            "analysis": forms.Textarea(attrs={"rows": 12}),
            "causes": forms.Textarea(attrs={"rows": 5}),
            "actions": forms.Textarea(attrs={"rows": 6}),
            "scope": forms.Textarea(attrs={"rows": 3}),
        }


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ReportStatus.choices]
    )


class NotificationForm(forms.Form):
    customer: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    notified_on = forms.DateField(label=_("Notified on"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    contact = forms.Field(label=_("Customer contact"), required=False)  # a picker, see __init__
    contact_name = forms.CharField(
        label=_("New contact (not in the archive)"), required=False, max_length=100
    )
    agreed_solution = forms.CharField(
        label=_("Agreed solution"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("notified_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers(user)  # type: ignore[attr-defined]
        contact_picker(self, user)


class ProductionForm(forms.Form):
    part_number = forms.CharField(label=_("Part number"), max_length=60)
    part_name = forms.CharField(label=_("Part name"), max_length=200, required=False)
    build_month = MonthField(label=_("Build month"))
    quantity = forms.IntegerField(label=_("Units built / shipped"), min_value=0)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("part_number", "build_month"):
                self.fields[name].disabled = True


class BaselineForm(forms.Form):
    """A claim baseline given per part and month in service (ADR 0004)."""

    part_number = forms.CharField(label=_("Part number"), max_length=60)
    mis = forms.IntegerField(label=_("Month in service"), min_value=1, max_value=12)
    per_thousand = forms.FloatField(
        label=_("Expected claims per 1,000 units"),
        min_value=0,
        max_value=1000,
        help_text=_("At this month in service, e.g. 2 = two claims per 1,000 units at risk."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where the rate comes from: engineering target, previous generation …"),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("part_number", "mis"):
                self.fields[name].disabled = True

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "part_number": d["part_number"],
            "mis": d["mis"],
            "rate_per_unit": d["per_thousand"] / 1000.0,
            "source": d["source"],
        }


class PurchaseForm(forms.Form):
    customer: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    month = MonthField(label=_("Month"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0)
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers(user)  # type: ignore[attr-defined]
        if editing:
            for name in ("customer", "month"):
                self.fields[name].disabled = True


class SurveyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Survey"), choices=SurveyKind.choices)
    customer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=None,
        required=False,
        help_text=_("Required for a customer-satisfaction survey."),
    )
    date = forms.DateField(label=_("Survey date"), widget=DATE)
    scale = forms.TypedChoiceField(
        label=_("Scale"), choices=[(100, _("0-100")), (5, _("1-5"))], coerce=int, initial=100
    )
    raw_score = forms.DecimalField(
        label=_("Score"),
        max_digits=6,
        decimal_places=2,
        help_text=_("On the chosen scale; a 1-5 answer is converted to 0-100."),
    )
    respondent = forms.CharField(label=_("Respondent"), max_length=100, required=False)
    comments = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers(user)  # type: ignore[attr-defined]


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class DataFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    customer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Customer"), required=False, queryset=None, empty_label=_("All customers")
    )
    kind = forms.ChoiceField(
        label=_("Survey"), required=False, choices=[("", _("All")), *SurveyKind.choices]
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = _customers(user)  # type: ignore[attr-defined]

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return None
        return self.cleaned_data.get(name)
