from django.urls import path

from serviceloop.core.urlpaths import action_urls

from . import views

app_name = "presales"
urlpatterns = [
    path("requirements/", views.requirement_list, name="requirements"),
    path("requirements/new/", views.requirement_create, name="requirement_create"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement"),
    *action_urls(
        views,
        "requirements/<int:pk>/",
        *("evaluate", "conclude", "attach", "action", "result"),
        prefix="requirement_",
    ),
    path(
        "requirements/<int:pk>/files/<int:attachment_pk>/",
        views.requirement_attachment,
        name="requirement_attachment",
    ),
    path("actions/<int:pk>/done/", views.followup_done, name="followup_done"),
    path(
        "communications/<int:pk>/result/", views.communication_result, name="communication_result"
    ),
    path("results/<int:pk>/", views.result_detail, name="result"),
    *action_urls(views, "results/<int:pk>/", "send", "pdf", "docx", prefix="result_"),
    path("samples/", views.sample_list, name="samples"),
    path("samples/new/", views.sample_create, name="sample_create"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    *(
        path(f"samples/<int:pk>/{step}/", views.sample_step, {"step": step}, name=f"sample_{step}")
        for step in ("approve", "reject", "schedule", "made", "deliver", "confirm")
    ),
    path(
        "samples/<int:pk>/files/<int:attachment_pk>/",
        views.sample_attachment,
        name="sample_attachment",
    ),
    path("special/", views.special_list, name="special"),
    path("special/new/", views.special_create, name="special_create"),
    path("special/<int:pk>/", views.special_detail, name="special_detail"),
    *action_urls(
        views,
        "special/<int:pk>/",
        *("decide", "fulfil", "explain", "document"),
        prefix="special_",
    ),
    path("special/<int:pk>/letter.pdf", views.special_letter_pdf, name="special_letter_pdf"),
    path("special/<int:pk>/letter.docx", views.special_letter_docx, name="special_letter_docx"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/import/", views.order_import, name="order_import"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    *action_urls(views, "orders/<int:pk>/", "progress", "plan", prefix="order_"),
    path("orders/<int:pk>/lines/", views.order_add_line, name="order_add_line"),
    path("orders/<int:pk>/routings/", views.order_route, name="order_route"),
    path(
        "orders/<int:pk>/routings/<int:routing_id>/acknowledge/",
        views.order_routing_acknowledge,
        name="order_routing_acknowledge",
    ),
    path("leadership/", views.leadership, name="leadership"),
]
