"""The backups page (/settings/backups/): administrators only. The last runs, whether each
was verified, and "back up now" (enqueues the backup job)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .backup_runs import backup_request
from .models import BackupRun
from .permissions import require
from .views_support import AuthedRequest

SHOWN = 30


def backups(request: AuthedRequest) -> HttpResponse:
    require(request.user, "backup.manage")
    runs = list(BackupRun.objects.select_related("requested_by")[:SHOWN])
    return render(
        request,
        "core/backups.html",
        {
            "runs": runs,
            "last": runs[0] if runs else None,
            "folder": settings.SERVICELOOP_BACKUP_DIR,
            "keep_daily": settings.SERVICELOOP_BACKUP_KEEP_DAILY,
            "keep_monthly": settings.SERVICELOOP_BACKUP_KEEP_MONTHLY,
            "scheduled": settings.SERVICELOOP_BACKUP_SCHEDULED,
        },
    )


@require_POST
def backup_now(request: AuthedRequest) -> HttpResponse:
    require(request.user, "backup.manage")
    backup_request(actor=request.user)
    messages.success(request, _("The backup has been queued; this page shows its result."))
    return redirect("core:backups")
