from django.urls import path

from . import views

app_name = "communications"
urlpatterns = [
    path("", views.communication_list, name="list"),
    path("new/", views.communication_create, name="create"),
    path("<int:pk>/", views.communication_detail, name="detail"),
    path("<int:pk>/edit/", views.communication_edit, name="edit"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/flag-major/", views.flag_major, name="flag_major"),
    path("routings/<int:pk>/respond/", views.respond, name="respond"),
]
