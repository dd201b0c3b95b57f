from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "serviceloop.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import nav, receivers  # noqa: F401  (receivers: audit of users made outside services)

        nav.register("core:my_work", _("My work"), None, 0)
        nav.register("core:audit", _("Audit log"), "audit.view", 900)
