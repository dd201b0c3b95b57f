from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_create, name="create"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/review/", views.record_review, name="review"),
    path("<int:pk>/distribute/", views.record_distribute, name="distribute"),
    path("<int:pk>/read/", views.record_read, name="read"),
    path("<int:pk>/communication/", views.record_raise, name="raise"),
    path("<int:pk>/actions/", views.action_create, name="action_create"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<int:pk>/close/", views.action_close, name="action_close"),
    path("actions/<int:pk>/verify/", views.action_verify, name="action_verify"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/items/", views.plan_item_add, name="plan_item_add"),
    path("plans/items/<int:pk>/remove/", views.plan_item_remove, name="plan_item_remove"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("board/", views.board, name="board"),
]
