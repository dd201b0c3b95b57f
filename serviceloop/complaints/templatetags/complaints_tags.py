"""Template helpers of the 8D pages."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def row_form(context: Any, name: str, pk: int) -> Any:
    """The form `name` for one table row: the one that just failed on this row (with its
    errors), or the blank form every row shares."""
    if context.get("error_row") == pk and context.get("row_form_name") == name:
        return context.get("row_form")
    return context.get(name)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
