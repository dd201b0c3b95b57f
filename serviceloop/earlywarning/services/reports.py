"""The written failure-analysis report (书面报告, R-5.4.2): Quality drafts it (pre-filled
from the alert's evidence), edits it and issues it to Sales; Sales records each customer
notification with the agreed solution."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from serviceloop.core.audit import AuditAction, audit_update, snapshot
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import User
from serviceloop.core.notifications import Message, notify, users_with_roles
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import transition
from serviceloop.customers.models import Contact, Customer

from ..documents import narrative
from ..domain import clocks
from ..models import (
    ALERT_TRANSITIONS,
    REPORT_TRANSITIONS,
    Alert,
    AlertStatus,
    Channel,
    CustomerNotification,
    FailureAnalysisReport,
    ReportStatus,
)
from ..models.alerts import REPORT_SECTIONS

EDITABLE = ("title", *(name for name, _label in REPORT_SECTIONS))
REQUIRED_FOR_ISSUE = ("phenomenon", "analysis", "actions")
SALES_RECIPIENTS = (RoleCode.SALES, RoleCode.SALES_LEADER)


def _locked_report(report: FailureAnalysisReport) -> FailureAnalysisReport:
    return (
        FailureAnalysisReport.objects.select_for_update(of=("self",))
        .select_related("alert", "alert__customer")
        .get(pk=report.pk)
    )


def _must_be_draft(report: FailureAnalysisReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("The report is %(state)s; it cannot be changed any more.")
                % {"state": ReportStatus(report.status).label}
            }
        )


@transaction.atomic
def report_draft(*, actor: User, alert: Alert) -> FailureAnalysisReport:
    """Start the written report on an alert, pre-filled from its evidence in the company
    language; the alert moves to "report drafted" (acknowledging it if needed)."""
    require(actor, "ew.report.write")
    alert = (
        Alert.objects.select_for_update(of=("self",)).select_related("customer").get(pk=alert.pk)
    )
    if FailureAnalysisReport.objects.filter(alert=alert).exists():
        raise ValidationError({"alert": _("This alert already has a report.")})
    before = snapshot(alert)
    transition(alert, AlertStatus.REPORT_DRAFTED, actor=actor, table=ALERT_TRANSITIONS, save=False)
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, actor
    save_audited(alert, actor=actor, before=before, action=AuditAction.TRANSITION)
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        sections = narrative.draft_sections(alert)
    report = FailureAnalysisReport(
        number=next_number("EWR", now),
        alert=alert,
        evidence=alert.evidence,
        chart=alert.chart,
        language=language,
        created_by=actor,
        created_at=now,
        **sections,
    )
    return save_audited(report, actor=actor, before=None, clean=True)


@transaction.atomic
def report_update(
    *, actor: User, report: FailureAnalysisReport, reason: str = "", **data: Any
) -> FailureAnalysisReport:
    """Quality edits the title and sections of a draft."""
    require(actor, "ew.report.write")
    report = _locked_report(report)
    _must_be_draft(report)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({k: _("This field cannot be changed here.") for k in unknown})
    before = snapshot(report)
    for key, value in data.items():
        setattr(
            report, key, (value or "").strip() if isinstance(value, str) or value is None else value
        )
    if not report.title:
        raise ValidationError({"title": _("This field is required.")})
    return save_audited(report, actor=actor, before=before, reason=reason, clean=True)


@transaction.atomic
def report_refresh_evidence(*, actor: User, report: FailureAnalysisReport) -> FailureAnalysisReport:
    """Take the alert's latest evidence and charts into a draft (the text stays as written)."""
    require(actor, "ew.report.write")
    report = _locked_report(report)
    _must_be_draft(report)
    before = snapshot(report)
    report.evidence, report.chart = report.alert.evidence, report.alert.chart
    return save_audited(
        report, actor=actor, before=before, reason="evidence refreshed from the alert"
    )


@transaction.atomic
def report_issue(*, actor: User, report: FailureAnalysisReport) -> FailureAnalysisReport:
    """Issue the written report to Sales (R-5.4.2): frozen from now on; Sales is notified
    and owes the customer notification within a week."""
    require(actor, "ew.report.write")
    report = _locked_report(report)
    _must_be_draft(report)
    missing = {
        f: _("Fill this section before issuing.")
        for f in REQUIRED_FOR_ISSUE
        if not getattr(report, f).strip()
    }
    if missing:
        raise ValidationError(missing)
    alert = Alert.objects.select_for_update().get(pk=report.alert_id)
    alert_before, before = snapshot(alert), snapshot(report)
    transition(alert, AlertStatus.REPORT_ISSUED, actor=actor, table=ALERT_TRANSITIONS, save=False)
    transition(report, ReportStatus.ISSUED, actor=actor, table=REPORT_TRANSITIONS, save=False)
    now = timezone.now()
    report.issued_at, report.issued_by = now, actor
    report.notify_due_at = clocks.notification_due(now)
    report.save()
    alert.save()
    audit_update(actor=actor, obj=report, before=before, action=AuditAction.TRANSITION)
    audit_update(actor=actor, obj=alert, before=alert_before, action=AuditAction.TRANSITION)
    report.alert = alert
    notify(
        users_with_roles(*SALES_RECIPIENTS),
        kind="ew_report_issued",
        title=Message(
            gettext_noop("Failure-analysis report %(number)s issued to Sales: %(title)s"),
            number=report.number,
            title=report.title,
        ),
        body=Message.verbatim(report.phenomenon),
        url=report.get_absolute_url(),
        dedupe_key=f"ew:issued:{report.pk}",
    )
    return report


@transaction.atomic
def notification_record(
    *,
    actor: User,
    report: FailureAnalysisReport,
    customer: Customer | int,
    notified_on: date,
    channel: str,
    agreed_solution: str,
    contact: Contact | int | None = None,
    contact_name: str = "",
) -> CustomerNotification:
    """Sales records that a customer was told about the report and the solution agreed with
    it (R-5.4.2). The first one moves the alert to "customer notified"."""
    require(actor, "ew.report.notify")
    report = _locked_report(report)
    if report.status != ReportStatus.ISSUED:
        raise ValidationError({"report": _("Only an issued report can be notified to customers.")})
    alert = Alert.objects.select_for_update().get(pk=report.alert_id)
    if alert.status not in (AlertStatus.REPORT_ISSUED, AlertStatus.CUSTOMER_NOTIFIED):
        raise ValidationError(
            {"status": _("The alert is %(state)s.") % {"state": AlertStatus(alert.status).label}}
        )
    cust = customer_for(actor, customer)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the customer was told.")})
    if not (agreed_solution or "").strip():
        raise ValidationError(
            {"agreed_solution": _("Record the solution agreed with the customer.")}
        )
    if notified_on is None:
        raise ValidationError({"notified_on": _("This field is required.")})
    if notified_on > timezone.localdate():
        raise ValidationError({"notified_on": _("This date lies in the future.")})
    if report.issued_at and notified_on < timezone.localdate(report.issued_at):
        raise ValidationError({"notified_on": _("This date is before the report was issued.")})
    contact_obj = None
    if contact not in (None, ""):
        pk = contact.pk if isinstance(contact, Contact) else contact
        contact_obj = Contact.objects.filter(pk=pk).first()
        if contact_obj is None or contact_obj.customer_id != cust.pk:
            raise ValidationError({"contact": _("This contact belongs to another customer.")})
    note = CustomerNotification(
        report=report,
        customer=cust,
        notified_on=notified_on,
        channel=channel,
        contact=contact_obj,
        contact_name=(contact_name or "").strip(),
        agreed_solution=agreed_solution.strip(),
        created_by=actor,
    )
    save_audited(note, actor=actor, before=None, clean=True)
    if alert.status == AlertStatus.REPORT_ISSUED:
        before = snapshot(alert)
        transition(
            alert, AlertStatus.CUSTOMER_NOTIFIED, actor=actor, table=ALERT_TRANSITIONS, save=False
        )
        save_audited(alert, actor=actor, before=before, action=AuditAction.TRANSITION)
    return note
