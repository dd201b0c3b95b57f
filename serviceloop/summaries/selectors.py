"""Reads of service work summaries, and the figures of a period gathered from each app's own
counting selector (R-5.9.6) — summaries never queries another app's models itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from serviceloop.communications.selectors import communication_figures
from serviceloop.complaints.selectors.figures import complaint_figures
from serviceloop.core.permissions import require
from serviceloop.earlywarning.selectors.figures import earlywarning_figures
from serviceloop.fieldservice.selectors.figures import fieldservice_figures
from serviceloop.training.selectors import training_figures
from serviceloop.visits.selectors import plan_vs_actual, visit_figures
from serviceloop.warranty.selectors import warranty_figures

from .models import ServiceSummary

REPORT_LANGUAGE = "zh-hans"


def summary_list(user: Any, *, status: str = "") -> QuerySet[ServiceSummary]:
    require(user, "summary.view")
    qs = ServiceSummary.objects.select_related("approved_by", "submitted_by")
    return qs.filter(status=status) if status else qs


def summary_get(user: Any, pk: int) -> ServiceSummary:
    require(user, "summary.view")
    return get_object_or_404(
        ServiceSummary.objects.select_related("approved_by", "submitted_by", "created_by"), pk=pk
    )


def _clean(value: Any) -> Any:
    """JSON-clean figures: Decimals to floats, dict keys to strings, tuples to lists."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def _visits(user: Any, start: date, end: date) -> dict[str, Any]:
    """Visit figures of the period plus the year's plan against its months in the period."""
    figures = visit_figures(user, start, end)
    pva = plan_vs_actual(user, start.year)
    months = range(start.month - 1, end.month)
    planned = [sum(r["months"][m]["planned"] for r in pva["rows"]) for m in months]
    done = [sum(r["months"][m]["done"] for r in pva["rows"]) for m in months]
    met = sum(
        min(r["months"][m]["planned"], r["months"][m]["done"]) for r in pva["rows"] for m in months
    )
    figures.update(
        plan_status=pva["plan"].status if pva["plan"] else "",
        planned=sum(planned),
        planned_done=met,
        completion_rate=(met / sum(planned)) if sum(planned) else None,
        months=[f"{start.year}-{m + 1:02d}" for m in months],
        planned_by_month=planned,
        done_by_month=done,
    )
    figures.pop("by_month", None)
    return figures


def compute_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """Every figure of the summary for [start, end], as the user may see them (inside the
    company that is everything). The top-level keys are those interface.md names. Category
    labels (failure modes, causes, signals) are frozen in Chinese, the report's language."""
    with translation.override(REPORT_LANGUAGE):
        return _compute(user, start, end)


def _compute(user: Any, start: date, end: date) -> dict[str, Any]:
    comm = communication_figures(user, start, end)
    comp = complaint_figures(user, start, end)
    warranty = warranty_figures(user, start, end)
    field = fieldservice_figures(user, start, end)
    visits = _visits(user, start, end)
    training = training_figures(user, start, end)
    warning = earlywarning_figures(user, start, end)
    return _clean(
        {
            "communications": comm["received"],
            "answered_on_time_rate": comm["answer"]["rate"],
            "feedback_on_time_rate": comm["feedback"]["rate"],
            "late_entries": comm["answer"]["late_entries"] + comm["feedback"]["late_entries"],
            "complaints": comp["received"],
            "eight_d_opened": comp["eight_d_opened"],
            "eight_d_closed": comp["eight_d_closed"],
            "eight_d_overdue": comp["eight_d_overdue"],
            "warranty_claims": warranty["claims"],
            "warranty_cost": warranty["cost_total"],
            "service_records": field["records"],
            "alerts": warning["alerts"],
            "visits": visits["visits"],
            "trainings": training["trainings_held"],
            "detail": {
                "communications": comm,
                "complaints": comp,
                "warranty": warranty,
                "fieldservice": field,
                "earlywarning": warning,
                "visits": visits,
                "training": training,
            },
            "computed_at": timezone.now().isoformat(),
        }
    )
