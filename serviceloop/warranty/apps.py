from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarrantyConfig(AppConfig):
    name = "serviceloop.warranty"
    label = "warranty"
    verbose_name = _("Warranty (三包)")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.importing import register

        from . import importing, my_work, permissions  # noqa: F401  (actions, "my work")

        nav.register("warranty:list", _("Warranty claims"), "warranty.view", 40)
        from serviceloop.core import history

        history.register_link("warranty.warrantyclaim", "warranty:detail")
        register(importing.CLAIMS)
