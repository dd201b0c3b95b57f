from django.urls import path

from ..urlpaths import action_urls
from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    *action_urls(views, "<int:pk>/", "confirm", "discard"),
    path("<int:pk>/errors.xlsx", views.errors, name="errors"),
    path("templates/<str:kind>/", views.template, name="template"),
]
