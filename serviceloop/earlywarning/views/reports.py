from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.files import PDF_TYPE, file_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    list_page,
    post_action,
    run_service,
)

from .. import selectors, services
from ..documents import charts, figures, narrative
from ..documents.pdf import report_pdf
from ..forms import NoteForm, NotificationForm, ReportFilterForm, ReportForm
from ..models import AlertStatus, ReportStatus


def report_list(request: AuthedRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.report_list(
        request.user, status=filters.get("status") or "", q=filters.get("q") or ""
    )
    return list_page(
        request,
        qs,
        form=form,
        full="earlywarning/report_list.html",
        partial="earlywarning/_reports.html",
    )


def report_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    user = request.user
    alert = report.alert
    initial = {"customer": alert.customer_id} if alert.customer_id else {}
    ctx = {
        "report": report,
        "alert": alert,
        "sections": report.sections(),
        "charts": charts.alert_charts(alert.kind, report.chart),
        "headline": narrative.headline(narrative.Frozen(alert, report.evidence)),
        "figures": figures.key_figures(alert.kind, report.evidence),
        "notifications": report.notifications.select_related("customer", "contact", "created_by"),
        "history": record_history("earlywarning.failureanalysisreport", report.pk),
        "notify_form": NotificationForm(prefix="notify", user=user, initial=initial),
        "close_form": NoteForm(prefix="close"),
        "can_write": can(user, "ew.report.write") and report.status == ReportStatus.DRAFT,
        "can_notify": can(user, "ew.report.notify")
        and report.status == ReportStatus.ISSUED
        and alert.status in (AlertStatus.REPORT_ISSUED, AlertStatus.CUSTOMER_NOTIFIED),
        "can_close": can(user, "ew.report.notify")
        and alert.status == AlertStatus.CUSTOMER_NOTIFIED,
        "now": timezone.now(),
    }
    ctx.update(forms_ or {})
    return render(request, "earlywarning/report_detail.html", ctx, status=400 if forms_ else 200)


def report_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    require(request.user, "ew.report.write")
    if report.status != ReportStatus.DRAFT:
        messages.warning(request, _("The report is issued and can no longer be edited."))
        return redirect("earlywarning:report_detail", pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        fresh = selectors.report_get(request.user, pk)
        saved = run_service(
            form, lambda: services.report_update(actor=request.user, report=fresh, **data)
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            if "issue" in request.POST:
                return report_issue(request, pk)
            return redirect("earlywarning:report_detail", pk)
    alert = report.alert
    ctx = {
        "form": form,
        "report": report,
        "alert": alert,
        "lines": narrative.statistics_lines(alert),
        "charts": charts.alert_charts(alert.kind, report.chart),
        "alert_changed": alert.evidence != report.evidence,
    }
    return render(request, "earlywarning/report_edit.html", ctx, status=400 if form.errors else 200)


def _errors_text(exc: ValidationError) -> str:
    fields = ReportForm.base_fields
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return "; ".join(
        f"{fields[f].label}: {' '.join(m)}" if f in fields else " ".join(m)
        for f, m in exc.message_dict.items()
    )


@require_POST
def report_refresh(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    require(request.user, "ew.report.write")
    try:
        services.report_refresh_evidence(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, _errors_text(exc))
    else:
        messages.success(request, _("The alert's latest evidence and charts were taken over."))
    return redirect("earlywarning:report_edit", pk)


@require_POST
def report_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    require(request.user, "ew.report.write")
    try:
        issued = services.report_issue(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, _("Not issued: %s") % _errors_text(exc))
        return redirect("earlywarning:report_edit", pk)
    messages.success(request, _("Report %s issued to Sales.") % issued.number)
    return redirect("earlywarning:report_detail", pk)


@require_POST
def notification_create(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    return post_action(
        request,
        permission="ew.report.notify",
        form=NotificationForm(request.POST, prefix="notify", user=request.user),
        call=lambda d: services.notification_record(
            actor=request.user,
            report=report,
            customer=d["customer"],
            notified_on=d["notified_on"],
            channel=d["channel"],
            contact=d["contact"],
            contact_name=d["contact_name"],
            agreed_solution=d["agreed_solution"],
        ),
        done=_("Customer notification recorded."),
        success_url=reverse("earlywarning:report_detail", args=[pk]),
        rerender=lambda extra: report_detail(request, pk, extra),
        prefix="notify",
    )


def report_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    return file_response(report_pdf(report), f"{report.number}.pdf", PDF_TYPE, inline=True)
