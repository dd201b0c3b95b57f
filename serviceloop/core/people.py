"""Person pickers: the people a form may name, filtered by role or department, sorted by
department and name, without agents' logins and the administrator account (they are not
colleagues one assigns work to)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from .models import User
from .permissions import ACTIONS
from .roles import RoleCode

NOT_ASSIGNABLE = (RoleCode.AGENT, RoleCode.ADMIN)


def staff_people(
    *, roles: tuple[str, ...] | frozenset[str] = (), action: str = "", departments: Any = ()
) -> QuerySet[User]:
    """Active internal people, optionally only those with one of `roles`, those whose roles
    allow `action`, or those in `departments` (codes or Department objects); sorted by
    department then name. Agents and the administrator account are left out."""
    codes = set(roles)
    if action:
        codes |= set(ACTIONS[action])
    codes -= set(NOT_ASSIGNABLE)
    qs = User.objects.filter(is_active=True, agent__isnull=True, is_superuser=False)
    if codes:
        qs = qs.filter(roles__code__in=codes)
    qs = qs.exclude(roles__code__in=NOT_ASSIGNABLE)
    if departments:
        codes_or_ids = list(departments)
        if all(isinstance(d, str) for d in codes_or_ids):
            qs = qs.filter(department__code__in=codes_or_ids)
        else:
            qs = qs.filter(department__in=codes_or_ids)
    return (
        qs.distinct()
        .select_related("department")
        .order_by("department__code", "display_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    """A person picker: "name · department", in the order of `staff_people`."""

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(queryset=staff_people() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        dept = obj.department
        return f"{obj} · {dept}" if dept else str(obj)


def _is_cjk(text: str) -> bool:
    return any(
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
        for ch in text
    )


def full_name(first: str, last: str) -> str:
    """A name as its reader expects it: "张三" (family name first, no space) for a Chinese,
    Japanese or Korean name, "First Last" for a Latin one."""
    first, last = (first or "").strip(), (last or "").strip()
    if _is_cjk(first + last):
        return f"{last}{first}"
    return " ".join(p for p in (first, last) if p)


def display_name(user: Any) -> str:
    """The one way a person is named (pages, history, PDFs, API ``*_name`` fields): their
    first and last name in their script's order, else the display name they were given,
    else their login."""
    if user is None:
        return ""
    name = full_name(getattr(user, "first_name", ""), getattr(user, "last_name", ""))
    given = (getattr(user, "display_name", "") or "").strip()
    return name or given or str(getattr(user, "username", "") or "")
