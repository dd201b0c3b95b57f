from django.urls import path

from .views import alerts, data, imports, reports, runs

app_name = "earlywarning"
urlpatterns = [
    path("", alerts.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", alerts.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/dismiss/", alerts.alert_dismiss, name="alert_dismiss"),
    path("alerts/<int:pk>/close/", alerts.alert_close, name="alert_close"),
    path("alerts/<int:pk>/report/", alerts.report_create, name="report_create"),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/refresh/", reports.report_refresh, name="report_refresh"),
    path("reports/<int:pk>/issue/", reports.report_issue, name="report_issue"),
    path("reports/<int:pk>/notify/", reports.notification_create, name="notification_create"),
    path("reports/<int:pk>/pdf/", reports.report_pdf_view, name="report_pdf"),
    path("parts/", alerts.part_list, name="part_list"),
    path("parts/<str:part>/", alerts.part_dashboard, name="part_dashboard"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/now/", runs.run_now, name="run_now"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("data/production/", data.production_list, name="production_list"),
    path("data/production/new/", data.production_create, name="production_create"),
    path("data/production/<int:pk>/", data.production_edit, name="production_edit"),
    path("data/production/<int:pk>/delete/", data.production_delete, name="production_delete"),
    path("data/purchases/", data.purchase_list, name="purchase_list"),
    path("data/purchases/new/", data.purchase_create, name="purchase_create"),
    path("data/purchases/<int:pk>/", data.purchase_edit, name="purchase_edit"),
    path("data/purchases/<int:pk>/delete/", data.purchase_delete, name="purchase_delete"),
    path("data/surveys/", data.survey_list, name="survey_list"),
    path("data/surveys/new/", data.survey_create, name="survey_create"),
    path("data/surveys/<int:pk>/", data.survey_edit, name="survey_edit"),
    path("data/surveys/<int:pk>/delete/", data.survey_delete, name="survey_delete"),
    path("data/baselines/", data.baseline_list, name="baseline_list"),
    path("data/baselines/new/", data.baseline_create, name="baseline_create"),
    path("data/baselines/<int:pk>/", data.baseline_edit, name="baseline_edit"),
    path("data/baselines/<int:pk>/delete/", data.baseline_delete, name="baseline_delete"),
    # moved to core's imports: the old URLs redirect there
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_create, name="import_create"),
]
