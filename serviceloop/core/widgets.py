"""Form widgets every app uses alike, declared once.

``LargeSelect`` is a single select for long lists (all customers of a large company): the same
HTML as Django's ``Select`` for plain choices, built by joining strings. Django renders each
option through its own template (about 0.3 ms an option): 10,000 customers in a list's filter
took 2.8 s of a 3 s page (issue 15)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class LargeSelect(forms.Select):
    """A `Select` without option groups, rendered without a template per option. `rows`, for a
    ModelChoiceField, gives (pk, label) of its queryset's records without building each
    record (labels as the field would give them)."""

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        rows: Callable[[QuerySet[Any]], Iterable[tuple[Any, str]]] | None = None,
    ) -> None:
        super().__init__(attrs, choices)
        self.rows = rows

    def _options(self) -> Iterable[tuple[Any, Any]]:
        choices = self.choices
        if self.rows is None or not isinstance(choices, ModelChoiceIterator):
            return choices
        field = choices.field
        if field.queryset is None:
            return []
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return [*empty, *self.rows(field.queryset)]

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f"<select{flatatt(final)}>"]
        for option_value, label in self._options():
            v = "" if option_value is None else str(option_value)
            selected = " selected" if v in chosen else ""
            parts.append(
                f'<option value="{conditional_escape(v)}"{selected}>'
                f"{conditional_escape(label)}</option>"
            )
        parts.append("</select>")
        return mark_safe("\n".join(parts))
