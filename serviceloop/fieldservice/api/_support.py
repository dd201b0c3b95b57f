"""Shared helpers of the field-service API modules."""

from typing import Any

from django.core.exceptions import ValidationError

from serviceloop.core.models import Department, User


def lookup(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: f"Unknown {field} {pk}."})
    return obj


def departments(ids: list[int], field: str = "departments") -> list[Department]:
    found = list(Department.objects.filter(pk__in=ids))
    missing = set(ids) - {d.pk for d in found}
    if missing:
        raise ValidationError({field: f"Unknown department(s): {sorted(missing)}."})
    return found


def user(pk: int | None, field: str) -> User | None:
    return lookup(User, pk, field)
