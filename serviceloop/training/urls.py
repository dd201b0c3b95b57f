from django.urls import path

from serviceloop.core.urlpaths import action_urls, record_urls

from . import views

app_name = "training"
urlpatterns = [
    *record_urls(views, "training", pages=("list", "create", "detail")),
    *action_urls(views, "<int:pk>/", "attendance", "cancel"),
    path("<int:pk>/attendees/", views.attendee_add, name="attendee_add"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/attachments/<int:att_pk>/", views.attachment, name="attachment"),
    path("people/<int:user_pk>/", views.person, name="person"),
    path("mine/", views.mine, name="mine"),
]
