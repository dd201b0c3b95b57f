"""What people do with alerts (R-5.4.2): Quality acknowledges or dismisses (with a reason),
Sales closes once the customer knows and a solution is agreed; and the overdue sweep."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_flag, snapshot
from serviceloop.core.models import User
from serviceloop.core.notifications import Later, Message, notify, users_with_roles
from serviceloop.core.permissions import require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition
from serviceloop.core.validation import required_text

from ..models import (
    ALERT_TRANSITIONS,
    REPORT_TRANSITIONS,
    Alert,
    AlertStatus,
    FailureAnalysisReport,
    ReportStatus,
)
from ..models.alerts import OPEN_STATUSES


def _locked(alert: Alert) -> Alert:
    return Alert.objects.select_for_update(of=("self",)).select_related("customer").get(pk=alert.pk)


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, note: str = "") -> Alert:
    """Quality has seen the alert and is analysing the possible failure (R-5.4.2)."""
    require(actor, "ew.alert.handle")
    alert = _locked(alert)
    before = snapshot(alert)
    transition(alert, AlertStatus.ACKNOWLEDGED, actor=actor, table=ALERT_TRANSITIONS, save=False)
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), actor
    return save_audited(
        alert, actor=actor, before=before, action=AuditAction.TRANSITION, reason=note.strip()
    )


@transaction.atomic
def alert_dismiss(*, actor: User, alert: Alert, reason: str) -> Alert:
    """Quality judges that the alert needs no report (a known cause, a data error ...); the
    reason is recorded. A report draft is withdrawn with it."""
    require(actor, "ew.alert.handle")
    alert = _locked(alert)
    required_text("reason", reason, _("Record why the alert needs no report."))
    before = snapshot(alert)
    transition(alert, AlertStatus.DISMISSED, actor=actor, table=ALERT_TRANSITIONS, save=False)
    now = timezone.now()
    alert.dismissed_at, alert.dismissed_by, alert.dismiss_reason = now, actor, reason.strip()
    report = FailureAnalysisReport.objects.select_for_update().filter(alert=alert).first()
    if report is not None:
        report_before = snapshot(report)
        transition(
            report, ReportStatus.WITHDRAWN, actor=actor, table=REPORT_TRANSITIONS, save=False
        )
        save_audited(
            report,
            actor=actor,
            before=report_before,
            action=AuditAction.TRANSITION,
            reason=reason.strip(),
        )
    return save_audited(
        alert, actor=actor, before=before, action=AuditAction.TRANSITION, reason=reason.strip()
    )


@transaction.atomic
def alert_close(*, actor: User, alert: Alert, note: str = "") -> Alert:
    """Sales closes the alert once the customers are notified and the solution agreed."""
    require(actor, "ew.report.notify")
    alert = _locked(alert)
    before = snapshot(alert)
    transition(alert, AlertStatus.CLOSED, actor=actor, table=ALERT_TRANSITIONS, save=False)
    alert.closed_at, alert.closed_by, alert.close_note = timezone.now(), actor, note.strip()
    save_audited(
        alert, actor=actor, before=before, action=AuditAction.TRANSITION, reason=note.strip()
    )
    report = FailureAnalysisReport.objects.filter(alert=alert).select_related("created_by").first()
    if report is not None and report.created_by is not None:
        notify(
            [report.created_by],
            kind="ew_closed",
            title=Message(
                gettext_noop("Early warning %(number)s closed by %(who)s"),
                number=alert.number,
                who=actor,
            ),
            body=Message.verbatim(note.strip()),
            url=alert.get_absolute_url(),
            dedupe_key=f"ew:closed:{alert.pk}",
        )
    return alert


def sweep_overdue(now: datetime | None = None) -> dict[str, int]:
    """Flag alerts whose report is overdue (notify Quality) and issued reports whose customer
    notification is overdue (notify the issuer and Sales leadership). Idempotent: each is
    flagged and announced once."""
    now = now or timezone.now()
    counts = {"report": 0, "notification": 0}
    due = Alert.objects.filter(
        status__in=OPEN_STATUSES, report_due_at__lt=now, report_overdue_flagged_at__isnull=True
    ).values_list("pk", flat=True)
    quality = list(users_with_roles(RoleCode.QUALITY))
    for pk in list(due):
        with transaction.atomic():
            alert = (
                Alert.objects.select_for_update(of=("self",)).select_related("customer").get(pk=pk)
            )
            if alert.report_overdue_flagged_at is not None or alert.status not in OPEN_STATUSES:
                continue
            audit_flag(
                alert,
                "report_overdue_flagged_at",
                now,
                system="ew_sweep_overdue",
                reason="report deadline passed",
            )
            notify(
                quality,
                kind="ew_overdue",
                title=Message(
                    gettext_noop("Report overdue: early warning %(number)s — %(headline)s"),
                    number=alert.number,
                    headline=Later(
                        "serviceloop.earlywarning.documents.narrative.headline_of", alert.pk
                    ),
                ),
                url=alert.get_absolute_url(),
                dedupe_key=f"ew:report_overdue:{alert.pk}:{alert.report_due_at.isoformat()}",
            )
            counts["report"] += 1
    late = FailureAnalysisReport.objects.filter(
        status=ReportStatus.ISSUED,
        alert__status=AlertStatus.REPORT_ISSUED,
        notify_due_at__lt=now,
        notify_overdue_flagged_at__isnull=True,
    ).values_list("pk", flat=True)
    leaders = list(users_with_roles(RoleCode.SALES_LEADER))
    for pk in list(late):
        with transaction.atomic():
            report = (
                FailureAnalysisReport.objects.select_for_update(of=("self",))
                .select_related("alert", "issued_by")
                .get(pk=pk)
            )
            if report.notify_overdue_flagged_at is not None:
                continue
            audit_flag(
                report,
                "notify_overdue_flagged_at",
                now,
                system="ew_sweep_overdue",
                reason="customer notification deadline passed",
            )
            notify(
                [*leaders, *([report.issued_by] if report.issued_by else [])],
                kind="ew_overdue",
                title=Message(
                    gettext_noop("Customer not yet notified: report %(number)s"),
                    number=report.number,
                ),
                url=report.get_absolute_url(),
                dedupe_key=f"ew:notify_overdue:{report.pk}",
            )
            counts["notification"] += 1
    return counts
