"""Model fields every app declares alike, declared once.

A reference to another record never deletes from under it (PROTECT) and, unless the other
side needs to list its records, has no reverse accessor (``related_name="+"``):

- ``user_ref`` is the "who did it" reference of a record (approved by, closed by, …):
  optional, never deleted from under the record (PROTECT), no reverse accessor on User;
  ``required_user_ref`` the person a record cannot be without (taken by, owner, …).
- ``ref`` / ``optional_ref`` a reference to any other record, required or optional;
  ``customer_ref`` the customer a record is about, ``contact_ref`` the customer's contact
  person (optional: a name may stand in for a contact not yet in the archive),
  ``department_ref`` a department of the company, ``import_ref`` the import that brought a
  record in.
- ``number_field`` the human-readable record number (``core.numbering``), ``status_field``
  the state of a record from its ``Status`` TextChoices.
- ``optional_time`` a moment that may not have come yet; ``done_fields`` the pair
  "<verb>ed at" + "<verb>ed by" (``closed_at, closed_by = done_fields(_("closed at"),
  _("closed by"))``); ``sweep_flag`` the moment a periodic sweep flagged a record (once, so its
  notices are idempotent).

Any option can be given to override the default (``related_name``, ``help_text``,
``editable``, …); the result is an ordinary Django field, so the schema is the same as when
written out.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The static types of what the fields give (django-stubs: Field[set type, get type]); a
# reference named by a string ("app.Model") or to the user model stays Any.
_M = TypeVar("_M", bound=models.Model)
if TYPE_CHECKING:
    from serviceloop.core.models import Department, ImportJob
    from serviceloop.customers.models import Contact, Customer

    Moment = models.DateTimeField[Any, datetime | None]
    Text = models.CharField[Any, str]


@overload
def ref(
    to: type[_M],
    verbose_name: Any = ...,
    *,
    related_name: str = ...,
    optional: Literal[False] = ...,
    **overrides: Any,
) -> models.ForeignKey[Any, _M]: ...
@overload
def ref(
    to: type[_M],
    verbose_name: Any = ...,
    *,
    related_name: str = ...,
    optional: Literal[True],
    **overrides: Any,
) -> models.ForeignKey[Any, _M | None]: ...
@overload
def ref(
    to: str,
    verbose_name: Any = ...,
    *,
    related_name: str = ...,
    optional: bool = ...,
    **overrides: Any,
) -> models.ForeignKey[Any, Any]: ...
def ref(
    to: Any,
    verbose_name: Any = None,
    *,
    related_name: str = "+",
    optional: bool = False,
    **overrides: Any,
) -> models.ForeignKey[Any, Any]:
    """A reference to another record (a model, or "app.Model"): PROTECT, no reverse accessor
    unless `related_name` names one; `optional=True` lets it be empty (null and blank)."""
    options: dict[str, Any] = {
        "verbose_name": verbose_name,
        "on_delete": models.PROTECT,
        "related_name": related_name,
    }
    if optional:
        options.update(null=True, blank=True)
    options.update(overrides)
    return models.ForeignKey(to, **options)


@overload
def optional_ref(
    to: type[_M], verbose_name: Any = ..., *, related_name: str = ..., **overrides: Any
) -> models.ForeignKey[Any, _M | None]: ...
@overload
def optional_ref(
    to: str, verbose_name: Any = ..., *, related_name: str = ..., **overrides: Any
) -> models.ForeignKey[Any, Any]: ...
def optional_ref(
    to: Any, verbose_name: Any = None, *, related_name: str = "+", **overrides: Any
) -> models.ForeignKey[Any, Any]:
    """An optional reference to another record (null and blank, PROTECT): `ref(optional=True)`."""
    return ref(to, verbose_name, related_name=related_name, optional=True, **overrides)


def user_ref(verbose_name: Any, **overrides: Any) -> models.ForeignKey:
    """Who did it (approved by, closed by, …): optional, PROTECT, no reverse accessor."""
    options: dict[str, Any] = {
        "verbose_name": verbose_name,
        "null": True,
        "blank": True,
        "on_delete": models.PROTECT,
        "related_name": "+",
    }
    options.update(overrides)
    return models.ForeignKey(settings.AUTH_USER_MODEL, **options)


def required_user_ref(
    verbose_name: Any, *, related_name: str = "+", **overrides: Any
) -> models.ForeignKey:
    """The person a record cannot be without (taken by, owner, drafted by): required,
    PROTECT, no reverse accessor unless `related_name` names one."""
    return ref(settings.AUTH_USER_MODEL, verbose_name, related_name=related_name, **overrides)


@overload
def customer_ref(
    *, related_name: str = ..., optional: Literal[False] = ..., **overrides: Any
) -> models.ForeignKey[Any, Customer]: ...
@overload
def customer_ref(
    *, related_name: str = ..., optional: Literal[True], **overrides: Any
) -> models.ForeignKey[Any, Customer | None]: ...
def customer_ref(
    *, related_name: str = "+", optional: bool = False, **overrides: Any
) -> models.ForeignKey[Any, Any]:
    """The customer the record is about (verbose name "customer"), PROTECT: customers are
    deactivated, never deleted (R-7.2)."""
    return ref(
        "customers.Customer",
        _("customer"),
        related_name=related_name,
        optional=optional,
        **overrides,
    )


def contact_ref(
    *, related_name: str = "+", **overrides: Any
) -> models.ForeignKey[Any, Contact | None]:
    """The customer's contact person (verbose name "customer contact"), optional; see
    `customers.contact_picker` for the form."""
    return optional_ref(
        "customers.Contact", _("customer contact"), related_name=related_name, **overrides
    )


@overload
def department_ref(
    verbose_name: Any = ...,
    *,
    related_name: str = ...,
    optional: Literal[False] = ...,
    **overrides: Any,
) -> models.ForeignKey[Any, Department]: ...
@overload
def department_ref(
    verbose_name: Any = ..., *, related_name: str = ..., optional: Literal[True], **overrides: Any
) -> models.ForeignKey[Any, Department | None]: ...
def department_ref(
    verbose_name: Any = None, *, related_name: str = "+", optional: bool = False, **overrides: Any
) -> models.ForeignKey[Any, Any]:
    """A department of the company (verbose name "department" unless given), PROTECT."""
    return ref(
        "core.Department",
        verbose_name if verbose_name is not None else _("department"),
        related_name=related_name,
        optional=optional,
        **overrides,
    )


def import_ref(**overrides: Any) -> models.ForeignKey[Any, ImportJob | None]:
    """The import (`core.ImportJob`) that brought the record in (verbose name "import"):
    optional, PROTECT, no reverse accessor."""
    return optional_ref("core.ImportJob", _("import"), **overrides)


def number_field(verbose_name: Any = None, *, max_length: int = 30) -> Text:
    """The record's human-readable number (COM-2026-00042, from `core.numbering`): unique,
    set by the service, not editable. The verbose name defaults to "number"."""
    return models.CharField(
        verbose_name if verbose_name is not None else _("number"),
        max_length=max_length,
        unique=True,
        editable=False,
    )


def status_field(
    choices: type[models.TextChoices], default: Any, *, max_length: int = 20, **overrides: Any
) -> Text:
    """The record's state (verbose name "status") from its `Status` TextChoices, starting at
    `default`; `core.statemachine.transition` moves it."""
    options: dict[str, Any] = {
        "max_length": max_length,
        "choices": choices.choices,
        "default": default,
    }
    options.update(overrides)
    return models.CharField(_("status"), **options)


def optional_time(verbose_name: Any = None, **overrides: Any) -> Moment:
    """A moment that may not have come yet (closed at, acknowledged at): null and blank."""
    options: dict[str, Any] = {"null": True, "blank": True}
    options.update(overrides)
    return models.DateTimeField(verbose_name, **options)


def done_fields(at_label: Any, by_label: Any) -> tuple[Moment, models.ForeignKey]:
    """When and by whom something was done, both empty until it is:
    ``closed_at, closed_by = done_fields(_("closed at"), _("closed by"))``."""
    return optional_time(at_label), user_ref(by_label)


def sweep_flag() -> Moment:
    """Set once by a periodic sweep (e.g. when it flagged a deadline overdue); makes its
    notices idempotent and the record auditable. Not editable."""
    return optional_time(editable=False)
