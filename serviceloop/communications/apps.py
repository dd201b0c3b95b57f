from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "serviceloop.communications"
    label = "communications"
    verbose_name = _("Communications")

    def ready(self) -> None:
        from . import work  # noqa: F401  (registers the "my work" provider)
