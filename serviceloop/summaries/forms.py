from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PERIOD_RE


class PeriodForm(forms.Form):
    period = forms.RegexField(
        label=_("Period"),
        regex=PERIOD_RE,
        max_length=7,
        help_text=_("YYYY-H1 (January–June) or YYYY-H2 (July–December)."),
        error_messages={"invalid": _("Give the period as YYYY-H1 or YYYY-H2.")},
    )


class NarrativeForm(forms.Form):
    achievements = forms.CharField(
        label=_("Achievements"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    direction = forms.CharField(
        label=_("Direction for the next period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class EmptyForm(forms.Form):
    pass


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    send_back = forms.BooleanField(label=_("Send back to Sales"), required=False)
