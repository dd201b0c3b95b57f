""" "My work" of the early warning: Quality's new alerts and reports to write or issue;
the sales side's issued reports that still need the customer told, and alerts to close."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from serviceloop.core.my_work import WorkCount, WorkItem, most_urgent, register
from serviceloop.core.permissions import can

from .documents import narrative
from .models import Alert, AlertStatus, FailureAnalysisReport, ReportStatus

QUALITY_STEPS = {
    AlertStatus.NEW: ("ew.alert.new", gettext_lazy("New early-warning alert")),
    AlertStatus.ACKNOWLEDGED: (
        "ew.report.write",
        gettext_lazy("Write the failure-analysis report"),
    ),
    AlertStatus.REPORT_DRAFTED: (
        "ew.report.issue",
        gettext_lazy("Finish and issue the report to Sales"),
    ),
}


@register
def earlywarning_work(user: Any) -> Iterator[WorkItem | WorkCount]:
    if can(user, "ew.alert.handle"):
        alerts = Alert.objects.filter(status__in=list(QUALITY_STEPS)).select_related("customer")

        def step(alert: Alert) -> WorkItem:
            kind, label = QUALITY_STEPS[AlertStatus(alert.status)]
            return WorkItem(
                kind,
                f"{alert.number} {narrative.headline(alert)}",
                alert.get_absolute_url(),
                alert.report_due_at,
                f"{label} · {alert.get_severity_display()}",
            )

        yield from most_urgent(
            alerts, step, kind="ew.alert.new", order="report_due_at", partition="status"
        )
    if can(user, "ew.report.notify"):
        reports = FailureAnalysisReport.objects.filter(
            status=ReportStatus.ISSUED,
            alert__status__in=[AlertStatus.REPORT_ISSUED, AlertStatus.CUSTOMER_NOTIFIED],
        ).select_related("alert")

        def tell(report: FailureAnalysisReport) -> WorkItem:
            notified = report.alert.status == AlertStatus.CUSTOMER_NOTIFIED
            return WorkItem(
                "ew.report.close" if notified else "ew.report.notify",
                f"{report.number} {report.title}",
                report.get_absolute_url(),
                None if notified else report.notify_due_at,
                _("Customer notified: close the alert when all are told")
                if notified
                else _("Tell the customer and record the agreed solution"),
            )

        yield from most_urgent(
            reports, tell, kind="ew.report.notify", order="notify_due_at", partition="alert__status"
        )
