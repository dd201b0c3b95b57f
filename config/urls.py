from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from serviceloop.core.health import healthz

from .api import api

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="core/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="core/password_done.html"),
        name="password_change_done",
    ),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("customers/", include("serviceloop.customers.urls")),
    path("communications/", include("serviceloop.communications.urls")),
    path("complaints/", include("serviceloop.complaints.urls")),
    path("warranty/", include("serviceloop.warranty.urls")),
    path("field-service/", include("serviceloop.fieldservice.urls")),
    path("early-warning/", include("serviceloop.earlywarning.urls")),
    path("imports/", include("serviceloop.core.importing.urls")),
    path("presales/", include("serviceloop.presales.urls")),
    path("visits/", include("serviceloop.visits.urls")),
    path("training/", include("serviceloop.training.urls")),
    path("records/", include("serviceloop.records.urls")),
    path("summaries/", include("serviceloop.summaries.urls")),
    path("", include("serviceloop.core.urls")),
]
