from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class VisitsConfig(wiring.AppWiring):
    name = "serviceloop.visits"
    verbose_name = _("Customer visits")
    periodic = ("tasks.sweep_visits_task",)
    nav = (("list", _("Visits"), "visit_record.view", 60),)
