"""The field-service lists' filters, declared once for the page's form, the API and the
selector."""

from django import forms
from django.utils.translation import gettext_lazy as _

from serviceloop.core.filterspec import Filter, FilterSpec, from_yes_no

from .models import EscalationStatus, RequestKind, RequestStatus

ESCALATION_FILTERS = FilterSpec(
    "EscalationFilters",
    Filter("q", str, _("Search"), search=("number", "title", "description", "customer__name")),
    Filter(
        "status",
        str,
        _("Status"),
        choices=EscalationStatus.choices,
        blank=_("All statuses"),
        lookup="status",
    ),
    Filter(
        "overdue",
        bool,
        field=forms.ChoiceField(
            label=_("Overdue"), required=False, choices=[("", _("All")), ("1", _("Overdue only"))]
        ),
        clean=from_yes_no,
    ),  # applied by the selector (the API also takes "false": not overdue)
    Filter("customer", int, lookup="customer_id", form=False),
    Filter("mine", bool, _("Mine only"), nullable=False),  # applied by the selector
)

REQUEST_FILTERS = FilterSpec(
    "RequestFilters",
    Filter("q", str, _("Search")),  # applied by the selector: the search reaches the lines
    Filter(
        "kind", str, _("Kind"), choices=RequestKind.choices, blank=_("All kinds"), lookup="kind"
    ),
    Filter(
        "status",
        str,
        _("Status"),
        choices=RequestStatus.choices,
        blank=_("All statuses"),
        lookup="status",
    ),
    Filter("mine", bool, _("Mine only"), nullable=False),  # applied by the selector
)
