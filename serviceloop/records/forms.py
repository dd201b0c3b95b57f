from django import forms
from django.utils.translation import gettext_lazy as _

from . import policy


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class KeepForm(ReasonForm):
    until = forms.DateField(label=_("Keep until"), widget=forms.DateInput(attrs={"type": "date"}))


class HoldForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Record type"), choices=())
    record_id = forms.IntegerField(label=_("Record id"), min_value=1)
    reason = forms.CharField(
        label=_("Reason for the hold"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["record_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.key, t.label) for t in policy.available()]


class PeriodForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Record type"), choices=())
    years = forms.IntegerField(label=_("Years kept after closing"), min_value=1, max_value=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["record_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.key, t.label) for t in policy.available() if t.admin_set]
