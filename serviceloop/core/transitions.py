"""One check for the explicit state machines (design rule 5): a model's `TRANSITIONS`
table of (from, to) -> verb decides whether a service may move a record."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def move(obj: Any, to: str, table: Mapping[tuple[str, str], str], field: str = "status") -> None:
    """Set `obj.<field>` to `to`, or refuse (ValidationError on the field) when the table has
    no such transition from the current state."""
    current = getattr(obj, field)
    if (current, to) not in table:
        choices = dict(obj._meta.get_field(field).choices or [])
        raise ValidationError(
            {
                field: _("Cannot go from %(a)s to %(b)s.")
                % {"a": choices.get(current, current), "b": choices.get(to, to)}
            }
        )
    setattr(obj, field, to)
