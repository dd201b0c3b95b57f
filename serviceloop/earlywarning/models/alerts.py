"""Alerts, the written failure-analysis report (书面报告) and customer notifications (R-5.4.2).

An analysis run raises an :class:`Alert` per signal, subject and cohort; Quality
Management acknowledges it and writes the :class:`FailureAnalysisReport`, issues it to
Sales, and Sales records each :class:`CustomerNotification` with the solution agreed with
the customer before closing the alert.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from serviceloop.core.fields import (
    contact_ref,
    customer_ref,
    done_fields,
    number_field,
    optional_ref,
    optional_time,
    ref,
    status_field,
    sweep_flag,
)
from serviceloop.core.models import DetailLink, TrackedModel

from .runs import AnalysisRun


class AlertKind(models.TextChoices):
    """The signals of R-5.4.3 (a)-(e)."""

    WARRANTY_CLAIMS = "warranty_claims", _("(a) After-sales feedback: warranty claims")
    PURCHASE_DROP = "purchase_drop", _("(b) Marked drop in purchase volume")
    SATISFACTION = "satisfaction_survey", _("(c) Customer-satisfaction survey")
    RETURNED_PARTS = "returned_parts", _("(d) Analysis of failed parts returned from the field")
    END_USER = "end_user_survey", _("(e) End-user survey")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


SEVERITY_ORDER = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")  # raised by a run; Quality has not looked at it yet
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")  # Quality is analysing the possible failure
    REPORT_DRAFTED = "report_drafted", _("Report drafted")  # Quality is writing the report
    REPORT_ISSUED = "report_issued", _("Report issued to Sales")  # Sales must tell the customer
    CUSTOMER_NOTIFIED = "customer_notified", _("Customer notified")  # solution agreed; may close
    CLOSED = "closed", _("Closed")  # handled to the end (final)
    DISMISSED = "dismissed", _("Dismissed")  # Quality judged it no problem, reason recorded (final)


ALERT_TRANSITIONS: dict[tuple[str, str], str] = {
    (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED): "acknowledge",
    (AlertStatus.NEW, AlertStatus.REPORT_DRAFTED): "draft_report",
    (AlertStatus.ACKNOWLEDGED, AlertStatus.REPORT_DRAFTED): "draft_report",
    (AlertStatus.REPORT_DRAFTED, AlertStatus.REPORT_ISSUED): "issue_report",
    (AlertStatus.REPORT_ISSUED, AlertStatus.CUSTOMER_NOTIFIED): "notify_customer",
    (AlertStatus.CUSTOMER_NOTIFIED, AlertStatus.CLOSED): "close",
    (AlertStatus.NEW, AlertStatus.DISMISSED): "dismiss",
    (AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED): "dismiss",
    (AlertStatus.REPORT_DRAFTED, AlertStatus.DISMISSED): "dismiss",
}
OPEN_STATUSES = frozenset(
    {AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.REPORT_DRAFTED}
)  # Quality owes the report
FINAL_STATUSES = frozenset({AlertStatus.CLOSED, AlertStatus.DISMISSED})


class Alert(DetailLink, TrackedModel):
    """A signal that fired, with its statistical evidence (kept current by later runs).

    ``dedupe_key`` names the signal, subject and cohort (e.g.
    ``warranty_claims:SA-2041:2025-03``): a later run updates the alert with that key
    instead of raising a second one. Once such an alert is closed or dismissed and its
    condition has gone, a new episode of the same condition gets a new alert
    (``occurrence`` + 1).
    """

    detail_view = "earlywarning:alert_detail"

    number = number_field()
    kind = models.CharField(_("signal"), max_length=30, choices=AlertKind.choices)
    dedupe_key = models.CharField(max_length=200, editable=False)
    occurrence = models.PositiveIntegerField(default=1, editable=False)
    status = status_field(AlertStatus, AlertStatus.NEW)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    part_number = models.CharField(_("part number"), max_length=60, blank=True)
    customer = customer_ref(optional=True)
    cohort = models.CharField(_("cohort"), max_length=100, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    chart = models.JSONField(_("chart data"), default=dict)
    signalling = models.BooleanField(_("signalling in the latest run"), default=True)
    first_run = optional_ref(AnalysisRun, on_delete=models.SET_NULL)
    last_run = optional_ref(AnalysisRun, on_delete=models.SET_NULL)
    last_signalled_at = optional_time(_("last signalled"))
    cleared_at = optional_time(_("no longer signalling since"))

    report_due_at = models.DateTimeField(_("report due"))
    acknowledged_at, acknowledged_by = done_fields(_("acknowledged at"), _("acknowledged by"))
    dismissed_at, dismissed_by = done_fields(_("dismissed at"), _("dismissed by"))
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True)
    closed_at, closed_by = done_fields(_("closed at"), _("closed by"))
    close_note = models.TextField(_("closing note"), blank=True)
    # Set once by the sweep; makes its notices idempotent.
    report_overdue_flagged_at = sweep_flag()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("early-warning alert")
        verbose_name_plural = _("early-warning alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "occurrence"], name="ew_alert_unique_episode"
            )
        ]
        indexes = [
            models.Index(fields=["status", "report_due_at"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["part_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject_label}"

    @property
    def subject_label(self) -> str:
        parts = [p for p in (self.part_number, self.cohort) if p]
        if self.customer is not None:
            parts.insert(0, self.customer.name)
        return " · ".join(parts) or str(_("all end users"))

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # Quality is writing; text and evidence can change
    ISSUED = "issued", _("Issued")  # sent to Sales; frozen (final)
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the alert was dismissed before issue (final)


REPORT_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReportStatus.DRAFT, ReportStatus.ISSUED): "issue",
    (ReportStatus.DRAFT, ReportStatus.WITHDRAWN): "withdraw",
}

# The editable sections of the written report, in order (field, label).
REPORT_SECTIONS = (
    ("phenomenon", _("Phenomenon")),
    ("analysis", _("Data and statistical analysis")),
    ("causes", _("Possible causes")),
    ("actions", _("Recommended actions")),
    ("scope", _("Scope of impact")),
)


class FailureAnalysisReport(DetailLink, TrackedModel):
    """The written report of Quality Management to Sales on a possible failure (R-5.4.2).

    The draft is pre-filled from the alert's evidence; ``evidence`` and ``chart`` are the
    alert's statistics as the report shows them, frozen when it is issued.
    """

    detail_view = "earlywarning:report_detail"

    number = number_field()
    alert = models.OneToOneField(
        Alert, verbose_name=_("alert"), on_delete=models.PROTECT, related_name="report"
    )
    status = status_field(ReportStatus, ReportStatus.DRAFT)
    title = models.CharField(_("report title"), max_length=200)
    phenomenon = models.TextField(_("phenomenon"), blank=True)
    analysis = models.TextField(_("data and statistical analysis"), blank=True)
    causes = models.TextField(_("possible causes"), blank=True)
    actions = models.TextField(_("recommended actions"), blank=True)
    scope = models.TextField(_("scope of impact"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict)
    chart = models.JSONField(_("chart data"), default=dict)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    issued_at, issued_by = done_fields(_("issued at"), _("issued by"))
    notify_due_at = optional_time(_("customer notification due"))
    notify_overdue_flagged_at = sweep_flag()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("failure-analysis report")
        verbose_name_plural = _("failure-analysis reports")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def editable(self) -> bool:
        return self.status == ReportStatus.DRAFT

    def sections(self) -> list[tuple[str, str, str]]:
        """(field, label, text) of each section, in report order."""
        return [(name, str(label), getattr(self, name)) for name, label in REPORT_SECTIONS]


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")


class CustomerNotification(TrackedModel):
    """Sales told a customer about the report and agreed a solution with it (R-5.4.2)."""

    report = ref(FailureAnalysisReport, _("report"), related_name="notifications")
    customer = customer_ref()
    notified_on = models.DateField(_("notified on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    contact = contact_ref()
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    agreed_solution = models.TextField(_("agreed solution"))

    class Meta:
        ordering = ["notified_on", "id"]
        verbose_name = _("customer notification")
        verbose_name_plural = _("customer notifications")

    def __str__(self) -> str:
        return f"{self.report.number} → {self.customer}"

    @property
    def contact_label(self) -> str:
        return str(self.contact) if self.contact_id else self.contact_name
