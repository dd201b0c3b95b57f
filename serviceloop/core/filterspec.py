"""One filter spec per list, serving the page's filter form, the API's query schema and the
selector (issue 8, item 4: they were written three times per list).

A list declares its filters once::

    RECORD_FILTERS = FilterSpec(
        "VisitRecordFilters",
        Filter("q", str, _("Search"), search=("number", "summary", "customer__name")),
        Filter("customer", int, lookup="customer_id"),            # no label: a hidden field
        Filter("status", str, _("Status"), choices=RecordStatus.choices, lookup="status"),
        Filter("year", int, _("Year"), ge=1, le=9999),             # applied by the selector
    )

- ``RECORD_FILTERS.schema`` is the ninja ``Schema`` the API takes as ``Query[...]``;
- ``RECORD_FILTERS.form`` is the Django form class of the page (``form.filters()`` gives the
  selector's keyword arguments, ``{}`` when the form is not valid);
- ``RECORD_FILTERS.apply(qs, **given)`` applies every filter that names a ``lookup`` or
  ``search`` fields; the selector keeps the ones that need its own code (dates in the company's
  time zone, "unread for my department", …).

The selector's keyword arguments are the filter names, so page and API call it the same way.
Plain Python types only (``str``, ``int``, ``bool``, ``date``); "not given" is ``""`` for text
and ``None`` otherwise, as the hand-written schemas had it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy

from .filters import filter_given, search

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Filter:
    name: str
    type: type
    label: Any = ""  # the form's label; none: a hidden field (set by links, e.g. ?customer=)
    choices: Any = None  # a select on the page (text filters)
    blank: Any = gettext_lazy("All")  # the select's "not filtered" choice
    lookup: str = ""  # applied by FilterSpec.apply as ``lookup=value`` when given
    search: tuple[str, ...] = ()  # applied by FilterSpec.apply as a search over these fields
    ge: int | None = None  # bounds of an integer in the API (422 outside)
    le: int | None = None
    form: bool = True  # on the page's form
    api: bool = True  # in the API's query schema
    field: Any = None  # the page's own form field where the default does not fit
    clean: Callable[[Any], Any] | None = None  # its cleaned value -> the selector's value
    nullable: bool = True  # False: a plain ``bool`` (default False) in the API, not ``bool | None``

    @property
    def empty(self) -> Any:
        if self.type is bool and not self.nullable:
            return False
        return "" if self.type is str else None

    def annotation(self) -> Any:
        if self.type is str or not self.nullable:
            return self.type
        return self.type | None

    def api_field(self) -> tuple[Any, Any]:
        from ninja import Field

        if self.ge is not None or self.le is not None:
            return (self.annotation(), Field(self.empty, ge=self.ge, le=self.le))
        return (self.annotation(), self.empty)

    def form_field(self) -> forms.Field:
        if self.field is not None:
            return copy.deepcopy(self.field)
        if not self.label:
            return forms.IntegerField(required=False, widget=forms.HiddenInput)
        if self.choices is not None:
            return forms.ChoiceField(
                label=self.label, required=False, choices=[("", self.blank), *self.choices]
            )
        if self.type is bool:
            return forms.BooleanField(label=self.label, required=False)
        if self.type is int:
            return forms.IntegerField(label=self.label, required=False)
        if self.type is date:
            return forms.DateField(
                label=self.label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        return forms.CharField(label=self.label, required=False)

    def cleaned(self, value: Any) -> Any:
        """A form's cleaned value as the selector takes it: an unticked box is "not filtered"."""
        if self.clean is not None:
            return self.clean(value)
        if self.type is bool:
            return bool(value) if not self.nullable else value or None
        return self.empty if value in (None, "") else value


def yes_no(label: Any, yes: Any, no: Any, *, all_: Any = None) -> forms.ChoiceField:
    """A page's three-way filter ("all" / yes / no) for a ``bool | None`` filter; pair it with
    ``clean=from_yes_no``."""
    from django.utils.translation import gettext_lazy as _

    return forms.ChoiceField(
        label=label, required=False, choices=[("", all_ or _("All")), ("1", yes), ("0", no)]
    )


def from_yes_no(value: Any) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


class FilterForm(forms.Form):
    spec: FilterSpec

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {
            f.name: f.cleaned(self.cleaned_data.get(f.name)) for f in self.spec.fields if f.form
        }


class FilterSpec:
    def __init__(self, name: str, *fields: Filter) -> None:
        self.name = name
        self.fields = fields
        self.form: type[FilterForm] = type(
            name.removesuffix("Filters") + "FilterForm",
            (FilterForm,),
            {"spec": self, **{f.name: f.form_field() for f in fields if f.form}},
        )

    @cached_property
    def schema(self) -> Any:
        """The API's query schema (a ninja ``Schema``). Built on first use, with the API, so
        that loading the apps does not load pydantic (tests freezing time import the API
        under the frozen clock, and pydantic must see the same ``date`` as the schemas)."""
        from ninja import Schema
        from pydantic import create_model

        return create_model(  # type: ignore[call-overload]
            self.name, __base__=Schema, **{f.name: f.api_field() for f in self.fields if f.api}
        )

    def apply(self, qs: QuerySet[M], **given: Any) -> QuerySet[M]:
        for f in self.fields:
            value = given.get(f.name)
            if f.search:
                qs = search(qs, value, *f.search)
            elif f.lookup:
                qs = filter_given(qs, **{f.lookup: value})
        return qs
