from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "serviceloop.complaints"
    label = "complaints"
    verbose_name = _("Complaints and 8D")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers this app's actions)
