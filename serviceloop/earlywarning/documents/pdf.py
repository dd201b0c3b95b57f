"""The written failure-analysis report as PDF (WeasyPrint; Noto Sans CJK SC; the charts as
inline SVG). The document is self-contained: only data: URLs may be fetched."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from serviceloop.core.company import letterhead
from serviceloop.core.documents import html_to_pdf

from ..models import FailureAnalysisReport
from . import charts, figures, narrative


def report_context(report: FailureAnalysisReport) -> dict[str, Any]:
    alert = report.alert
    return {
        "report": report,
        "alert": alert,
        "sections": report.sections(),
        "charts": charts.alert_charts(alert.kind, report.chart),
        "headline": narrative.headline(narrative.Frozen(alert, report.evidence)),
        "figures": figures.key_figures(alert.kind, report.evidence),
        "notifications": list(
            report.notifications.select_related("customer", "contact", "created_by")
        ),
        **letterhead(),
    }


def report_pdf(report: FailureAnalysisReport) -> bytes:
    """The report in the language it was written in."""
    with translation.override(report.language or settings.LANGUAGE_CODE):
        html = render_to_string("earlywarning/pdf/report.html", report_context(report))
    return html_to_pdf(html)
