from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarrantyConfig(AppConfig):
    name = "serviceloop.warranty"
    label = "warranty"
    verbose_name = _("Warranty (三包)")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers this app's actions)
