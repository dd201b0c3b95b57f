"""Audit for writes that do not go through a service of ours: users created by Django's own
commands (`createsuperuser`) or by the demo loader. The admin audits its own saves and marks
the instance so that nothing is recorded twice."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .audit import audit_create
from .models import User
from .services import odd_values


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
