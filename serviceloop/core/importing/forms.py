from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import ImportMode

from .kinds import kinds_for


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("XLSX or CSV file"),
        help_text=_("Use the template's Chinese column headers; one record per row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=[
            (ImportMode.ALL_OR_NOTHING, _("import nothing (correct the file first)")),
            (ImportMode.VALID_ROWS, _("import the valid rows only")),
        ],
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Check only: show me the result and let me confirm"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label) for k in kinds_for(user)]  # type: ignore[attr-defined]


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(choices=ImportMode.choices, required=False)
