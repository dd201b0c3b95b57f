"""Audit for writes that do not go through a service of ours: users created by Django's own
commands (`createsuperuser`) or by the demo loader. The admin audits its own saves and marks
the instance so that nothing is recorded twice."""

import logging
from typing import Any

from axes.signals import user_locked_out
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .audit import AuditAction, audit_create, audit_record
from .models import User
from .services import odd_values

logger = logging.getLogger("serviceloop.security")


@receiver(post_save, sender=User, dispatch_uid="audit_user_created")
def audit_user_created(sender: Any, instance: User, created: bool, raw: bool, **kwargs: Any):
    if created and not raw and not getattr(instance, "_audited", False):
        audit_create(actor=None, obj=instance, system="user_created")


@receiver(pre_save, dispatch_uid="refuse_odd_values")
def refuse_odd_values(sender: Any, instance: Any, raw: bool, **kwargs: Any) -> None:
    """The last net under every service (issue 9, finding 6): a value the database would
    refuse with an error (null in a NOT NULL column, an integer beyond the column) is a
    ValidationError naming the field (a 422 / a form error), never a 500."""
    if raw or not sender.__module__.startswith("serviceloop."):
        return
    odd = odd_values(instance)
    if odd:
        raise ValidationError(odd)


@receiver(post_save, sender=User, dispatch_uid="revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(
    sender: Any, instance: User, created: bool, raw: bool, **kwargs: Any
) -> None:
    """A changed password ends every API token of the user (issue 9). Django keeps the new
    raw password in `_password` until save() has finished."""
    if not created and not raw and getattr(instance, "_password", None) is not None:
        from .tokens import tokens_revoke_all

        tokens_revoke_all(user=instance, system="password_changed")


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def audit_lockout(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any):
    """A login locked out by django-axes: a log line and an audit entry (issue 9)."""
    logger.warning("login locked out: username=%r ip=%s", username, ip_address)
    audit_record(
        actor=None,
        action=AuditAction.EVENT,
        object_type="core.user",
        object_id=str(username or "")[:64],
        object_repr=str(username or "")[:300],
        after={"event": "login_locked_out", "username": username, "ip": ip_address},
        system="login_throttle",
    )
