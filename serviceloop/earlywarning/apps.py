"""Django app for the product early-warning system (R-5.4)."""

from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class EarlyWarningConfig(wiring.AppWiring):
    name = "serviceloop.earlywarning"
    verbose_name = _("Product early warning")
    import_kinds = ("importing.KINDS",)
    periodic = ("tasks.run_analysis_task", "tasks.sweep_overdue_task")
    nav = (("alert_list", _("Early warning"), "ew.view", 40),)
