from django.urls import URLPattern, path

from serviceloop.core.urlpaths import action_urls, record_urls

from .actions import ALERT_ACKNOWLEDGE, ALERT_CLOSE, ALERT_DISMISS
from .views import alerts, data, imports, reports, runs


def _data_table(entity: str, at: str) -> list[URLPattern]:
    """A table of field data: its list, the new-row form, a row's form and its deletion."""
    return [
        *record_urls(data, entity, at, qualified=True, pages=("list", "create")),
        path(f"{at}<int:pk>/", getattr(data, f"{entity}_edit"), name=f"{entity}_edit"),
        *action_urls(data, f"{at}<int:pk>/", "delete", prefix=f"{entity}_"),
    ]


app_name = "earlywarning"
urlpatterns = [
    path("", alerts.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    *action_urls(
        alerts, "alerts/<int:pk>/", ALERT_ACKNOWLEDGE, ALERT_DISMISS, ALERT_CLOSE, prefix="alert_"
    ),
    path("alerts/<int:pk>/report/", alerts.report_create, name="report_create"),
    *record_urls(reports, "report", "reports/", qualified=True, pages=("list", "detail", "edit")),
    *action_urls(reports, "reports/<int:pk>/", "refresh", "issue", prefix="report_"),
    path("reports/<int:pk>/notify/", reports.notification_create, name="notification_create"),
    path("reports/<int:pk>/pdf/", reports.report_pdf_view, name="report_pdf"),
    path("parts/", alerts.part_list, name="part_list"),
    path("parts/<str:part>/", alerts.part_dashboard, name="part_dashboard"),
    path("parts/<str:part>/recompute/", alerts.part_recompute, name="part_recompute"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/now/", runs.run_now, name="run_now"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    *_data_table("production", "data/production/"),
    *_data_table("purchase", "data/purchases/"),
    *_data_table("survey", "data/surveys/"),
    *_data_table("baseline", "data/baselines/"),
    # moved to core's imports: the old URLs redirect there
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_create, name="import_create"),
]
