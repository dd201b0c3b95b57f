"""Notifications and document numbering."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import optional_time


class Notification(models.Model):
    """An in-app notice to one user (e-mailed too where the user has an address)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = optional_time(_("read at"))
    # Makes repeated sweeps idempotent: one notice per (recipient, key).
    dedupe_key = models.CharField(max_length=200, blank=True)
    # The notice as a message key and its arguments (core.notifications.Message), rendered in
    # the reader's language when shown or e-mailed; empty for a notice given as plain text.
    title_msgid = models.CharField(max_length=300, blank=True)
    title_params = models.JSONField(default=dict, blank=True)
    body_msgid = models.TextField(blank=True)
    body_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]
        verbose_name = _("notification")

    def __str__(self) -> str:
        return self.title

    @property
    def title_text(self) -> str:
        """The title in the active language (the reader's)."""
        from ..notifications import render_message

        return render_message(self.title_msgid, self.title_params) or self.title

    @property
    def body_text(self) -> str:
        from ..notifications import render_message

        return render_message(self.body_msgid, self.body_params) or self.body


class NumberSequence(models.Model):
    """Counter behind human-readable record numbers such as COM-2026-00042."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
