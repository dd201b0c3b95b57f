from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import Department, User
from serviceloop.core.permissions import visible_customers
from serviceloop.customers.models import Customer

from .filters import RECORD_FILTERS
from .models import VisitPlanItem, VisitRecord

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]


class VisitRecordForm(forms.ModelForm):
    class Meta:
        model = VisitRecord
        fields = [
            "customer",
            "plan_item",
            "visited_at",
            "visitors",
            "customer_people",
            "summary",
            "opinions",
            "product_quality",
            "service_quality",
            "satisfaction",
            "problems",
        ]
        widgets = {
            "visited_at": DT,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "opinions": forms.Textarea(attrs={"rows": 3}),
            "product_quality": forms.Textarea(attrs={"rows": 2}),
            "service_quality": forms.Textarea(attrs={"rows": 2}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "satisfaction": forms.Select(choices=[(i, str(i)) for i in range(1, 6)]),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["visited_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        fields["customer"].queryset = visible_customers(user).filter(is_active=True)
        fields["plan_item"].queryset = VisitPlanItem.objects.select_related("plan", "customer")
        fields["plan_item"].required = False
        fields["visitors"].required = False
        fields["visitors"].help_text = _("Leave empty for yourself.")


RecordFilterForm = RECORD_FILTERS.form


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DistributeForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.exclude(code="sales"),
        widget=forms.CheckboxSelectMultiple,
    )


class RaiseForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.filter(is_active=True))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Effective?"),
        choices=[("1", _("Effective: verified")), ("0", _("Not effective: reopen"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Verification"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PlanItemForm(forms.Form):
    customer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Customer"), queryset=Customer.objects.none()
    )
    planned_month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=300)
    visitors = forms.CharField(label=_("Who goes"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = visible_customers(user).filter(is_active=True)  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    send_back = forms.BooleanField(label=_("Send back to Sales"), required=False)
