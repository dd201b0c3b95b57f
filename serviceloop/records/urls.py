from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("retention/reviews/<int:pk>/dispose/", views.dispose, name="dispose"),
    path("retention/reviews/<int:pk>/keep/", views.keep, name="keep"),
    path("retention/period/", views.period, name="period"),
    path("holds/", views.hold_place, name="hold_place"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
]
