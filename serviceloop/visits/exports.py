"""XLSX of the visit records list (core.exports: formula-safe cells)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.core.exports import xlsx_response


def records_xlsx(qs: QuerySet) -> HttpResponse:
    headers = [
        _("Number"),
        _("Customer"),
        _("Visited at"),
        _("Visited by"),
        _("People met"),
        _("Planned"),
        _("Satisfaction"),
        _("Summary"),
        _("Opinions and requirements"),
        _("Problems found"),
        _("Status"),
    ]
    rows = (
        [
            r.number,
            r.customer.name,
            timezone.localtime(r.visited_at).strftime("%Y-%m-%d %H:%M"),
            r.visitors,
            r.customer_people,
            _("yes") if r.plan_item_id else _("unplanned"),
            r.satisfaction,
            r.summary,
            r.opinions,
            r.problems,
            r.get_status_display(),
        ]
        for r in qs
    )
    return xlsx_response("visit-records.xlsx", _("Visit records"), headers, rows)
