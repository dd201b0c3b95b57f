from django.urls import path

from . import views

app_name = "summaries"
urlpatterns = [
    path("", views.summary_list, name="list"),
    path("new/", views.summary_create, name="create"),
    path("<int:pk>/", views.summary_detail, name="detail"),
    path("<int:pk>/narrative/", views.summary_edit, name="edit"),
    path("<int:pk>/refresh/", views.summary_refresh, name="refresh"),
    path("<int:pk>/submit/", views.summary_submit, name="submit"),
    path("<int:pk>/approve/", views.summary_approve, name="approve"),
    path("<int:pk>/pdf/", views.summary_pdf_view, name="pdf"),
    path("<int:pk>/docx/", views.summary_docx_view, name="docx"),
]
