from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "serviceloop.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from serviceloop.core import nav
        from serviceloop.core.jobs import register_periodic

        from . import my_work, permissions, tasks  # noqa: F401  (registers actions and "my work")

        register_periodic(tasks.training_warning_task)
        nav.register("training:list", _("Training"), "training.view", 66)
