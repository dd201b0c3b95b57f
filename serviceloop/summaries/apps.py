from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    name = "serviceloop.summaries"
    label = "summaries"
    verbose_name = _("Service work summaries")

    def ready(self) -> None:
        from serviceloop.core import nav

        from . import my_work, permissions  # noqa: F401  (registers actions and "my work")

        nav.register("summaries:list", _("Work summaries"), "summary.view", 68)
