from django.urls import path

from serviceloop.core.urlpaths import action_urls, record_urls

from . import views
from .actions import APPROVE, CLOSE, OVERRIDE, REJECT, REOPEN, SETTLE

app_name = "warranty"
urlpatterns = [
    *record_urls(views, "claim"),
    *action_urls(views, "<int:pk>/", OVERRIDE, "redecide", APPROVE, REJECT, REOPEN, SETTLE, CLOSE),
    path("<int:pk>/letter/", views.decision_letter, name="decision_letter"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("imports/", views.imports, name="imports"),  # moved: redirects to core's imports
]
