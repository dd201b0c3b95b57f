"""The 8D report (8D报告) a complaint is converted into (R-5.5.1), its nine disciplines and its
team. Kept three years after it is closed (R-7.5): `closed_at` starts that clock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from serviceloop.core.fields import (
    department_ref,
    done_fields,
    number_field,
    optional_ref,
    optional_time,
    required_user_ref,
    status_field,
    sweep_flag,
)
from serviceloop.core.late_entry import late_entry_fields
from serviceloop.core.models import DetailLink, TrackedModel

from .complaint import Complaint


class EightDStatus(models.TextChoices):
    OPEN = "open", _("Open")  # the team works through D0–D7 under Quality's lead
    NEGOTIATION = "negotiation", _("With Sales for negotiation")  # customer's cause
    CLOSED = "closed", _("Closed")  # D8: closed by Quality and circulated


EIGHTD_TRANSITIONS: dict[tuple[str, str], str] = {
    (EightDStatus.OPEN, EightDStatus.NEGOTIATION): "eightd_refer_to_sales",
    (EightDStatus.NEGOTIATION, EightDStatus.OPEN): "eightd_record_negotiation",
    (EightDStatus.OPEN, EightDStatus.CLOSED): "eightd_close",
    (EightDStatus.NEGOTIATION, EightDStatus.CLOSED): "eightd_close",
}


class NegotiationOutcome(models.TextChoices):
    CUSTOMER_ACCEPTS = "customer_accepts", _("Customer accepts responsibility")
    SHARED = "shared", _("Responsibility and cost shared")
    COMPANY_ACCEPTS = "company_accepts", _("We accept responsibility; the 8D continues")


# After these outcomes the customer carries the cause: D5–D7 do not apply.
CUSTOMER_CARRIES = (NegotiationOutcome.CUSTOMER_ACCEPTS, NegotiationOutcome.SHARED)


class DisciplineCode(models.TextChoices):
    D0 = "d0", _("D0 Emergency response")
    D1 = "d1", _("D1 Team")
    D2 = "d2", _("D2 Problem description")
    D3 = "d3", _("D3 Containment")
    D4 = "d4", _("D4 Root causes")
    D5 = "d5", _("D5 Corrective actions")
    D6 = "d6", _("D6 Implementation and verification")
    D7 = "d7", _("D7 Prevention")
    D8 = "d8", _("D8 Closure")


CODES: list[str] = list(DisciplineCode.values)


class DisciplineStatus(models.TextChoices):
    OPEN = "open", _("Open")  # being worked on by its owner
    DONE = "done", _("Done")  # content complete (checked by discipline_complete)
    NOT_APPLICABLE = "not_applicable", _("Not applicable")  # D5–D7 after negotiation


DISCIPLINE_TRANSITIONS: dict[tuple[str, str], str] = {
    (DisciplineStatus.OPEN, DisciplineStatus.DONE): "discipline_complete",
    (DisciplineStatus.DONE, DisciplineStatus.OPEN): "discipline_reopen",
    (DisciplineStatus.OPEN, DisciplineStatus.NOT_APPLICABLE): "eightd_close",
    (DisciplineStatus.NOT_APPLICABLE, DisciplineStatus.OPEN): "discipline_reopen",
}


class EightDReport(DetailLink, TrackedModel):
    detail_view = "complaints:eightd"

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="eight_d"
    )
    number = number_field(_("8D number"))
    status = status_field(EightDStatus, EightDStatus.OPEN)
    leader = optional_ref(
        settings.AUTH_USER_MODEL,
        _("8D leader"),
        related_name="led_eight_d_reports",
        help_text=_("Quality Management leads the 8D (R-5.5.1)."),
    )
    # D2: the problem in 5W2H.
    problem_statement = models.TextField(_("problem statement"), blank=True)
    d2_what = models.TextField(_("What (defect, part)"), blank=True)
    d2_why = models.TextField(_("Why is it a problem"), blank=True)
    d2_where = models.TextField(_("Where (found, made)"), blank=True)
    d2_when = models.TextField(_("When (found, made)"), blank=True)
    d2_who = models.TextField(_("Who found it"), blank=True)
    d2_how = models.TextField(_("How was it found"), blank=True)
    d2_how_many = models.TextField(_("How many"), blank=True)
    # a cause in the customer's own design or manufacture goes to Sales.
    referred_at, referred_by = done_fields(_("referred to Sales at"), None)
    referral_reason = models.TextField(_("reason for the referral"), blank=True)
    negotiation_outcome = models.CharField(
        _("negotiation outcome"), max_length=30, choices=NegotiationOutcome.choices, blank=True
    )
    negotiation_text = models.TextField(_("negotiation record"), blank=True)
    negotiated_at, negotiated_by = done_fields(_("negotiated at"), None)
    # D8; also the start of the retention clock.
    closed_at, closed_by = done_fields(_("closed at"), _("closed by"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("8D report")
        verbose_name_plural = _("8D reports")
        indexes = [  # issue 15: the list's default ordering, alone and by status
            models.Index(fields=["-created_at", "-id"], name="eightd_created_desc"),
            models.Index(fields=["status", "-created_at", "-id"], name="eightd_status_created"),
            # the open reports (a tenth of them at a million records): "my work" counts what
            # each person owes on them (an index-only scan of 30,000 entries, not 300,000 rows)
            models.Index(fields=["id"], condition=~Q(status="closed"), name="eightd_open"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status == EightDStatus.CLOSED


class Discipline(models.Model):
    """One of D0–D8 of a report: its owner, due date, narrative and completion."""

    report = models.ForeignKey(EightDReport, on_delete=models.CASCADE, related_name="disciplines")
    code = models.CharField(_("discipline"), max_length=2, choices=DisciplineCode.choices)
    status = status_field(DisciplineStatus, DisciplineStatus.OPEN)
    owner = optional_ref(settings.AUTH_USER_MODEL, _("owner"), related_name="eight_d_disciplines")
    due_at = optional_time(_("due"))
    summary = models.TextField(_("summary"), blank=True)
    completed_at, completed_by = done_fields(_("completed at"), None)
    completed_entered_at, completed_late_reason = late_entry_fields()
    overdue_flagged_at = sweep_flag()

    class Meta:
        ordering = ["report", "code"]
        verbose_name = _("8D discipline")
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="discipline_unique_code")
        ]
        indexes = [  # issue 15: "my work" — an owner's open disciplines, most urgent first
            models.Index(
                fields=["owner", "due_at"],
                condition=models.Q(status="open"),
                name="discipline_open_owner_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report.number} {self.get_code_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == DisciplineStatus.OPEN


class TeamRole(models.TextChoices):
    CHAMPION = "champion", _("Champion")
    LEADER = "leader", _("Team leader")
    MEMBER = "member", _("Member")


class TeamMember(models.Model):
    """D1: a named person on the 8D team, with the role they play."""

    report = models.ForeignKey(EightDReport, on_delete=models.CASCADE, related_name="team")
    user = required_user_ref(_("person"), related_name="eight_d_teams")
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    department = department_ref(optional=True)
    responsibility = models.CharField(_("responsibility"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "role", "pk"]
        verbose_name = _("8D team member")
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="team_member_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
