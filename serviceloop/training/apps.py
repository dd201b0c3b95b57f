from django.utils.translation import gettext_lazy as _

from serviceloop.core import wiring


class TrainingConfig(wiring.AppWiring):
    name = "serviceloop.training"
    verbose_name = _("Training")
    periodic = ("tasks.training_warning_task",)
    nav = (("list", _("Training"), "training.view", 66),)
