from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/errors.xlsx", views.errors, name="errors"),
    path("templates/<str:kind>/", views.template, name="template"),
]
