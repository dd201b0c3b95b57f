"""Background jobs of the core: e-mail for notifications. Jobs take ids, not objects."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django_tasks import task

from .models import BackupRun, BackupStatus, Notification
from .notifications import reader_language


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    sent = 0
    for n in Notification.objects.select_related("recipient").filter(pk__in=notification_ids):
        if not n.recipient.email:
            continue
        with translation.override(reader_language(n.recipient)):
            title, body = n.title_text, n.body_text
        if n.url:
            body = f"{body}\n\n{n.url}".strip()
        send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
        sent += 1
    return sent


@task()
def run_backup_task(run_id: int) -> str:
    """A backup an administrator asked for ("back up now")."""
    from .backup_runs import perform_backup

    run = BackupRun.objects.filter(pk=run_id, status=BackupStatus.RUNNING).first()
    if run is None:
        return "gone"
    return perform_backup(run).status


@task()
def scheduled_backup_task() -> str:
    """The daily backup with rotation (periodic; idempotent: one a day)."""
    from .backup_runs import scheduled_backup

    return scheduled_backup()


@task()
def run_export_task(job_id: int) -> str:
    """A large export (core.export_jobs)."""
    from . import export_jobs

    return export_jobs.run(job_id)


@task()
def sweep_exports_task() -> int:
    """Queue again the exports whose worker died and remove expired files; idempotent."""
    from . import export_jobs

    return export_jobs.sweep()


@task()
def reap_task_records_task() -> int:
    """Mark failed the queue records of tasks whose worker stopped (core.jobs); idempotent."""
    from .jobs import reap_task_records

    return reap_task_records()
