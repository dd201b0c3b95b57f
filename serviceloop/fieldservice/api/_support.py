"""Shared helpers of the field-service API modules."""

from serviceloop.core.api_support import departments as departments
from serviceloop.core.api_support import lookup
from serviceloop.core.models import User


def user(pk: int | None, field: str) -> User | None:
    return lookup(User, pk, field)
