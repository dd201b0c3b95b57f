from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class CommunicationsConfig(wiring.AppWiring):
    name = "serviceloop.communications"
    verbose_name = _("Communications")
    periodic = ("tasks.sweep_overdue_task",)
    routings = ("models.Routing",)
    history_links = {"communication": "detail"}
    nav = (("list", _("Communications"), "communication.view", 10),)
