from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "serviceloop.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from serviceloop.core import nav

        from . import permissions  # noqa: F401  (registers this app's actions)

        nav.register("customers:list", _("Customers"), "customer.view", 20)
        from serviceloop.core import history

        history.register_link("customers.customer", "customers:detail")
        nav.register("customers:agreement_list", _("Service agreements"), "agreement.view", 21)
