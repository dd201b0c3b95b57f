from django.urls import path

from serviceloop.core.urlpaths import action_urls, record_urls

from .actions import (
    ESCALATION_AGREE,
    ESCALATION_COMPLETE,
    ESCALATION_COORDINATE,
    ESCALATION_DUE,
    ESCALATION_NOTE,
    ESCALATION_REOPEN,
)
from .views import assignments as a
from .views import escalations as e
from .views import feedback as f
from .views import parts as p
from .views import records as r
from .views import returns as rt

app_name = "fieldservice"
urlpatterns = [
    path("", a.home, name="home"),
    path("where/", a.where, name="where"),
    *record_urls(a, "assignment", "assignments/", qualified=True),
    *action_urls(a, "assignments/<int:pk>/", "end", prefix="assignment_"),
    *record_urls(
        e, "escalation", "escalations/", qualified=True, pages=("list", "create", "detail")
    ),
    *action_urls(
        e,
        "escalations/<int:pk>/",
        ESCALATION_COORDINATE,
        ESCALATION_DUE,
        ESCALATION_AGREE,
        ESCALATION_COMPLETE,
        ESCALATION_REOPEN,
        ESCALATION_NOTE,
        prefix="escalation_",
    ),
    *record_urls(r, "record", "records/", qualified=True),
    path("records/quick/", r.record_quick, name="record_quick"),
    *action_urls(r, "records/<int:pk>/", "flag-major", "handling", "use-parts", prefix="record_"),
    path("records/import/", r.record_import, name="record_import"),  # moved: core's imports
    *record_urls(p, "part", "parts/", qualified=True, pages=("list", "create", "edit")),
    *record_urls(p, "request", "requests/", qualified=True, pages=("list", "create", "detail")),
    path("requests/frequency/", p.request_frequency, name="request_frequency"),
    *action_urls(
        p,
        "requests/<int:pk>/",
        *("approve", "reject", "issue", "close", "cancel"),
        prefix="request_",
    ),
    path("warehouse/", p.warehouse, name="warehouse"),
    path("balances/", p.balances, name="balances"),
    path("balances/return/", p.parts_return, name="parts_return"),
    *record_urls(rt, "tag", "tags/", qualified=True),
    *action_urls(rt, "tags/<int:pk>/", "resolve", prefix="tag_"),
    *record_urls(rt, "return", "returns/", qualified=True),
    *action_urls(
        rt,
        "returns/<int:pk>/",
        *("pdf", "countersign", "check", "correct", "cancel"),
        prefix="return_",
    ),
    path("feedback/", f.feedback_mine, name="feedback_mine"),
    path("feedback/compliance/", f.feedback_compliance, name="feedback_compliance"),
    path("feedback/<int:engineer>/<str:week>/", f.feedback_week, name="feedback_week"),
    path("feedback/<int:engineer>/<str:week>/submit/", f.feedback_submit, name="feedback_submit"),
    *action_urls(f, "feedback/entries/<int:pk>/", "review", "return", prefix="feedback_"),
    *record_urls(f, "infoform", "infoforms/", qualified=True),
    *action_urls(f, "infoforms/<int:pk>/", "issue", "flag-major", prefix="infoform_"),
    path(
        "infoforms/routings/<int:pk>/acknowledge/",
        f.infoform_acknowledge,
        name="infoform_acknowledge",
    ),
]
