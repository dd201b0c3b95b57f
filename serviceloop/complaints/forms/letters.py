"""Forms of reply letters, letter forms and the management review."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ReplyLetter, ReplyTemplate, SendMethod
from ..selectors.review import default_period
from .register import DATE, DT, DT_FORMATS


class ReplyForm(forms.ModelForm):
    class Meta:
        model = ReplyLetter
        fields = ["title", "subject", "body", "attach_8d"]
        widgets = {"body": forms.Textarea(attrs={"rows": 22})}


class SendForm(forms.Form):
    sent_to = forms.CharField(label=_("Sent to"), max_length=200)
    method = forms.ChoiceField(label=_("Sent by way of"), choices=SendMethod.choices)
    at = forms.DateTimeField(
        label=_("Sent at (empty = now)"), required=False, widget=DT, input_formats=DT_FORMATS
    )


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["title", "subject", "body", "attach_8d", "notes"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 22}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class ReviewPeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE)
    date_to = forms.DateField(label=_("To"), widget=DATE)

    def period(self) -> tuple[date, date]:
        if self.is_valid():
            return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        return default_period()

    @classmethod
    def from_request(cls, data: Any) -> "ReviewPeriodForm":
        if data.get("date_from") or data.get("date_to"):
            return cls(data)
        date_from, date_to = default_period()
        return cls(initial={"date_from": date_from, "date_to": date_to})
