from django.urls import path

from . import views

app_name = "presales"
urlpatterns = [
    path("requirements/", views.requirement_list, name="requirements"),
    path("requirements/new/", views.requirement_create, name="requirement_create"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement"),
    path(
        "requirements/<int:pk>/evaluate/", views.requirement_evaluate, name="requirement_evaluate"
    ),
    path(
        "requirements/<int:pk>/conclude/", views.requirement_conclude, name="requirement_conclude"
    ),
    path("requirements/<int:pk>/attach/", views.requirement_attach, name="requirement_attach"),
    path(
        "requirements/<int:pk>/files/<int:attachment_pk>/",
        views.requirement_attachment,
        name="requirement_attachment",
    ),
    path("requirements/<int:pk>/action/", views.requirement_action, name="requirement_action"),
    path("requirements/<int:pk>/result/", views.requirement_result, name="requirement_result"),
    path("actions/<int:pk>/done/", views.followup_done, name="followup_done"),
    path(
        "communications/<int:pk>/result/", views.communication_result, name="communication_result"
    ),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/send/", views.result_send, name="result_send"),
    path("results/<int:pk>/pdf/", views.result_pdf, name="result_pdf"),
    path("results/<int:pk>/docx/", views.result_docx, name="result_docx"),
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
    path("special/<int:pk>/decide/", views.special_decide, name="special_decide"),
    path("special/<int:pk>/fulfil/", views.special_fulfil, name="special_fulfil"),
    path("special/<int:pk>/explain/", views.special_explain, name="special_explain"),
    path("special/<int:pk>/document/", views.special_document, name="special_document"),
    path("special/<int:pk>/letter.pdf", views.special_letter_pdf, name="special_letter_pdf"),
    path("special/<int:pk>/letter.docx", views.special_letter_docx, name="special_letter_docx"),
    path("orders/", views.order_list, name="orders"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/import/", views.order_import, name="order_import"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/progress/", views.order_progress, name="order_progress"),
    path("orders/<int:pk>/lines/", views.order_add_line, name="order_add_line"),
    path("orders/<int:pk>/plan/", views.order_plan, name="order_plan"),
    path("orders/<int:pk>/routings/", views.order_route, name="order_route"),
    path(
        "orders/<int:pk>/routings/<int:routing_id>/acknowledge/",
        views.order_routing_acknowledge,
        name="order_routing_acknowledge",
    ),
    path("leadership/", views.leadership, name="leadership"),
]
