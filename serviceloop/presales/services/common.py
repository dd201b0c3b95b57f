"""Helpers shared by the pre-sale services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from serviceloop.complaints.services.common import customer_for
from serviceloop.core import deadlines
from serviceloop.core.models import Department, User
from serviceloop.core.permissions import has_role
from serviceloop.core.roles import RoleCode

__all__ = [
    "acts_for",
    "check_time",
    "customer_for",
    "department",
    "departments",
    "due_after",
    "required_text",
    "setting",
    "transition",
    "url",
]

CLOCK_SKEW = timedelta(minutes=5)
# Working days each step gets unless the settings say otherwise (SERVICELOOP_PRESALES_DAYS).
DEFAULT_DAYS = {
    "evaluation": 3,  # a department evaluates a requirement
    "sample_approval": 3,  # departments approve a sample application
    "sample_schedule": 2,  # Production Quality plans the sample once approved
    "sample_confirmation": 10,  # the customer's answer after delivery
    "special_decision": 3,  # the department head decides
    "special_fulfil": 10,  # the department provides what was found feasible
    "special_explain": 2,  # Sales explains a refusal to the customer
}


def setting(name: str) -> int:
    return int(getattr(settings, "SERVICELOOP_PRESALES_DAYS", {}).get(name, DEFAULT_DAYS[name]))


def due_after(start: datetime, name: str, days: int | None = None) -> datetime:
    return deadlines.working_days_after(start, setting(name) if days is None else days)


def transition(obj: Any, table: dict[tuple[str, str], str], to: str) -> None:
    """Move a record along its transitions table; anything else is refused (422)."""
    if (obj.status, to) not in table:
        status_cls = type(obj)._meta.get_field("status").choices
        labels = dict(status_cls or [])
        raise ValidationError(
            {
                "status": _("Not possible now: the record is “%(a)s”, this step leads to “%(b)s”.")
                % {"a": obj.get_status_display(), "b": labels.get(to, to)}
            }
        )
    obj.status = to


def check_time(field: str, at: datetime | None, *, not_before: datetime | None = None) -> None:
    if at is None:
        raise ValidationError({field: _("This field is required.")})
    if at.tzinfo is None:
        raise ValidationError({field: _("Give the time with its time zone offset.")})
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({field: _("This time lies in the future.")})
    if not_before is not None and at < not_before:
        raise ValidationError({field: _("This time is before the previous step.")})


def department(value: Department | str | int, field: str) -> Department:
    if isinstance(value, Department):
        return value
    lookup = {"pk": value} if isinstance(value, int) else {"code": value}
    found = Department.objects.filter(**lookup).first()
    if found is None:
        raise ValidationError({field: _("Unknown department “%(d)s”.") % {"d": value}})
    return found


def departments(values: Iterable[Department | str | int], field: str) -> list[Department]:
    found: dict[int, Department] = {}
    for value in values:
        dept = department(value, field)
        found[dept.pk] = dept
    return list(found.values())


def acts_for(actor: User, dept: Department) -> bool:
    """The actor speaks for the department: a member, the holder of the role of the same
    code, or an administrator."""
    return (
        actor.department_id == dept.pk
        or has_role(actor, dept.code)
        or has_role(actor, RoleCode.ADMIN)
    )


def department_people(dept: Department) -> models.QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .filter(models.Q(department=dept) | models.Q(roles__code=dept.code))
        .distinct()
    )


def url(name: str, pk: int) -> str:
    return reverse(f"presales:{name}", args=[pk])


def required_text(field: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    return text
