from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "serviceloop.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(_seed, sender=self, dispatch_uid="serviceloop.core.seed")
        from . import nav, receivers  # noqa: F401  (receivers: audit of users made outside services)
        from .importing import my_work as import_work
        from .importing.tasks import reap_imports_task
        from .jobs import register_periodic
        from .my_work import register as register_work

        register_periodic(reap_imports_task)
        from .tasks import scheduled_backup_task

        register_periodic(scheduled_backup_task)
        from .export_jobs import export_work
        from .tasks import reap_task_records_task, sweep_exports_task

        register_periodic(sweep_exports_task)
        register_periodic(reap_task_records_task)
        register_work(export_work)
        register_work(import_work.import_work)

        nav.register("core:my_work", _("My work"), None, 0)
        nav.register("core:audit", _("Audit log"), "audit.view", 900)
        nav.register("core:company_settings", _("Company profile"), "company.edit", 910)
        nav.register("core:backups", _("Backups"), "backup.manage", 920)


def _seed(sender, using: str = "default", apps=None, **kwargs) -> None:
    """After every migrate (and flush): the fixed roles and default departments exist."""
    from django.apps import apps as installed

    from .seed import seed_roles_and_departments

    apps = apps or installed
    try:
        apps.get_model("core", "Department")
    except LookupError:  # migrating backwards, before core's tables exist
        return
    seed_roles_and_departments(apps, using)
