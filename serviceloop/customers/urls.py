from django.urls import path

from serviceloop.core.urlpaths import record_urls

from . import views

app_name = "customers"
urlpatterns = [
    *record_urls(views, "customer"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/options/", views.contact_options, name="contact_options"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    *record_urls(views, "agreement", "agreements/", qualified=True, pages=("list", "edit")),
    path("<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
]
