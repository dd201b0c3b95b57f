"""The visit lists' filters, declared once for the page's form, the API and the selector."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core.filterspec import Filter, FilterSpec

from .models import RecordStatus

RECORD_FILTERS = FilterSpec(
    "VisitRecordFilters",
    Filter("q", str, _("Search"), search=("number", "summary", "problems", "customer__name")),
    Filter("customer", int, lookup="customer_id"),  # hidden: set by the customer page's link
    Filter("status", str, _("Status"), choices=RecordStatus.choices, lookup="status"),
    Filter("year", int, _("Year"), ge=1, le=9999),  # a date's years (issue 9: it was a 500)
    Filter("unread", bool, _("Unread copies for my department")),
)
