"""Helpers every app's services use: validate fully, then save; apply partial updates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)


def validated_save(obj: M, *, exclude: Iterable[str] | None = None) -> M:
    """full_clean (field, model and uniqueness checks) then save; errors name the field."""
    obj.full_clean(exclude=list(exclude) if exclude else None)
    obj.save()
    return obj


def apply_fields(obj: models.Model, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Set the given fields; refuse unknown ones with an error naming them."""
    allowed_set = set(allowed)
    unknown = [k for k in data if k not in allowed_set]
    if unknown:
        raise ValidationError({k: "This field cannot be changed here." for k in unknown})
    for key, value in data.items():
        setattr(obj, key, value)
