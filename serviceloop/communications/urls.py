from django.urls import path

from serviceloop.core.urlpaths import action_urls, record_urls

from . import views
from .actions import ANSWER, EXTEND, FEEDBACK, ROUTE

app_name = "communications"
urlpatterns = [
    *record_urls(views, "communication"),
    *action_urls(views, "<int:pk>/", ANSWER, FEEDBACK, EXTEND, ROUTE, "flag-major"),
    path("routings/<int:pk>/respond/", views.respond, name="respond"),
]
