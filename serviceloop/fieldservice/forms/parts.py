"""Forms of parts requests, ledger, tags and return forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.models import User
from serviceloop.core.permissions import visible_customers
from serviceloop.customers.models import Customer

from ..filters import REQUEST_FILTERS
from ..models import (
    Disposition,
    NonconformingTag,
    Part,
    RequestKind,
    ReturnStatus,
    ServiceRecord,
)
from .common import DATE, TEXT2, TEXT3, EngineerChoiceField, engineers_qs
from .records import PartNumberField

# ---------------------------------------------------------------- parts


class PartForm(forms.ModelForm):
    class Meta:
        model = Part
        fields = ["part_number", "name", "is_assembly", "unit", "is_active"]


class RequestForm(forms.Form):
    holder = EngineerChoiceField(
        label=_("Parts go to"), queryset=User.objects.none(), required=False
    )
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    weeks = forms.IntegerField(
        label=_("Failure-frequency window (weeks)"), initial=8, min_value=1, max_value=52
    )
    needed_by = forms.DateField(label=_("Needed by"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXT3)

    def __init__(self, *args: Any, user: Any = None, kind: str = RequestKind.SPARE, **kwargs: Any):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["customer"].queryset = visible_customers(user).filter(is_active=True)
        holders = engineers_qs()
        if kind == RequestKind.URGENT:
            holders = User.objects.filter(is_active=True, agent__isnull=True).order_by("username")
            f["holder"].help_text = _("Leave empty to take the parts yourself.")
            f["reason"].label = _("Urgent field situation")
            self.fields.pop("weeks")
        f["holder"].queryset = holders


class LineForm(forms.Form):
    part = PartNumberField(
        label=_("Part number"), required=False, widget=forms.TextInput(attrs={"list": "part-list"})
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False)


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=30)


class ReturnPartsForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=_("Returned by"), queryset=User.objects.filter(is_active=True).order_by("username")
    )
    part = PartNumberField(
        label=_("Part number"), widget=forms.TextInput(attrs={"list": "part-list"})
    )
    quantity = forms.IntegerField(label=_("Quantity"))
    note = forms.CharField(label=_("Note"), required=False)


RequestFilterForm = REQUEST_FILTERS.form


def quantity_form(
    lines: list[Any], *, label: str, initial: str, data: Any = None, prefix: str = ""
) -> forms.Form:
    """A form with one whole-number field per line (issue, count, correct)."""
    form = forms.Form(data, prefix=prefix)
    for line in lines:
        form.fields[f"line_{line.pk}"] = forms.IntegerField(
            label=f"{line.part.part_number} {line.part.name} ({label})",
            initial=getattr(line, initial) if initial else None,
            required=False,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
    return form


def line_values(form: forms.Form) -> dict[int, int | None]:
    return {int(k[5:]): v for k, v in form.cleaned_data.items() if k.startswith("line_")}


class TagForm(forms.ModelForm):
    part = PartNumberField(
        label=_("Part number"), widget=forms.TextInput(attrs={"list": "part-list"})
    )

    class Meta:
        model = NonconformingTag
        fields = [
            "customer",
            "lot",
            "quantity",
            "location",
            "found_on",
            "nonconformity",
            "disposition",
            "parts_request",
        ]
        widgets = {"found_on": DATE, "nonconformity": TEXT3, "disposition": forms.RadioSelect}

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["customer"].queryset = visible_customers(user).filter(is_active=True)
        from ..selectors import request_list

        f["parts_request"].queryset = request_list(user)
        f["disposition"].choices = Disposition.choices
        if editing:
            self.fields.pop("customer")
            self.fields.pop("found_on")
            self.fields.pop("part")
        self.order_fields(["customer", "part", "lot", "quantity", "location", "found_on"])


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("How it was repaired or reworked"), widget=TEXT3)


# ---------------------------------------------------------------- returns


class ReturnForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    return_date = forms.DateField(label=_("Returned on"), widget=DATE)
    reason = forms.CharField(label=_("Reason for return"), widget=TEXT2)
    customer_signatory = forms.CharField(label=_("Customer's signatory"), required=False)
    service_record = forms.ModelChoiceField(
        label=_("Service record"), required=False, queryset=ServiceRecord.objects.none()
    )

    def __init__(self, *args: Any, user: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        f: Any = self.fields
        f["customer"].queryset = visible_customers(user).filter(is_active=True)
        f["service_record"].queryset = ServiceRecord.objects.filter(engineer=user).order_by(
            "-service_date", "-pk"
        )
        if editing:
            self.fields.pop("customer")


class ReturnLineForm(forms.Form):
    part = PartNumberField(
        label=_("Part number"), required=False, widget=forms.TextInput(attrs={"list": "part-list"})
    )
    lot = forms.CharField(label=_("Lot"), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), required=False)
    fault = forms.CharField(label=_("Fault"), required=False)


ReturnLineFormSet = forms.formset_factory(ReturnLineForm, extra=3, max_num=30)


class ReturnFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ReturnStatus.choices]
    )
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"q": d.get("q") or "", "status": d.get("status") or "", "mine": bool(d.get("mine"))}
