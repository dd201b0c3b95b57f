from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class WarrantyConfig(wiring.AppWiring):
    name = "serviceloop.warranty"
    verbose_name = _("Warranty (三包)")
    import_kinds = ("importing.CLAIMS",)
    history_links = {"warrantyclaim": "detail"}
    nav = (("list", _("Warranty claims"), "warranty.view", 40),)
