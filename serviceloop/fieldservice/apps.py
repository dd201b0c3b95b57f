from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldServiceConfig(AppConfig):
    name = "serviceloop.fieldservice"
    label = "fieldservice"
    verbose_name = _("Field service")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.importing import register
        from serviceloop.core.jobs import register_periodic

        from . import importing, my_work, permissions, tasks  # noqa: F401  (actions, "my work")

        register_periodic(tasks.sweep_fieldservice_task)
        from serviceloop.core import history

        for parent, child, fk in (
            ("escalation", "escalationnote", "escalation"),
            ("partsrequest", "partsrequestline", "request"),
            ("informationfeedbackform", "infoformrouting", "form"),
            ("returnforrepairform", "returnline", "form"),
        ):
            history.register_children(f"fieldservice.{parent}", f"fieldservice.{child}", fk)
        for model, url in (
            ("servicerecord", "record_detail"),
            ("escalation", "escalation_detail"),
            ("partsrequest", "request_detail"),
            ("nonconformingtag", "tag_detail"),
            ("returnforrepairform", "return_detail"),
            ("informationfeedbackform", "infoform_detail"),
            ("engineerassignment", "assignment_detail"),
        ):
            history.register_link(f"fieldservice.{model}", f"fieldservice:{url}")
        register(importing.SERVICE_RECORDS)

        nav.register("fieldservice:home", _("Field service"), "fieldservice.view", 50)
        nav.register("fieldservice:record_quick", _("Record service"), "record.create", 51)
        nav.register("fieldservice:warehouse", _("Warehouse queue"), "warehouse.handle", 52)
