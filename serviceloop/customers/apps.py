from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class CustomersConfig(wiring.AppWiring):
    name = "serviceloop.customers"
    verbose_name = _("Customers")
    history_links = {"customer": "detail"}
    nav = (
        ("list", _("Customers"), "customer.view", 20),
        ("agreement_list", _("Service agreements"), "agreement.view", 21),
    )
