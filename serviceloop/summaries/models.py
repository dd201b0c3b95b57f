"""The half-year service work summary (服务工作总结报告, R-5.9.6, R-7.4): drafted by the system
from its own data for a period, its narrative written by Sales, approved by leadership; due
30 days after the period ends (deadlines.md)."""

from __future__ import annotations

import re
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serviceloop.core import deadlines, fields
from serviceloop.core.models import DetailLink, TrackedModel
from serviceloop.core.statemachine import ALLOWED, Verdict, may_transition, refused

PERIOD_RE = re.compile(r"^(\d{4})-H([12])$")
NARRATIVE = ("achievements", "shortcomings", "direction")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")  # figures frozen at drafting; Sales writes the narrative
    SUBMITTED = "submitted", _("Submitted")  # waiting for leadership's approval
    APPROVED = "approved", _("Approved")  # approved by leadership (final); kept 3 years


TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.APPROVED): "approve",
    (Status.SUBMITTED, Status.DRAFT): "send_back",
}


def parse_period(value: str) -> tuple[int, int] | None:
    """ "2026-H1" → (2026, 1); None when not of that form."""
    m = PERIOD_RE.match((value or "").strip().upper())
    return (int(m.group(1)), int(m.group(2))) if m else None


class ServiceSummary(DetailLink, TrackedModel):
    detail_view = "summaries:detail"

    period = models.CharField(_("period"), max_length=7, unique=True)  # "2026-H1"
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    due_at = models.DateTimeField(_("due"))
    status = fields.status_field(Status, Status.DRAFT)
    figures = models.JSONField(_("figures"), default=dict)
    figures_at = models.DateTimeField(_("figures computed at"))
    achievements = models.TextField(_("achievements"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    direction = models.TextField(_("direction for the next period"), blank=True)
    submitted_at, submitted_by = fields.done_fields(_("submitted at"), None)
    returned_at = fields.optional_time(_("sent back at"))
    return_comment = models.TextField(_("comments when sent back"), blank=True)
    # Approval closes the record: the start of its retention clock (R-7.4, 3 years).
    approved_at, approved_by = fields.done_fields(_("approved at"), None)
    approval_comment = models.TextField(_("approval comments"), blank=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("service work summary")
        verbose_name_plural = _("service work summaries")

    def __str__(self) -> str:
        return str(_("Service work summary %(p)s") % {"p": self.period})

    @property
    def closed_at(self):  # noqa: ANN201  (the retention clock's start, as other records name it)
        return self.approved_at

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != Status.APPROVED and today > self.due_date

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    def missing_narrative(self) -> list[str]:
        return [f for f in NARRATIVE if not getattr(self, f).strip()]

    # Guards (core.statemachine): asked by the page and the services alike.
    def may_edit(self) -> Verdict:
        if self.status != Status.DRAFT:
            return refused(_("Only a draft can be changed."))
        return ALLOWED

    def may_submit(self) -> Verdict:
        if self.status == Status.DRAFT and self.missing_narrative():
            return refused(
                _("Write the achievements, shortcomings and direction for the next period first.")
            )
        return may_transition(self, Status.SUBMITTED, table=TRANSITIONS)

    def may_approve(self) -> Verdict:
        return may_transition(self, Status.APPROVED, table=TRANSITIONS)

    def may_send_back(self) -> Verdict:
        return may_transition(self, Status.DRAFT, table=TRANSITIONS)


def period_dates(year: int, half: int) -> tuple[date, date, date]:
    """Start, end and due date of a half-year period (core.deadlines)."""
    start, end = deadlines.half_year_bounds(year, half)
    return start, end, deadlines.summary_due(end)
