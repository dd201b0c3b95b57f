from django.urls import path

from serviceloop.core.urlpaths import action_urls

from . import views

app_name = "records"
urlpatterns = [
    path("retention/", views.retention, name="retention"),
    *action_urls(views, "retention/reviews/<int:pk>/", "dispose", "keep"),
    path("retention/period/", views.period, name="period"),
    path("holds/", views.hold_place, name="hold_place"),
    *action_urls(views, "holds/<int:pk>/", "lift", prefix="hold_"),
]
