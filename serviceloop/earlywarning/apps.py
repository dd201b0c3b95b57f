"""Django app for the product early-warning system (R-5.4)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlyWarningConfig(AppConfig):
    name = "serviceloop.earlywarning"
    label = "earlywarning"
    verbose_name = _("Product early warning")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.importing import register
        from serviceloop.core.jobs import register_periodic

        from . import importing, my_work, permissions, receivers, tasks  # noqa: F401

        for kind in importing.KINDS:
            register(kind)

        register_periodic(tasks.run_analysis_task)
        register_periodic(tasks.sweep_overdue_task)
        nav.register("earlywarning:alert_list", _("Early warning"), "ew.view", 40)
