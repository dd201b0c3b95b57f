"""Customer communications: calls, letters, visits and e-mails (来电、来函、来访, R-5.2.3).

Two clocks run on each (deadlines.md): the first answer within 24 hours (R-5.9.1) and the
feedback to the customer within one week (R-5.2.4), which a sales leader may extend once
with a recorded special circumstance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from serviceloop.core import deadlines
from serviceloop.core.fields import (
    contact_ref,
    customer_ref,
    done_fields,
    number_field,
    optional_time,
    required_user_ref,
    status_field,
    sweep_flag,
)
from serviceloop.core.late_entry import late_entry_fields
from serviceloop.core.models import DetailLink, TrackedModel
from serviceloop.core.routing import DepartmentRouting
from serviceloop.core.statemachine import ALLOWED, Verdict, refused


class Channel(models.TextChoices):
    CALL = "call", pgettext_lazy("incoming channel", "Call")
    LETTER = "letter", pgettext_lazy("incoming channel", "Letter")
    VISIT = "visit", pgettext_lazy("incoming channel", "Visit")
    EMAIL = "email", _("E-mail")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")  # heard and registered; first answer owed (24 h)
    ANSWERED = "answered", _("Answered")  # first answer given; feedback owed (1 week)
    CLOSED = "closed", _("Feedback given")  # customer has had the substantive feedback


# The allowed transitions, in one table (design rule 2): (from, to) -> the service's verb.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.REGISTERED, Status.ANSWERED): "answer",
    (Status.REGISTERED, Status.CLOSED): "feedback",  # feedback that is also the first answer
    (Status.ANSWERED, Status.CLOSED): "feedback",
}


def overdue_q(now: datetime) -> Q:
    """Communications with a clock that has run out and is still open."""
    return Q(answered_at__isnull=True, answer_due_at__lt=now) | Q(
        feedback_at__isnull=True, feedback_due_at__lt=now
    )


class Communication(DetailLink, TrackedModel):
    detail_view = "communications:detail"

    number = number_field()
    customer = customer_ref(related_name="communications")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    contact = contact_ref(related_name="communications")
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("content"))
    taken_by = required_user_ref(_("taken by"))
    owner = required_user_ref(
        _("owner"),
        related_name="owned_communications",
        help_text=_("Who owes the customer the answer and the feedback."),
    )
    status = status_field(Status, Status.REGISTERED)
    major_quality_issue = models.BooleanField(_("major quality problem"), default=False)
    major_flagged_at = optional_time(_("major problem flagged at"))

    answer_due_at = models.DateTimeField(_("answer due"))
    answered_at, answered_by = done_fields(_("answered at"), _("answered by"))
    answer_text = models.TextField(_("answer"), blank=True)
    answered_entered_at, answered_late_reason = late_entry_fields()

    feedback_due_original_at = models.DateTimeField(_("feedback originally due"))
    feedback_due_at = models.DateTimeField(_("feedback due"))
    feedback_extended_at, feedback_extended_by = done_fields(_("extended at"), _("extended by"))
    feedback_extension_reason = models.TextField(_("special circumstance"), blank=True)
    feedback_at, feedback_by = done_fields(_("feedback given at"), _("feedback by"))
    feedback_text = models.TextField(_("feedback"), blank=True)
    feedback_entered_at, feedback_late_reason = late_entry_fields()

    # Set once by the periodic sweep; makes its notices idempotent and the record auditable.
    answer_overdue_flagged_at = sweep_flag()
    feedback_overdue_flagged_at = sweep_flag()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        indexes = [
            models.Index(fields=["status", "answer_due_at"]),
            models.Index(fields=["status", "feedback_due_at"]),
            models.Index(fields=["owner", "status"]),
            # issue 15: the list's default ordering, alone and under its filters
            models.Index(fields=["-received_at"], name="comm_received_desc"),
            models.Index(fields=["status", "-received_at"], name="comm_status_received"),
            models.Index(fields=["customer", "-received_at"], name="comm_customer_received"),
            models.Index(fields=["channel", "-received_at"], name="comm_channel_received"),
            models.Index(fields=["owner", "-received_at"], name="comm_owner_received"),
            # issue 15: "my work" — an owner's open communications, most urgent first
            models.Index(
                fields=["owner", "feedback_due_at"],
                condition=~models.Q(status="closed"),
                name="comm_open_owner_feedback",
            ),
            models.Index(
                fields=["owner", "answer_due_at"],
                condition=models.Q(answered_at__isnull=True) & ~models.Q(status="closed"),
                name="comm_unanswered_owner_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def is_overdue(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (self.answered_at is None and deadlines.is_late(None, self.answer_due_at, now)) or (
            self.feedback_at is None and deadlines.is_late(None, self.feedback_due_at, now)
        )

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def answered_late(self) -> bool:
        done = self.answered_at
        return done is not None and deadlines.is_late(done, self.answer_due_at, done)

    @property
    def feedback_late(self) -> bool:
        done = self.feedback_at
        return done is not None and deadlines.is_late(done, self.feedback_due_at, done)

    def may_extend(self) -> Verdict:
        """Guard (R-5.2.4): the feedback deadline is extended once, and only before feedback."""
        if self.feedback_extended_at is not None:
            return refused(_("The feedback deadline was already extended once."))
        if self.feedback_at is not None:
            return refused(_("Feedback has already been given."))
        return ALLOWED

    def next_due(self) -> datetime | None:
        if self.answered_at is None:
            return min(self.answer_due_at, self.feedback_due_at)
        if self.feedback_at is None:
            return self.feedback_due_at
        return None


class Routing(DepartmentRouting):
    """Sales routes a communication to a department that must act (R-5.2.4); core.routing."""

    parent_field = "communication"
    respond_permission = "communication.respond"
    routed_kind = "routed"
    answered_kind = "routing.responded"
    one_per_department = True
    routed_title = gettext_noop("Routed to %(dept)s: %(number)s %(subject)s")
    answered_title = gettext_noop("%(dept)s responded to %(number)s %(subject)s")

    communication = models.ForeignKey(
        Communication, on_delete=models.CASCADE, related_name="routings"
    )

    class Meta:
        ordering = ["routed_at"]
        verbose_name = _("routing")
        constraints = [
            models.UniqueConstraint(
                fields=["communication", "department"], name="routing_unique_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.communication.number} → {self.department}"

    def notice_params(self) -> dict[str, Any]:
        return {"number": self.communication.number, "subject": self.communication.subject}
