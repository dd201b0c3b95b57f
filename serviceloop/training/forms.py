from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    trainer = forms.CharField(label=_("Trainer"), max_length=100)
    hours = forms.DecimalField(label=_("Hours"), min_value=0.5, max_value=99, decimal_places=1)
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees (users)"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    external = forms.CharField(
        label=_("External attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, organisation (e.g. an agent's service staff)."),
    )

    def external_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("external") or "").splitlines():
            name, _sep, org = line.replace("，", ",").partition(",")
            if name.strip():
                rows.append((name.strip(), org.strip()))
        return rows


class AttendeeForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.filter(is_active=True), required=False
    )
    external_name = forms.CharField(label=_("or external name"), required=False, max_length=100)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=100)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Material"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False)

    def year_or(self, default: int) -> Any:
        return self.cleaned_data.get("year") if self.is_valid() else default
