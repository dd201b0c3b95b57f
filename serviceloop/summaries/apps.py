from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class SummariesConfig(wiring.AppWiring):
    name = "serviceloop.summaries"
    verbose_name = _("Service work summaries")
    nav = (("list", _("Work summaries"), "summary.view", 68),)
