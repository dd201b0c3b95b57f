from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "serviceloop.complaints"
    label = "complaints"
    verbose_name = _("Complaints and 8D")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.jobs import register_periodic

        from . import my_work, permissions, receivers, tasks  # noqa: F401  (actions, "my work")

        receivers.connect()
        register_periodic(tasks.sweep_overdue_task)
        from serviceloop.core import history

        for child in (
            "discipline",
            "teammember",
            "containment",
            "rootcause",
            "actionitem",
            "circulation",
            "replyletter",
        ):
            history.register_children("complaints.eightdreport", f"complaints.{child}", "report")
        history.register_link("complaints.complaint", "complaints:detail")
        history.register_link("complaints.eightdreport", "complaints:eightd")
        nav.register("complaints:list", _("Complaints"), "complaint.view", 30)
        nav.register("complaints:actions", _("8D actions"), "eightd.view", 31)
        nav.register("complaints:review", _("Complaint review"), "review.view", 32)
