from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.actions import page_actions
from serviceloop.core.exports import xlsx_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    list_template,
    paginate,
    querystring_without_page,
    run_service,
)

from .. import actions, selectors, services
from ..documents import charts, figures, narrative
from ..forms import AlertFilterForm, NoteForm, ReasonForm
from ..models import AlertStatus, FailureAnalysisReport
from ..selectors import dashboard


def alert_list(request: AuthedRequest) -> HttpResponse:
    form = AlertFilterForm(request.GET or None, user=request.user)
    qs = selectors.alert_list(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        require(request.user, "ew.export")
        return _export(qs)
    page = paginate(request, qs)
    ctx = {
        "form": form,
        "page": page,
        "rows": [(a, narrative.headline(a)) for a in page],
        "qs": querystring_without_page(request),
        "can_run": can(request.user, "ew.run"),
        "last_run": selectors.run_list(request.user).first(),
        "now": timezone.now(),
    }
    return render(
        request,
        list_template(request, "earlywarning/alert_list.html", "earlywarning/_alerts.html"),
        ctx,
    )


def _export(qs) -> HttpResponse:
    headers = [
        _("Number"),
        _("Signal"),
        _("Severity"),
        _("Status"),
        _("Part number"),
        _("Customer"),
        _("Cohort"),
        _("What signalled"),
        _("Signalling"),
        _("Raised at"),
        _("Report due"),
        _("Report"),
    ]
    rows = (
        [
            a.number,
            a.get_kind_display(),
            a.get_severity_display(),
            a.get_status_display(),
            a.part_number,
            a.customer.name if a.customer_id else "",
            a.cohort,
            narrative.headline(a),
            _("yes") if a.signalling else _("no"),
            a.created_at,
            a.report_due_at,
            getattr(getattr(a, "report", None), "number", ""),
        ]
        for a in qs
    )
    return xlsx_response("early-warning-alerts.xlsx", _("Early-warning alerts"), headers, rows)


def alert_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    alert = selectors.alert_get(request.user, pk)
    user = request.user
    report = FailureAnalysisReport.objects.filter(alert=alert).first()
    ctx = {
        "alert": alert,
        "report": report,
        "headline": narrative.headline(alert),
        "lines": narrative.statistics_lines(alert),
        "change_facts": narrative.change_facts(alert),
        "figures": figures.all_figures(alert.evidence),
        "charts": charts.alert_charts(alert.kind, alert.chart),
        "related": selectors.related_alerts(alert).select_related("customer")[:10],
        "history": record_history("earlywarning.alert", alert.pk),
        "acknowledge_form": NoteForm(prefix="acknowledge"),
        "dismiss_form": ReasonForm(prefix="dismiss"),
        "close_form": NoteForm(prefix="close"),
        "can_handle": can(user, "ew.alert.handle"),
        "can_write": can(user, "ew.report.write"),
        "can_notify": can(user, "ew.report.notify"),
        "S": AlertStatus,
        "now": timezone.now(),
    }
    ctx.update(forms_ or {})
    return render(request, "earlywarning/alert_detail.html", ctx, status=400 if forms_ else 200)


alert_acknowledge, alert_dismiss, alert_close = page_actions(
    selectors.alert_get,
    alert_detail,
    actions.ALERT_ACKNOWLEDGE,
    actions.ALERT_DISMISS,
    actions.ALERT_CLOSE,
)


@require_POST
def report_create(request: AuthedRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get(request.user, pk)
    require(request.user, "ew.report.write")
    form = NoteForm(request.POST)
    form.is_valid()
    report = run_service(form, lambda: services.report_draft(actor=request.user, alert=alert))
    if report is None:
        return alert_detail(request, pk, {"draft_errors": form.non_field_errors() or form.errors})
    messages.success(
        request, _("Report %s drafted from the evidence; complete it.") % report.number
    )
    return redirect("earlywarning:report_edit", report.pk)


def part_list(request: AuthedRequest) -> HttpResponse:
    parts = selectors.part_overview(request.user)
    return render(request, "earlywarning/part_list.html", {"parts": parts})


def part_dashboard(request: AuthedRequest, part: str) -> HttpResponse:
    require(request.user, "ew.view")
    if not selectors.part_exists(part):
        raise Http404(part)
    ctx = dashboard.stored_context(part, timezone.localdate())
    ctx["part"] = part
    ctx["may_recompute"] = can(request.user, "ew.run")
    ctx["alerts"] = selectors.alert_list(request.user, part_number=part)[:20]
    return render(request, "earlywarning/part_dashboard.html", ctx)


@require_POST
def part_recompute(request: AuthedRequest, part: str) -> HttpResponse:
    """Quality: compute the part's analysis again, in the background (issue 15)."""
    require(request.user, "ew.run")
    if not selectors.part_exists(part):
        raise Http404(part)
    services.recompute_request(actor=request.user, part_number=part)
    messages.success(
        request, _("The analysis of %(part)s is being computed again.") % {"part": part}
    )
    return redirect("earlywarning:part_dashboard", part=part)
