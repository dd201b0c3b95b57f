"""Helpers shared by the pre-sale services."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from serviceloop.core import deadlines
from serviceloop.core.lookups import customer_for
from serviceloop.core.models import Department, User
from serviceloop.core.permissions import has_role
from serviceloop.core.roles import RoleCode
from serviceloop.core.statemachine import transition as core_transition
from serviceloop.core.validation import check_time, required_text

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
    core_transition(obj, to, actor=None, table=table, save=False)


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
