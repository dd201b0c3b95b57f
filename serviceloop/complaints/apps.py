from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class ComplaintsConfig(wiring.AppWiring):
    name = "serviceloop.complaints"
    verbose_name = _("Complaints and 8D")
    periodic = ("tasks.sweep_overdue_task",)
    history_children = tuple(
        ("eightdreport", child, "report")
        for child in (
            "discipline",
            "teammember",
            "containment",
            "rootcause",
            "actionitem",
            "circulation",
            "replyletter",
        )
    )
    history_links = {"complaint": "detail", "eightdreport": "eightd"}
    nav = (
        ("list", _("Complaints"), "complaint.view", 30),
        ("actions", _("8D actions"), "eightd.view", 31),
        ("review", _("Complaint review"), "review.view", 32),
    )
