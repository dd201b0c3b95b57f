"""Forms of the pre-sale pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import Department, User
from serviceloop.core.permissions import visible_customers
from serviceloop.customers.contact_picker import contact_picker

from .models import EVALUATING_DEPARTMENTS, MilestoneCode, SpecialKind, Verdict
from .models.samples import SAMPLE_APPROVERS

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
D = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class CustomerField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=None, label=_("Customer"), **kwargs)


class _CustomerForm(forms.Form):
    customer = CustomerField()

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["customer"]
        field.queryset = visible_customers(user).filter(is_active=True)


class RequirementForm(_CustomerForm):
    contact = forms.Field(label=_("Customer contact"), required=False)  # a picker, see __init__
    received_at = forms.DateTimeField(label=_("Received at"), widget=DT, input_formats=DT_FORMATS)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Requirement (exactly as the customer stated it)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    evaluators = forms.ModelMultipleChoiceField(
        label=_("Evaluating departments"),
        queryset=Department.objects.filter(code__in=EVALUATING_DEPARTMENTS),
        widget=forms.CheckboxSelectMultiple,
    )
    due_days = forms.IntegerField(
        label=_("Working days to evaluate"), min_value=1, max_value=60, initial=3
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        contact_picker(self, user)


class EvaluationForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=TEXT)
    cost_impact = forms.CharField(label=_("Cost impact"), required=False, max_length=200)
    lead_time_impact = forms.CharField(label=_("Lead-time impact"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)


class ConcludeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome agreed with the customer"), widget=TEXT)
    order: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Order"), queryset=None, required=False
    )
    contract_reference = forms.CharField(
        label=_("Order / contract reference"), required=False, max_length=100
    )
    improvement_reference = forms.CharField(
        label=_("Improvement action it feeds (8D, information feedback form…)"),
        required=False,
        max_length=100,
    )

    def __init__(self, *args: Any, orders: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["order"]
        field.queryset = orders


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Follow-up action"), widget=TEXT)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.filter(is_active=True))
    due_date = forms.DateField(label=_("Due date"), widget=D)


class ResultForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject (empty = drafted from the record)"), required=False, max_length=200
    )
    body = forms.CharField(
        label=_("Letter (empty = drafted from the record)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    improvement_reference = forms.CharField(
        label=_("Continuous-improvement action"), required=False, max_length=200
    )
    sent = forms.BooleanField(label=_("Sent to the customer now"), required=False)


class SampleForm(_CustomerForm):
    part_number = forms.CharField(label=_("Part number"), max_length=60)
    part_name = forms.CharField(label=_("Part name"), max_length=100, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    drawing_revision = forms.CharField(label=_("Drawing revision"), max_length=30, required=False)
    needed_by = forms.DateField(label=_("Needed by"), widget=D)
    purpose = forms.CharField(label=_("Purpose"), widget=TEXT)
    approvers = forms.ModelMultipleChoiceField(
        label=_("Approving departments"),
        queryset=Department.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        initial=lambda: list(Department.objects.filter(code__in=SAMPLE_APPROVERS)),
    )


class DepartmentForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())


class RejectForm(DepartmentForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXT)


class ScheduleForm(forms.Form):
    planned_date = forms.DateField(label=_("Planned date"), widget=D)


class MadeForm(forms.Form):
    lot = forms.CharField(label=_("Batch / lot"), max_length=60)
    inspection_result = forms.CharField(label=_("Inspection result"), widget=TEXT)
    report = forms.FileField(label=_("Inspection report (file)"), required=False)


class DeliverForm(forms.Form):
    delivered_at = forms.DateTimeField(label=_("Delivered at"), widget=DT, input_formats=DT_FORMATS)
    shipping_note = forms.CharField(label=_("Shipping note"), max_length=60, required=False)


class ConfirmForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("The customer's answer"),
        choices=[("1", _("Accepted")), ("0", _("Rejected"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Customer's reasons / note"), required=False, widget=TEXT)
    open_requirement = forms.BooleanField(
        label=_("Open a customer requirement from the rejection"), required=False
    )
    open_complaint = forms.BooleanField(
        label=_("Open a complaint with its 8D from the rejection"), required=False
    )


class SpecialForm(_CustomerForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SpecialKind.choices)
    description = forms.CharField(
        label=_("What the customer asks for"), widget=forms.Textarea(attrs={"rows": 5})
    )


class DecideForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Feasible")), ("0", _("Not feasible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)


class FulfilForm(forms.Form):
    note = forms.CharField(label=_("What was provided"), widget=TEXT)
    document = forms.FileField(label=_("Delivered document"), required=False)
    valid_from = forms.DateField(label=_("Agreement valid from"), required=False, widget=D)
    valid_to = forms.DateField(label=_("Agreement valid to"), required=False, widget=D)


class ExplainForm(forms.Form):
    text = forms.CharField(
        label=_("Explanation given to the customer"), widget=forms.Textarea(attrs={"rows": 8})
    )


class OrderForm(_CustomerForm):
    order_number = forms.CharField(label=_("Order / contract number"), max_length=60)
    part_number = forms.CharField(label=_("Part number"), max_length=60)
    part_name = forms.CharField(label=_("Part name"), max_length=100, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    ordered_on = forms.DateField(label=_("Ordered on"), required=False, widget=D)
    promised_date = forms.DateField(label=_("Promised date"), widget=D)
    more_lines = forms.CharField(
        label=_("More part lines"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "SA-2050; 300; 2026-05-20; 后减振器"}
        ),
        help_text=_(
            "One part per line: part number; quantity; due date (YYYY-MM-DD, empty = the "
            "promised date); part name."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in MilestoneCode.choices:
            self.fields[f"plan_{code}"] = forms.DateField(
                label=_("Planned: %s") % label, required=False, widget=D
            )

    def clean_more_lines(self) -> list[dict[str, Any]]:
        out = []
        for n, text in enumerate((self.cleaned_data.get("more_lines") or "").splitlines(), 1):
            if not text.strip():
                continue
            cells = [c.strip() for c in text.replace("；", ";").split(";")]
            cells += [""] * (4 - len(cells))
            part, qty, due, name = cells[:4]
            try:
                quantity = int(qty)
                due_date = date.fromisoformat(due) if due else None
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: give part number; quantity; due date (YYYY-MM-DD); part name.")
                    % {"n": n}
                ) from None
            out.append(
                {
                    "part_number": part,
                    "quantity": quantity,
                    "due_date": due_date,
                    "description": name,
                }
            )
        return out

    def lines(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        first = {
            "part_number": d["part_number"],
            "description": d["part_name"],
            "quantity": d["quantity"],
            "due_date": d["promised_date"],
        }
        return [first, *d["more_lines"]]


class OrderLineForm(forms.Form):
    part_number = forms.CharField(label=_("Part number"), max_length=60)
    description = forms.CharField(label=_("Part name"), max_length=100, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=D)


class ProgressForm(forms.Form):
    line = forms.TypedChoiceField(
        label=_("Order line"), coerce=int, empty_value=None, required=False
    )
    milestone = forms.ChoiceField(
        label=_("Milestone reached"), choices=[("", "—"), *MilestoneCode.choices], required=False
    )
    at = forms.DateTimeField(label=_("At"), widget=DT, input_formats=DT_FORMATS)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)
    customer_told = forms.BooleanField(label=_("The customer was told"), required=False)

    def __init__(self, *args: Any, lines: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["line"]
        field.choices = [("", _("The whole order")), *[(x.pk, str(x)) for x in lines]]


class OrderRoutingForm(forms.Form):
    """Sales passes the order (or a change of it) on to the departments that must act."""

    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    line = forms.TypedChoiceField(
        label=_("Order line"), coerce=int, empty_value=None, required=False
    )
    instruction = forms.CharField(label=_("What is needed"), widget=TEXT)
    due_date = forms.DateField(label=_("Due date"), widget=D, required=False)

    def __init__(self, *args: Any, lines: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["line"]
        field.choices = [("", _("The whole order")), *[(x.pk, str(x)) for x in lines]]


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    late = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args: Any, statuses: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["status"]
        field.choices = [("", _("All")), *statuses]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"q": d["q"], "status": d["status"], "late": True if d["late"] else None}


class RequirementAttachmentForm(forms.Form):
    """A drawing or specification for the requirement, or a file of one's evaluation."""

    target = forms.TypedChoiceField(label=_("Attach to"), coerce=int)
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("File description"), max_length=200, required=False)

    def __init__(self, *args: Any, targets: list[tuple[int, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        field: Any = self.fields["target"]
        field.choices = targets or []
