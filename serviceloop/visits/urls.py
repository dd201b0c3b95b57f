from django.urls import path

from serviceloop.core.urlpaths import action_urls, record_urls

from . import views

app_name = "visits"
urlpatterns = [
    *record_urls(views, "record", pages=("list", "create", "detail")),
    *action_urls(views, "<int:pk>/", "review", "distribute", "read", view_prefix="record_"),
    path("<int:pk>/communication/", views.record_raise, name="raise"),
    path("<int:pk>/actions/", views.action_create, name="action_create"),
    path("actions/", views.action_list, name="actions"),
    *action_urls(views, "actions/<int:pk>/", "close", "verify", prefix="action_"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/items/", views.plan_item_add, name="plan_item_add"),
    path("plans/items/<int:pk>/remove/", views.plan_item_remove, name="plan_item_remove"),
    *action_urls(views, "plans/<int:pk>/", "submit", "review", "approve", prefix="plan_"),
    path("board/", views.board, name="board"),
]
