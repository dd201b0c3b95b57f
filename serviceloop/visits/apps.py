from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "serviceloop.visits"
    label = "visits"
    verbose_name = _("Customer visits")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.jobs import register_periodic

        from . import my_work, permissions, tasks  # noqa: F401  (registers actions and "my work")

        register_periodic(tasks.sweep_visits_task)
        nav.register("visits:list", _("Visits"), "visit_record.view", 60)
