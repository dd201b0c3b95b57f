from django.urls import path

from serviceloop.core.urlpaths import action_urls, record_urls

from . import views

app_name = "summaries"
urlpatterns = [
    *record_urls(views, "summary", pages=("list", "create", "detail")),
    path("<int:pk>/narrative/", views.summary_edit, name="edit"),
    *action_urls(views, "<int:pk>/", "refresh", "submit", "approve", view_prefix="summary_"),
    path("<int:pk>/pdf/", views.summary_pdf_view, name="pdf"),
    path("<int:pk>/docx/", views.summary_docx_view, name="docx"),
]
