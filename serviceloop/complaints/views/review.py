"""The management-review page (R-5.5.9), with its XLSX and PDF exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from serviceloop.core.documents import render_pdf
from serviceloop.core.exports import XLSX_TYPE
from serviceloop.core.files import PDF_TYPE, file_response
from serviceloop.core.views_support import AuthedRequest

from ..documents.charts import column_chart, hbar_chart
from ..documents.xlsx import review_xlsx
from ..forms.letters import ReviewPeriodForm
from ..selectors.review import ReviewSummary, review_summary


def charts(summary: ReviewSummary) -> dict[str, Any]:
    return {
        "by_month": column_chart(summary.by_month, title=_("Complaints by month")),
        "by_customer": hbar_chart(summary.by_customer, title=_("By customer")),
        "by_part": hbar_chart(summary.by_part, title=_("By part number")),
        "by_cause": hbar_chart(summary.by_cause, title=_("By cause category (5M1E)")),
        "by_severity": hbar_chart(summary.by_severity, title=_("By severity")),
        "close": column_chart(summary.close_buckets, title=_("Days from receipt to closure")),
    }


def review(request: AuthedRequest) -> HttpResponse:
    form = ReviewPeriodForm.from_request(request.GET)
    date_from, date_to = form.period()
    summary = review_summary(request.user, date_from, date_to)
    export = request.GET.get("export")
    name = f"complaint-review-{summary.date_from}-{summary.date_to}"
    if export == "xlsx":
        return file_response(review_xlsx(summary), f"{name}.xlsx", XLSX_TYPE)
    ctx = {"form": form, "s": summary, "charts": charts(summary)}
    if export == "pdf":
        pdf = render_pdf("complaints/pdf/review.html", ctx)
        return file_response(pdf, f"{name}.pdf", PDF_TYPE)
    return render(request, "complaints/review.html", ctx)
