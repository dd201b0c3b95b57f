from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldServiceConfig(AppConfig):
    name = "serviceloop.fieldservice"
    label = "fieldservice"
    verbose_name = _("Field service")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.jobs import register_periodic

        from . import my_work, permissions, tasks  # noqa: F401  (registers actions and "my work")

        register_periodic(tasks.sweep_fieldservice_task)

        nav.register("fieldservice:home", _("Field service"), "fieldservice.view", 50)
        nav.register("fieldservice:record_quick", _("Record service"), "record.create", 51)
        nav.register("fieldservice:warehouse", _("Warehouse queue"), "warehouse.handle", 52)
