from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresalesConfig(AppConfig):
    name = "serviceloop.presales"
    label = "presales"
    verbose_name = _("Pre-sale and orders")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.importing import register
        from serviceloop.core.jobs import register_periodic

        from . import importing, my_work, permissions, tasks  # noqa: F401  (actions, "my work")

        register(importing.ORDERS)
        from serviceloop.core import routing

        from .models import OrderRouting

        routing.register_history(OrderRouting)
        register_periodic(tasks.sweep_overdue_task)
        nav.register("presales:requirements", _("Customer requirements"), "requirement.view", 20)
        nav.register("presales:samples", _("Sample requests"), "sample.view", 21)
        nav.register("presales:special", _("Special requests"), "special.view", 22)
        nav.register("presales:orders", _("Orders"), "order.view", 23)
        nav.register("presales:leadership", _("Pre-sale: late"), "presales.leadership", 24)
