"""The check: every row of a table parsed by its column types, cleaned by its kind, looked
up against what is already on record, and either kept (written to the checked-rows file)
or turned into row errors `{row, column, message}` naming the header as written.

Runs with no transaction open (issue 9: parsing never inside a write transaction): it only
reads the database, in batches (`Kind.existing`), and reports progress through a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from . import cells
from .columns import CellError, Column, Header, find_header
from .kinds import Kind
from .limits import FileRefused

KEPT_ERRORS = 20_000  # errors kept for the report (the counts are always exact)
PREVIEW_ROWS = 10
BATCH = 1000  # rows looked up against the records together


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "value": self.value,
        }


class Row:
    """One data row being checked: parsed values by field, errors named by the file's header."""

    __slots__ = ("number", "raw_cells", "values", "errors", "header")

    def __init__(self, number: int, header: Header, values: dict[str, Any] | None = None):
        self.number = number
        self.header = header
        self.raw_cells: dict[str, Any] = {}  # the non-blank cells as read
        self.values: dict[str, Any] = values if values is not None else {}  # parsed, or None
        self.errors: list[RowError] = []

    @property
    def ok(self) -> bool:
        return not self.errors

    def raw(self, name: str) -> Any:
        return self.raw_cells.get(name)

    def failed(self, name: str) -> bool:
        column = self.header.written.get(name)
        return any(e.column == column for e in self.errors)

    def fail(self, name: str, message: Any) -> None:
        raw = self.raw_cells.get(name)
        value = "" if raw is None else cells.text(raw)[:200]
        self.errors.append(
            RowError(self.number, self.header.written.get(name, name), str(message), value)
        )


@dataclass
class CheckResult:
    header_row: int = 0
    rows_total: int = 0
    rows_valid: int = 0
    rows_failed: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first KEPT_ERRORS
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    preview: list[dict[str, Any]] = field(default_factory=list)
    file_error: bool = False  # the header is unusable: nothing was checked

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = KEPT_ERRORS - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])


Progress = Callable[[CheckResult, float], None]


def _header_problems(header: Header, result: CheckResult) -> None:
    if header.number > 1:
        result.warnings.append(
            _("The column headers were found in row %(row)s; the rows above were skipped.")
            % {"row": header.number}
        )
    if header.unknown:
        result.warnings.append(
            _("These columns were not recognised and are ignored: %(cols)s.")
            % {"cols": ", ".join(header.unknown[:20])}
        )
    errors = [
        RowError(
            header.number,
            col.header,
            _("The required column %(h)s is missing.") % {"h": col.header},
        )
        for col in header.missing
    ]
    errors += [
        RowError(header.number, name, _("This column appears twice.")) for name in header.twice
    ]
    if errors:
        result.add_errors(errors)
        result.file_error = True


class Checker:
    """Checks the rows of one table for one kind; kept rows go to `keep` in batches."""

    def __init__(
        self,
        kind: Kind,
        lookups: Any,
        keep: Callable[[list[dict[str, Any]]], None],
        progress: Progress | None = None,
        today: date | None = None,
    ):
        from django.utils import timezone

        self.kind, self.lookups, self.keep, self.progress = kind, lookups, keep, progress
        self.today = today or timezone.localdate()
        self.result = CheckResult()
        self.seen: dict[Hashable, int] = {}
        self.pending: list[tuple[Row, dict[str, Any]]] = []

    def run(self, table: Any) -> CheckResult:
        rows: Iterator[tuple[int, tuple[Any, ...]]] = iter(table)
        header, rows = find_header(rows, self.kind.columns)
        if header is None:
            raise FileRefused(_("The file is empty."))
        result = self.result
        result.header_row = header.number
        _header_problems(header, result)
        if result.file_error:
            return result
        parsers = [
            (position, col.field, col.required, col.parser(self.today))
            for position, col in sorted(header.index.items())
        ]
        blank_values = dict.fromkeys(col.field for col in self.kind.columns)
        blank, clean, batch = cells.blank, self.kind.clean, BATCH
        for number, values in rows:
            if all(blank(v) for v in values):
                continue
            result.rows_total += 1
            if self.progress is not None and not result.rows_total % batch:
                self.progress(result, getattr(table, "progress", 0.0))  # also the lease
            row = Row(number, header, blank_values.copy())
            raw_cells, parsed = row.raw_cells, row.values
            width = len(values)
            for position, name, required, parse in parsers:
                raw = values[position] if position < width else None
                if raw is None or (raw.__class__ is str and not raw.strip()):
                    if required:
                        row.fail(name, _("This cell is required."))
                    continue
                raw_cells[name] = raw
                try:
                    parsed[name] = parse(raw)
                except CellError as exc:
                    parsed[name] = None
                    row.fail(name, exc.message)
            kept = clean(row, self.lookups)
            if row.errors:
                self._failed(row)
                continue
            kept = parsed if kept is None else kept
            if self._duplicate(row, kept):
                continue
            self.pending.append((row, kept))
            if len(self.pending) >= batch:
                self._flush(table)
        self._flush(table)
        if self.progress is not None:
            self.progress(result, 1.0)
        if result.rows_total == 0:
            raise FileRefused(_("The file has no data rows below its header."))
        return result

    def _failed(self, row: Row) -> None:
        self.result.rows_failed += 1
        self.result.add_errors(row.errors)

    def _duplicate(self, row: Row, kept: dict[str, Any]) -> bool:
        if self.kind.key is None:
            return False
        key = self.kind.key(kept)
        if key is None:
            return False
        first = self.seen.setdefault(key, row.number)
        if first == row.number:
            return False
        row.fail(self.kind.key_field, _("The same as row %(row)s.") % {"row": first})
        self._failed(row)
        return True

    def _flush(self, table: Any) -> None:
        if not self.pending:
            return
        result, kind = self.result, self.kind
        known = kind.existing(self.lookups, [v for _, v in self.pending]) if kind.existing else {}
        kept: list[dict[str, Any]] = []
        for position, (row, values) in enumerate(self.pending):
            message = known.get(position)
            if message:
                row.fail(kind.key_field, message)
                self._failed(row)
                continue
            kept.append(values)
            if kind.tally is not None:
                label = kind.tally(values)
                result.summary[label] = result.summary.get(label, 0) + 1
            if len(result.preview) < PREVIEW_ROWS:
                result.preview.append(self._preview(row))
        self.pending.clear()
        result.rows_valid += len(kept)
        if kept:
            self.keep(kept)

    def _preview(self, row: Row) -> dict[str, Any]:
        columns: tuple[Column, ...] = self.kind.columns
        shown = {
            row.header.written[c.field]: cells.text(row.raw_cells.get(c.field))[:80]
            for c in columns
            if row.raw_cells.get(c.field) is not None
        }
        return {"row": row.number, "cells": shown}
