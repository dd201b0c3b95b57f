from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class RecordsConfig(wiring.AppWiring):
    name = "serviceloop.records"
    verbose_name = _("Records and retention")
    periodic = ("tasks.disposal_review_task",)
    system_actors = {"retention_review": _("disposal review")}
    nav = (("retention", _("Retention"), "records.view", 905),)
