from django.urls import path

from . import backup_views, company_views, export_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", views.my_work, name="my_work"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/file", export_views.export_file, name="export_file"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("audit/", views.audit, name="audit"),
    path("profile/", views.profile, name="profile"),
    path("settings/company/", company_views.company_settings, name="company_settings"),
    path("settings/backups/", backup_views.backups, name="backups"),
    path("settings/backups/now/", backup_views.backup_now, name="backup_now"),
]
