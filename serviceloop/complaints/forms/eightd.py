"""Forms of the 8D editor: disciplines, team, containment, causes, action items, closing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.late_entry import late_reason_field
from serviceloop.core.models import Department
from serviceloop.core.people import PersonChoiceField

from ..models import (
    ActionItem,
    ActionKind,
    CauseCategory,
    CauseKind,
    Containment,
    EightDReport,
    Location,
    NegotiationOutcome,
    Responsibility,
    RootCause,
    TeamRole,
)
from .register import DT, DT_FORMATS, people

TEXT2 = forms.Textarea(attrs={"rows": 2})
TEXT4 = forms.Textarea(attrs={"rows": 4})


def _dt(label: Any, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DT, input_formats=DT_FORMATS)


class DisciplineForm(forms.Form):
    """The narrative of a discipline; Quality also sets its owner and due date; D2 adds 5W2H."""

    summary = forms.CharField(label=_("Details of this discipline"), required=False, widget=TEXT4)
    owner = PersonChoiceField(label=_("Owner"), queryset=people(), required=False)
    due_at = _dt(_("Due"))

    def __init__(self, *args: Any, code: str = "d0", manage: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not manage:
            del self.fields["owner"]
            del self.fields["due_at"]
        if code == "d2":
            for name in (
                "problem_statement",
                "d2_what",
                "d2_why",
                "d2_where",
                "d2_when",
                "d2_who",
                "d2_how",
                "d2_how_many",
            ):
                label = EightDReport._meta.get_field(name).verbose_name  # type: ignore[union-attr]
                self.fields[name] = forms.CharField(label=label, required=False, widget=TEXT2)


class LeaderForm(forms.Form):
    leader = PersonChoiceField(label=_("8D leader"), queryset=people())


class TeamForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=people())
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.MEMBER)
    responsibility = forms.CharField(label=_("Responsibility"), required=False, max_length=200)


class ContainmentForm(forms.ModelForm):
    class Meta:
        model = Containment
        fields = [
            "location",
            "action",
            "owner",
            "department",
            "due_at",
            "quantity_checked",
            "quantity_found",
            "quantity_isolated",
            "quantity_tagged",
            "quantity_reworked",
        ]
        widgets = {"action": TEXT2, "due_at": DT}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner"].queryset = people()
        fields["due_at"].input_formats = DT_FORMATS
        fields["due_at"].required = False
        fields["due_at"].help_text = _("Empty: the D3 due date.")
        fields["location"].choices = Location.choices
        fields["action"].required = False  # the service names what is missing


class ContainmentDoneForm(forms.Form):
    result = forms.CharField(label=_("What was done and found"), widget=TEXT2)
    quantity_checked = forms.IntegerField(label=_("checked"), required=False)
    quantity_found = forms.IntegerField(label=_("nonconforming found"), required=False)
    quantity_isolated = forms.IntegerField(label=_("isolated"), required=False)
    quantity_tagged = forms.IntegerField(label=_("tagged"), required=False)
    quantity_reworked = forms.IntegerField(label=_("reworked"), required=False)


class ReinspectForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed: may go back to stock")), ("0", _("Failed: rework again"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)


class CauseForm(forms.ModelForm):
    class Meta:
        model = RootCause
        fields = [
            "kind",
            "category",
            "description",
            "why_analysis",
            "responsibility",
            "department",
            "work_station",
            "operator",
            "inspector",
            "process_card_ref",
            "production_report_ref",
            "inspection_record_ref",
            "verified",
        ]
        widgets = {"description": TEXT2, "why_analysis": TEXT4}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["kind"].choices = CauseKind.choices
        fields["category"].choices = CauseCategory.choices
        fields["responsibility"].choices = Responsibility.choices
        fields["department"].queryset = Department.objects.all()
        fields["description"].required = False


class ActionForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = [
            "kind",
            "description",
            "owner",
            "department",
            "due_at",
            "root_cause",
            "document_ref",
            "trainees",
        ]
        widgets = {"description": TEXT2, "due_at": DT}

    def __init__(self, *args: Any, report: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["kind"].choices = ActionKind.choices
        fields["owner"].queryset = people()
        fields["due_at"].input_formats = DT_FORMATS
        fields["description"].required = False
        fields["root_cause"].queryset = (
            report.root_causes.all() if report is not None else RootCause.objects.none()
        )


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("What was done"), widget=TEXT2)
    document_ref = forms.CharField(
        label=_("Revised document and revision"), required=False, max_length=100
    )
    trainees = forms.CharField(label=_("People trained"), required=False, max_length=300)
    at = _dt(_("Done at (empty = now)"))
    reason = late_reason_field()


class VerifyForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Effect"),
        choices=[("1", _("Effective")), ("0", _("Not effective: back to the owner"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("How it was checked"), widget=TEXT2)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT2)


class NegotiationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=NegotiationOutcome.choices)
    text = forms.CharField(label=_("What was agreed with the customer"), widget=TEXT4)


class CloseForm(forms.Form):
    summary = forms.CharField(label=_("Closure summary (D8)"), widget=TEXT4)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Comment"), required=False, widget=TEXT2)
