"""State machines, the one way (design rule 5).

Each model keeps its own ``Status`` TextChoices (a comment per state) and its transitions
table ``{(from, to): verb}`` — as a ``TRANSITIONS`` attribute on the model class or a module
constant passed as ``table=``. Services move records only through :func:`transition`:

    transition(claim, Status.APPROVED, actor=actor)               # check, set, save, audit
    transition(req, Status.CLOSED, actor=actor, table=REQUEST_TRANSITIONS, save=False)
    # ... the service sets more fields, then saves and audits once itself

Guard methods answer "may this happen now, and if not, why" so views and templates ask the
model instead of repeating the service's checks. Name them ``may_<verb>`` and return a
:class:`Verdict` (truthy when allowed, ``.reason`` otherwise)::

    def may_close(self) -> Verdict:
        if self.open_actions:
            return refused(_("Close the open actions first."))
        return may_transition(self, Status.CLOSED, table=TRANSITIONS)

    {% if report.may_close %}<button>…{% else %}{{ report.may_close.reason }}{% endif %}

and the service calls ``refuse_unless(obj.may_close())`` before it writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import audit_update, snapshot
from .models.audit import AuditAction

Table = Mapping[tuple[str, str], str]
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Verdict:
    """The answer of a guard method: truthy when the thing may happen; else ``reason``."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def __str__(self) -> str:
        return self.reason


ALLOWED = Verdict(True)


def refused(reason: Any) -> Verdict:
    return Verdict(False, str(reason))


def refuse_unless(verdict: Verdict, field: str = "status") -> None:
    """Raise the refusal of a guard method as a ValidationError keyed by ``field``."""
    if not verdict:
        raise ValidationError({field: verdict.reason})


def table_of(obj: models.Model, table: Table | None = None) -> Table:
    found = table if table is not None else getattr(type(obj), "TRANSITIONS", None)
    if found is None:
        raise TypeError(f"{type(obj).__name__} has no TRANSITIONS table; pass table=")
    return found


def state_label(obj: models.Model, value: str, field: str = "status") -> str:
    """The display label of ``value`` from the field's choices (the value if it has none)."""
    choices = dict(obj._meta.get_field(field).flatchoices)  # type: ignore[union-attr]
    return str(choices.get(value, value))


def may_transition(
    obj: models.Model,
    to: str,
    *,
    table: Table | None = None,
    verb: str = "",
    field: str = "status",
    message: str | None = None,
) -> Verdict:
    """Whether the table allows ``obj`` to go to ``to`` now (by ``verb``, when given)."""
    rules = table_of(obj, table)
    current = getattr(obj, field)
    if (current, to) in rules and (not verb or rules[(current, to)] == verb):
        return ALLOWED
    text = message or _("Cannot go from %(a)s to %(b)s.")
    return refused(text % {"a": state_label(obj, current, field), "b": state_label(obj, to, field)})


def transition(
    obj: models.Model,
    to: str,
    *,
    actor: Any,
    table: Table | None = None,
    verb: str = "",
    may_stay: bool = False,
    field: str = "status",
    message: str | None = None,
    save: bool = True,
    reason: str = "",
    system: str = "",
) -> None:
    """Move ``obj.<field>`` to ``to`` if the transitions table allows it, else a
    ValidationError on ``field`` naming both states (nothing is changed).

    ``save=True`` (the default) saves the record and writes a "state changed" audit entry in
    one transaction. ``save=False`` only checks and sets: for a service that changes more
    fields and saves and audits the record once itself. ``may_stay`` lets a re-decision
    keep the state it already has.
    """
    if may_stay and getattr(obj, field) == to:
        return
    refuse_unless(
        may_transition(obj, to, table=table, verb=verb, field=field, message=message), field
    )
    if not save:
        setattr(obj, field, to)
        return
    with transaction.atomic():
        before = snapshot(obj)
        setattr(obj, field, to)
        obj.save()
        audit_update(
            actor=actor,
            obj=obj,
            before=before,
            reason=reason,
            system=system,
            action=AuditAction.TRANSITION,
        )


def locked(obj: M) -> M:
    """The record read again under a row lock (inside the caller's transaction)."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def move(
    obj: M,
    to: str,
    *,
    actor: Any,
    table: Table | None = None,
    lock: bool = False,
    reason: str = "",
    **fields: Any,
) -> M:
    """One step of a workflow (submit, review, approve, send back …): optionally lock the row,
    check the transition, set the state and ``fields`` (who/when/comment), save, and write one
    "state changed" audit entry. Returns the record written (the locked copy with ``lock``)."""
    with transaction.atomic():
        if lock:
            obj = locked(obj)
        before = snapshot(obj)
        transition(obj, to, actor=actor, table=table, save=False)
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()
        audit_update(
            actor=actor, obj=obj, before=before, reason=reason, action=AuditAction.TRANSITION
        )
    return obj
