from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class FieldServiceConfig(wiring.AppWiring):
    name = "serviceloop.fieldservice"
    verbose_name = _("Field service")
    import_kinds = ("importing.SERVICE_RECORDS",)
    periodic = ("tasks.sweep_fieldservice_task",)
    history_children = (
        ("escalation", "escalationnote", "escalation"),
        ("partsrequest", "partsrequestline", "request"),
        ("informationfeedbackform", "infoformrouting", "form"),
        ("returnforrepairform", "returnline", "form"),
    )
    history_links = {
        "servicerecord": "record_detail",
        "escalation": "escalation_detail",
        "partsrequest": "request_detail",
        "nonconformingtag": "tag_detail",
        "returnforrepairform": "return_detail",
        "informationfeedbackform": "infoform_detail",
        "engineerassignment": "assignment_detail",
    }
    nav = (
        ("home", _("Field service"), "fieldservice.view", 50),
        ("record_quick", _("Record service"), "record.create", 51),
        ("warehouse", _("Warehouse queue"), "warehouse.handle", 52),
    )
