from django.urls import path

from . import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/options/", views.contact_options, name="contact_options"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
]
