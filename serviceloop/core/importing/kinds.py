"""Kinds of import: what an app supplies, and the registry the engine looks them up in.

An app registers its kinds in its AppConfig.ready:

    from serviceloop.core.importing import register
    from . import importing
    register(importing.CLAIMS)

A kind is data plus three functions (see `Kind`): its column table, `clean` (a checked row
-> the values to keep, or errors on the row), and `store` (a chunk of kept values -> records,
inserted in bulk with their audit entries). Everything else — reading, limits, header,
errors, preview, modes, idempotency, jobs, pages, API, templates — is the engine's.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from serviceloop.core.permissions import can

from .columns import Column

if TYPE_CHECKING:
    from serviceloop.core.models import ImportJob

    from .checking import Row


class Stored(NamedTuple):
    """What one `store` call did with its chunk."""

    created: int = 0
    updated: int = 0
    skipped: int = 0  # already on record (the same values), left alone
    notes: dict[str, Any] | None = None  # merged into the job's summary (e.g. first number)


@dataclass
class StoreContext:
    actor: Any  # the user who confirmed (or uploaded) the import
    job: ImportJob
    now: datetime
    lookups: Any  # what `prepare` returned
    cache: dict[str, Any] = field(default_factory=dict)  # kept across the chunks of one run

    @property
    def reason(self) -> str:
        """The audit reason of every record the import writes."""
        return f"import {self.job.number}"


@dataclass(frozen=True)
class Kind:
    name: str  # "warranty-claims" (interface.md)
    label: Any  # lazy text for people
    permission: str  # the action that may import this kind
    columns: tuple[Column, ...]
    clean: Callable[[Row, Any], dict[str, Any] | None]
    store: Callable[[StoreContext, list[dict[str, Any]]], Stored]
    prepare: Callable[[Any], Any] = lambda actor: None  # lookups loaded once per run
    view_permission: str = ""  # who may see its jobs (default: who may import)
    sheet: str = ""  # the sheet read when the workbook has one of that name (and the template's)
    # Natural key of a kept row: a second row with the same key in the file is an error.
    key: Callable[[dict[str, Any]], Hashable | None] | None = None
    key_field: str = ""  # the column a duplicate is reported on
    # Rows already on record: (lookups, kept rows) -> {position in the list: message}.
    existing: Callable[[Any, Sequence[dict[str, Any]]], dict[int, str]] | None = None
    tally: Callable[[dict[str, Any]], str] | None = None  # counted into the job's summary
    labels: dict[str, Any] = field(default_factory=dict)  # summary key -> text for people
    max_rows: int | None = None
    example_rows: tuple[dict[str, Any], ...] = ()  # more example rows for the template
    guide: Callable[[], list[list[Any]]] | None = None  # more lines for the template's guide
    data_source: str = ""  # core.signals.field_data_imported `source` after storing
    results_url: Callable[[ImportJob], str] | None = None  # where the stored records are listed
    store_chunk: int = 2000  # rows per store transaction

    def label_of(self, key: str) -> str:
        return str(self.labels.get(key, key))

    def may_import(self, user: Any) -> bool:
        return can(user, self.permission)

    def may_view(self, user: Any) -> bool:
        return can(user, self.view_permission or self.permission) or self.may_import(user)

    @property
    def template_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.in_template)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in KINDS and KINDS[kind.name] is not kind:
        raise ValueError(f"import kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)


def kinds_for(user: Any, *, importing: bool = True) -> list[Kind]:
    """The kinds the user may import (or, with importing=False, whose jobs they may see)."""
    test = Kind.may_import if importing else Kind.may_view
    return [k for k in KINDS.values() if test(k, user)]
