from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class PresalesConfig(wiring.AppWiring):
    name = "serviceloop.presales"
    verbose_name = _("Pre-sale and orders")
    import_kinds = ("importing.ORDERS",)
    periodic = ("tasks.sweep_overdue_task",)
    routings = ("models.OrderRouting",)
    nav = (
        ("requirements", _("Customer requirements"), "requirement.view", 20),
        ("samples", _("Sample requests"), "sample.view", 21),
        ("special", _("Special requests"), "special.view", 22),
        ("orders", _("Orders"), "order.view", 23),
        ("leadership", _("Pre-sale: late"), "presales.leadership", 24),
    )
