from django.urls import path

from . import views

app_name = "warranty"
urlpatterns = [
    path("", views.claim_list, name="list"),
    path("new/", views.claim_create, name="create"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/edit/", views.claim_edit, name="edit"),
    path("<int:pk>/override/", views.override, name="override"),
    path("<int:pk>/redecide/", views.redecide, name="redecide"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/settle/", views.settle, name="settle"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/letter/", views.decision_letter, name="decision_letter"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("imports/", views.imports, name="imports"),  # moved: redirects to core's imports
]
