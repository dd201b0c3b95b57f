"""Audit for writes that do not go through a service of ours: users created by Django's own
commands (`createsuperuser`) or by the demo loader. The admin audits its own saves and marks
the instance so that nothing is recorded twice."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from .audit import audit_create
from .models import User


@receiver(post_save, sender=User, dispatch_uid="audit_user_created")
def audit_user_created(sender: Any, instance: User, created: bool, raw: bool, **kwargs: Any):
    if created and not raw and not getattr(instance, "_audited", False):
        audit_create(actor=None, obj=instance, system="user_created")
