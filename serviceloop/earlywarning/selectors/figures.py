"""Early warning of a period for the half-year service work summary (R-5.9.6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count

from serviceloop.core.deadlines import local_day_bounds

from ..models import Alert, AlertKind, AlertStatus, FailureAnalysisReport, ReportStatus
from . import _scoped_alerts


def earlywarning_figures(user: Any, start: date, end: date) -> dict[str, Any]:
    """Alerts raised in the period (by signal; dismissed, closed), failure-analysis reports
    issued to Sales in it, and the customer notifications recorded for them."""
    lo, hi = local_day_bounds(start, end)
    alerts = _scoped_alerts(user, Alert.objects.all()).filter(created_at__gte=lo, created_at__lt=hi)
    kinds = {k.value: str(k.label) for k in AlertKind}
    by_kind = alerts.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    reports = _scoped_alerts(user, FailureAnalysisReport.objects.all(), field="alert").filter(
        status=ReportStatus.ISSUED, issued_at__gte=lo, issued_at__lt=hi
    )
    return {
        "alerts": alerts.count(),
        "by_kind": [[kinds.get(r["kind"], r["kind"]), r["n"]] for r in by_kind],
        "dismissed": alerts.filter(status=AlertStatus.DISMISSED).count(),
        "closed": alerts.filter(status=AlertStatus.CLOSED).count(),
        "reports_issued": reports.count(),
    }
