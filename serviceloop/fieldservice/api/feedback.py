"""API: `weekly-feedback` (R-5.9.4) and `information-feedback-forms` (R-5.9.5)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from serviceloop.core import deadlines
from serviceloop.core.api_read import (
    create_route,
    get_route,
    list_route,
    patch_route,
    prefetch_with,
)
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require

from .. import selectors, services
from ..domain import rules
from ..schemas import (
    AckIn,
    ComplianceOut,
    FeedbackOut,
    InfoFormIn,
    InfoFormOut,
    InfoFormPatch,
    InfoRoutingOut,
    IssueInfoIn,
    OptionalNote,
    Reason,
    RecordFlagIn,
    SubmitIn,
    WeekOut,
)
from ._support import departments

feedback_router = Router(tags=["weekly-feedback"], auth=API_AUTH)
infoforms_router = Router(tags=["information-feedback-forms"], auth=API_AUTH)


class FeedbackFilters(Schema):
    engineer: int | None = None
    status: str = ""
    missing: bool | None = None


list_route(
    feedback_router,
    FeedbackOut,
    __name__,
    "list_feedback",
    selectors.feedback_list,
    FeedbackFilters,
)


@feedback_router.get("/week", response=WeekOut)
def week(request: HttpRequest, engineer: int | None = None, week_start: date | None = None):
    """One engineer's (default: the caller's) week, assembled from his service records
    (Mon–Sun, company time); default: the current week."""
    actor = user_of(request)
    require(actor, "feedback.view")
    monday = deadlines.week_start(week_start or timezone.localdate())
    person, fb, records = selectors.feedback_week(actor, engineer or actor.pk, monday)
    return {
        "engineer": person.pk,
        "week_start": monday,
        "week": rules.week_label(monday),
        "due_at": fb.due_at if fb else deadlines.weekly_feedback_due(monday),
        "feedback": fb,
        "records": list(records.select_related("handling")),
    }


@feedback_router.get("/compliance", response=list[ComplianceOut])
def compliance(request: HttpRequest, weeks: int = 8, engineer: int | None = None):
    """Per engineer, the last `weeks` weeks: on_time, late, missing, pending or not_owed."""
    _mondays, rows = selectors.feedback_compliance(
        user_of(request), weeks=min(max(weeks, 1), 52), engineer=engineer
    )
    return [
        {
            "engineer": r.engineer.pk,
            "engineer_name": str(r.engineer),
            "missing": r.missing,
            "late": r.late,
            "late_entries": r.late_entries,
            "weeks": [
                {
                    "week_start": c.week,
                    "week": c.label,
                    "state": c.state,
                    "records": c.records,
                    "feedback": c.feedback.pk if c.feedback else None,
                }
                for c in r.cells
            ],
        }
        for r in rows
    ]


@feedback_router.post("/submit", response=FeedbackOut)
def submit(request: HttpRequest, data: SubmitIn):
    """The engineer submits his week (Monday `week_start`) to Sales."""
    actor = user_of(request)
    require(actor, "feedback.submit")
    return services.weekly_feedback_submit(
        actor=actor, week_start=data.week_start, summary=data.summary
    )


get_route(
    feedback_router,
    FeedbackOut,
    __name__,
    "get_feedback",
    "weekly_feedback_id",
    selectors.feedback_get,
)


@feedback_router.post("/{int:weekly_feedback_id}/review", response=FeedbackOut)
def review(request: HttpRequest, weekly_feedback_id: int, data: OptionalNote):
    actor = user_of(request)
    require(actor, "feedback.review")
    fb = selectors.feedback_get(actor, weekly_feedback_id)
    return services.weekly_feedback_review(actor=actor, feedback=fb, note=data.note)


@feedback_router.post("/{int:weekly_feedback_id}/return", response=FeedbackOut)
def send_back(request: HttpRequest, weekly_feedback_id: int, data: Reason):
    actor = user_of(request)
    require(actor, "feedback.review")
    fb = selectors.feedback_get(actor, weekly_feedback_id)
    return services.weekly_feedback_return(actor=actor, feedback=fb, reason=data.reason)


# ---------------------------------------------------------------- information forms


class InfoFilters(Schema):
    q: str = ""
    status: str = ""
    category: str = ""
    department: int | None = None


list_route(
    infoforms_router,
    InfoFormOut,
    __name__,
    "list_infoforms",
    selectors.infoform_list,
    InfoFilters,
    shape=lambda qs: prefetch_with("routings", "department")(qs.prefetch_related("records")),
)


create_route(
    infoforms_router,
    InfoFormOut,
    __name__,
    "create_infoform",
    InfoFormIn,
    services.infoform_create,
    permission="infoform.manage",
)


get_route(
    infoforms_router, InfoFormOut, __name__, "get_infoform", "info_form_id", selectors.infoform_get
)


def _get(request: HttpRequest, info_form_id: int, action: str):
    actor = user_of(request)
    require(actor, action)
    return actor, selectors.infoform_get(actor, info_form_id)


patch_route(
    infoforms_router,
    InfoFormOut,
    __name__,
    "update_infoform",
    "info_form_id",
    selectors.infoform_get,
    InfoFormPatch,
    services.infoform_update,
    "form",
    permission="infoform.manage",
)


@infoforms_router.post("/{int:info_form_id}/issue", response=InfoFormOut)
def issue(request: HttpRequest, info_form_id: int, data: IssueInfoIn):
    actor, f = _get(request, info_form_id, "infoform.manage")
    return services.infoform_issue(actor=actor, form=f, departments=departments(data.departments))


@infoforms_router.post("/{int:info_form_id}/flag-major", response=InfoFormOut)
def flag_major(request: HttpRequest, info_form_id: int, data: RecordFlagIn):
    actor, f = _get(request, info_form_id, "infoform.manage")
    return services.infoform_flag_major(actor=actor, form=f, reason=data.reason)


@infoforms_router.post("/routings/{int:info_routing_id}/acknowledge", response=InfoRoutingOut)
def acknowledge(request: HttpRequest, info_routing_id: int, data: AckIn):
    actor = user_of(request)
    require(actor, "infoform.acknowledge")
    routing = selectors.routing_get(actor, info_routing_id)
    return services.infoform_acknowledge(actor=actor, routing=routing, response=data.response)
