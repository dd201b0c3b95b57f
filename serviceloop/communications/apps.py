from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "serviceloop.communications"
    label = "communications"
    verbose_name = _("Communications")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.jobs import register_periodic

        from . import my_work, permissions, tasks  # noqa: F401  (registers actions and "my work")

        register_periodic(tasks.sweep_overdue_task)
        from serviceloop.core import history, routing

        from .models import Routing

        routing.register_history(Routing)
        history.register_link("communications.communication", "communications:detail")

        nav.register("communications:list", _("Communications"), "communication.view", 10)
