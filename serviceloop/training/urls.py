from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.training_list, name="list"),
    path("new/", views.training_create, name="create"),
    path("<int:pk>/", views.training_detail, name="detail"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendees/", views.attendee_add, name="attendee_add"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/attachments/<int:att_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("people/<int:user_pk>/", views.person, name="person"),
    path("mine/", views.mine, name="mine"),
]
