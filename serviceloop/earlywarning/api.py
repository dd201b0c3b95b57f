"""HTTP API of the early warning (R-5.4): alerts and their actions, the written reports and
customer notifications, analysis runs ("run now"), the input data and its imports."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from serviceloop.core.actions import api_actions
from serviceloop.core.api_read import create_route, get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.files import PDF_TYPE, file_response
from serviceloop.core.permissions import require
from serviceloop.records.policy import with_retention

from . import actions, selectors, services
from .documents.pdf import report_pdf
from .models import AlertStatus
from .schemas import (
    AlertDetailOut,
    AlertOut,
    BaselineIn,
    BaselineOut,
    NotificationIn,
    NotificationOut,
    PartOut,
    ProductionIn,
    ProductionOut,
    ProductionPatch,
    PurchaseIn,
    PurchaseOut,
    PurchasePatch,
    ReportOut,
    ReportPatch,
    RunOut,
    SurveyIn,
    SurveyOut,
    SurveyPatch,
)
from .selectors.dashboard import stale_reasons, stored_part

alerts = Router(tags=["early-warning"], auth=API_AUTH)
reports = Router(tags=["early-warning"], auth=API_AUTH)
runs = Router(tags=["early-warning"], auth=API_AUTH)
production = Router(tags=["early-warning"], auth=API_AUTH)
baselines = Router(tags=["early-warning"], auth=API_AUTH)
purchases = Router(tags=["early-warning"], auth=API_AUTH)
surveys = Router(tags=["early-warning"], auth=API_AUTH)
parts = Router(tags=["early-warning"], auth=API_AUTH)

ROUTERS: list[tuple[str, Router]] = [
    ("/early-warning/alerts", alerts),
    ("/early-warning/reports", reports),
    ("/early-warning/runs", runs),
    ("/early-warning/production-volumes", production),
    ("/early-warning/claim-baselines", baselines),
    ("/early-warning/purchase-volumes", purchases),
    ("/early-warning/surveys", surveys),
    ("/early-warning/parts", parts),
]


# --------------------------------------------------------------------------- alerts


class AlertFilters(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    severity: str = ""
    part_number: str = ""
    customer: int | None = None
    signalling: bool | None = None
    open_only: bool = False


list_route(alerts, AlertOut, __name__, "list_alerts", selectors.alert_list, AlertFilters)


get_route(alerts, AlertDetailOut, __name__, "get_alert", "alert_id", selectors.alert_get)


_alert_post = api_actions(
    alerts, __name__, get=selectors.alert_get, path="/{int:alert_id}", response=AlertDetailOut
)
acknowledge = _alert_post(actions.ALERT_ACKNOWLEDGE)
dismiss = _alert_post(actions.ALERT_DISMISS)


@alerts.post("/{int:alert_id}/report", response={201: ReportOut})
def draft_report(request: HttpRequest, alert_id: int):
    """Start the written report, pre-filled from the alert's evidence."""
    user = user_of(request)
    alert = selectors.alert_get(user, alert_id)
    return Status(201, services.report_draft(actor=user, alert=alert))


close = _alert_post(actions.ALERT_CLOSE)


# --------------------------------------------------------------------------- reports


class ReportFilters(Schema):
    status: str = ""
    q: str = ""


list_route(
    reports,
    ReportOut,
    __name__,
    "list_reports",
    selectors.report_list,
    ReportFilters,
    shape=lambda qs: with_retention(qs.prefetch_related("notifications")),
)


get_route(reports, ReportOut, __name__, "get_report", "report_id", selectors.report_get)


patch_route(
    reports,
    ReportOut,
    __name__,
    "update_report",
    "report_id",
    selectors.report_get,
    ReportPatch,
    services.report_update,
    "report",
)


@reports.post("/{int:report_id}/refresh-evidence", response=ReportOut)
def refresh_evidence(request: HttpRequest, report_id: int):
    user = user_of(request)
    report = selectors.report_get(user, report_id)
    return services.report_refresh_evidence(actor=user, report=report)


@reports.post("/{int:report_id}/issue", response=ReportOut)
def issue(request: HttpRequest, report_id: int):
    user = user_of(request)
    report = selectors.report_get(user, report_id)
    return services.report_issue(actor=user, report=report)


@reports.post("/{int:report_id}/notifications", response={201: NotificationOut})
def notify_customer(request: HttpRequest, report_id: int, data: NotificationIn):
    user = user_of(request)
    report = selectors.report_get(user, report_id)
    note = services.notification_record(actor=user, report=report, **data.dict())
    return Status(201, note)


@reports.get("/{int:report_id}/pdf", url_name="ew_report_pdf")
def get_report_pdf(request: HttpRequest, report_id: int):
    """The written report as PDF (Chinese, charts included)."""
    report = selectors.report_get(user_of(request), report_id)
    return file_response(report_pdf(report), f"{report.number}.pdf", PDF_TYPE, inline=True)


# --------------------------------------------------------------------------- runs


list_route(runs, RunOut, __name__, "list_runs", selectors.run_list)


@runs.post("/", response={201: RunOut})
def run_now(request: HttpRequest):
    """Queue an analysis run now (Quality); the job worker executes it."""
    run = services.run_request(actor=user_of(request), source="API")
    run.refresh_from_db()
    return Status(201, run)


get_route(runs, RunOut, __name__, "get_run", "run_id", selectors.run_get)


# --------------------------------------------------------------------------- input data


class PartNumberFilters(Schema):
    part_number: str = ""


list_route(
    baselines, BaselineOut, __name__, "list_baselines", selectors.baseline_list, PartNumberFilters
)


create_route(
    baselines,
    BaselineOut,
    __name__,
    "set_baseline",
    BaselineIn,
    services.claim_baseline_set,
    doc="Give (or replace) the claim rate of a part at one month in service.",
)


@baselines.post("/{int:baseline_id}/delete", response={204: None})
def delete_baseline(request: HttpRequest, baseline_id: int):
    user = user_of(request)
    services.claim_baseline_delete(actor=user, baseline=selectors.baseline_get(user, baseline_id))
    return 204, None


list_route(
    production,
    ProductionOut,
    __name__,
    "list_production",
    selectors.production_list,
    PartNumberFilters,
)


create_route(
    production,
    ProductionOut,
    __name__,
    "create_production",
    ProductionIn,
    services.production_volume_create,
)


get_route(
    production, ProductionOut, __name__, "get_production", "production_id", selectors.production_get
)


patch_route(
    production,
    ProductionOut,
    __name__,
    "update_production",
    "production_id",
    selectors.production_get,
    ProductionPatch,
    services.production_volume_update,
    "volume",
)


class PurchaseFilters(Schema):
    customer: int | None = None
    month: str = ""


list_route(
    purchases, PurchaseOut, __name__, "list_purchases", selectors.purchase_list, PurchaseFilters
)


create_route(
    purchases,
    PurchaseOut,
    __name__,
    "create_purchase",
    PurchaseIn,
    services.purchase_volume_create,
)


get_route(purchases, PurchaseOut, __name__, "get_purchase", "purchase_id", selectors.purchase_get)


patch_route(
    purchases,
    PurchaseOut,
    __name__,
    "update_purchase",
    "purchase_id",
    selectors.purchase_get,
    PurchasePatch,
    services.purchase_volume_update,
    "volume",
)


class SurveyFilters(Schema):
    kind: str = ""
    customer: int | None = None


list_route(surveys, SurveyOut, __name__, "list_surveys", selectors.survey_list, SurveyFilters)


def _raw_score(payload: dict[str, Any]) -> dict[str, Any]:
    if "score" in payload:
        payload["raw_score"] = payload.pop("score")
    return payload


create_route(
    surveys,
    SurveyOut,
    __name__,
    "create_survey",
    SurveyIn,
    services.survey_response_create,
    api_in=_raw_score,
)


get_route(surveys, SurveyOut, __name__, "get_survey", "response_id", selectors.survey_get)


patch_route(
    surveys,
    SurveyOut,
    __name__,
    "update_survey",
    "response_id",
    selectors.survey_get,
    SurveyPatch,
    services.survey_response_update,
    "response",
    api_in=_raw_score,
)


# --------------------------------------------------------------------------- parts


@parts.get("/", response=list[PartOut])
def list_parts(request: HttpRequest):
    return selectors.part_overview(user_of(request))


@parts.get("/{part_number}", response=dict[str, Any])
def part_analysis(request: HttpRequest, part_number: str):
    """One part's analysis: claims and units at risk by build month x month in service, each
    build month's CUSUM, the failure-mode Pareto and the Weibull fits with 95 % CIs."""
    require(user_of(request), "ew.view")
    if not selectors.part_exists(part_number):
        from django.http import Http404

        raise Http404(part_number)
    stored = stored_part(part_number)
    d = stored.data
    return {
        "part_number": part_number,
        "part_name": d["name"],
        "as_of": stored.as_of.isoformat(),
        "computed_at": stored.computed_at.isoformat(),
        "stale": stale_reasons(stored, timezone.localdate()),
        "clock": d["clock"],
        "cohorts": [{k: v for k, v in row.items() if k != "cells"} for row in d["heat"]],
        "claims": d["claims"],
        "units_at_risk": d["units_at_risk"],
        "table_cohorts": d["table_cohorts"],
        "claims_excluded": d["excluded"],
        "pareto": d["pareto"],
        "pooled_fit": d["pooled_fit"],
        "cohort_fits": d["group_fits"],
        "open_alerts": selectors.alert_list(user_of(request), part_number=part_number)
        .exclude(status__in=[AlertStatus.CLOSED, AlertStatus.DISMISSED])
        .count(),
    }
