from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "serviceloop.records"
    label = "records"
    verbose_name = _("Records and retention")

    def ready(self) -> None:
        from serviceloop.core import history, nav
        from serviceloop.core.jobs import register_periodic

        from . import my_work, permissions, tasks  # noqa: F401  (registers actions and "my work")

        register_periodic(tasks.disposal_review_task)
        nav.register("records:retention", _("Retention"), "records.view", 905)
        history.register_system_actor("retention_review", _("disposal review"))
