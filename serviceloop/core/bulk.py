"""Fast bulk inserts from plain values, for imports (issue 8: 100,000 claims in 30 s).

Django's `bulk_create` builds a model instance per row and prepares every field of every
instance through the field's full `get_db_prep_save` chain; for a 56-field claim that is
about half of an import's storing time. `Table` prepares each column once per type and
works from dicts of attribute values, so a row costs a tuple and a few conversions:

    table = Table.of(WarrantyClaim)
    rows = table.rows(chunk, now)   # every column, defaults filled in
    ids = table.insert(rows)        # SQLite: INSERT … RETURNING, ~700 rows a statement;
                                    # PostgreSQL: COPY, ids drawn from the sequence first

Values must already be valid (the import checked them); what each database needs (dates
and datetimes for SQLite, JSON text for JSON columns) is done here, as Django would. The
tests compare every column with what `bulk_create` stores.
"""

from __future__ import annotations

import functools
import json.encoder
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.fields import NOT_PROVIDED

MAX_ROWS_PER_STATEMENT = 1000


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`adapt`, remembering the last value: the rows of an import share one `now`."""
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return convert


def _prepare(field: Any, connection: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


class JsonText(str):
    """JSON already serialised (e.g. by the audit log, which hashes that very text)."""


def json_encoder(*, sort_keys: bool = False, compact: bool = False) -> Callable[[Any], str]:
    """`DjangoJSONEncoder(ensure_ascii=False, …).encode`, same text, without building the C
    encoder anew on every call (json.dumps does; a third of the time on small values)."""
    item, key = (",", ":") if compact else (", ", ": ")
    python = DjangoJSONEncoder(ensure_ascii=False, sort_keys=sort_keys, separators=(item, key))
    c_make = getattr(json.encoder, "c_make_encoder", None)
    if c_make is None:  # no C accelerator: the plain encoder
        return python.encode
    encode_string = json.encoder.encode_basestring  # the C function ensure_ascii=False uses
    encode = c_make(None, python.default, encode_string, None, key, item, sort_keys, False, True)

    def dumps(value: Any) -> str:
        if isinstance(value, str):
            return encode_string(value)
        return "".join(encode(value, 0))

    return dumps


_ENCODE = json_encoder()


def _json(value: Any) -> Any:
    if value is None:
        return None
    if type(value) is JsonText:
        return str(value)
    return _ENCODE(value)


class Table:
    """One model's concrete columns (but the auto primary key), ready for fast inserts."""

    _cache: dict[type[models.Model], Table] = {}

    @classmethod
    def of(cls, model: type[models.Model]) -> Table:
        """The table of a model (built once per process)."""
        found = cls._cache.get(model)
        if found is None:
            found = cls._cache[model] = cls(model)
        return found

    def __init__(self, model: type[models.Model], using: str | None = None):
        self.model = model
        self.using = using or router.db_for_write(model)
        opts = model._meta
        self.fields = [
            f
            for f in opts.concrete_fields
            if not (f.primary_key and isinstance(f, models.AutoField))
        ]
        self.attnames = [f.attname for f in self.fields]
        self.defaults: list[tuple[str, Any, bool]] = []  # attname, default, callable?
        self.auto_now: list[str] = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.auto_now.append(f.attname)
            elif f.default is not NOT_PROVIDED:
                self.defaults.append((f.attname, f.default, callable(f.default)))
            elif f.null:
                self.defaults.append((f.attname, None, False))
            elif isinstance(f, models.CharField | models.TextField):
                self.defaults.append((f.attname, "", False))

    def rows(self, values: Sequence[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
        """Each of `values` (by attribute name) with every other column at its default
        (callable defaults are called once for the lot: the rows are inserted, not kept)."""
        base: dict[str, Any] = {}
        for attname, default, call in self.defaults:
            base[attname] = default() if call else default
        for attname in self.auto_now:
            base[attname] = now
        out = []
        for v in values:
            full = base.copy()
            full.update(v)
            out.append(full)
        return out

    def describe(self, row: dict[str, Any], pk: Any, related: dict[str, Any] | None = None) -> str:
        """`str()` of the record as its model gives it, from a shell instance (no __init__);
        `related` primes relations the model's __str__ reads (else each would be a query)."""
        shell = self.model.__new__(self.model)
        shell.__dict__.update(row)
        shell.__dict__[self.model._meta.pk.attname] = pk
        state = ModelState()
        state.adding, state.db = False, self.using
        if related:
            state.fields_cache.update(related)
        shell._state = state
        return str(shell)[:300]

    def _converters(self, connection: Any) -> list[Callable[[Any], Any] | None]:
        sqlite = connection.vendor == "sqlite"
        out: list[Callable[[Any], Any] | None] = []
        for f in self.fields:
            if isinstance(f, models.JSONField):
                out.append(_json)
            elif isinstance(f, models.DateTimeField) and sqlite:
                out.append(_memo(connection.ops.adapt_datetimefield_value))
            elif isinstance(
                f,
                models.CharField
                | models.TextField
                | models.IntegerField
                | models.BooleanField
                | models.DecimalField
                | models.DateField
                | models.ForeignKey
                | models.FloatField,
            ):
                out.append(None)  # the driver takes it as it is (Django registers the adapters)
            else:
                out.append(functools.partial(_prepare, f, connection))
        return out

    def _per_statement(self, connection: Any) -> int:
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(1, min(MAX_ROWS_PER_STATEMENT, limit // len(self.fields)))

    def insert(self, rows: Sequence[dict[str, Any]], *, returning: bool = True) -> list[int]:
        """Insert the rows (from `row`); their new primary keys, in order, if `returning`."""
        if not rows:
            return []
        connection = connections[self.using]
        qn = connection.ops.quote_name
        columns = ", ".join(qn(str(f.column)) for f in self.fields)
        table = qn(self.model._meta.db_table)
        converters = self._converters(connection)
        converted = [(i, c) for i, c in enumerate(converters) if c is not None]
        names = self.attnames
        getter = itemgetter(*names) if len(names) > 1 else (lambda r: (r[names[0]],))
        params: list[Sequence[Any]] = []
        for r in rows:
            values = list(getter(r))
            for i, convert in converted:
                values[i] = convert(values[i])
            params.append(values)
        if connection.vendor == "postgresql":
            return self._copy(connection, params, returning)
        # SQLite: the driver's own "?" placeholders, given to the driver's cursor directly —
        # Django's wrapper would rewrite every "%s" of a 40,000-parameter statement.
        one = "(" + ", ".join(["?"] * len(self.fields)) + ")"
        ids: list[int] = []
        with connection.cursor() as wrapper:
            cursor: Any = wrapper.cursor
            if not returning:
                sqlite3.Cursor.executemany(
                    cursor, f"INSERT INTO {table} ({columns}) VALUES {one}", params
                )
                return ids
            size = self._per_statement(connection)
            pk = qn(str(self.model._meta.pk.column))
            for start in range(0, len(params), size):
                part = params[start : start + size]
                sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(part))
                flat = [v for p in part for v in p]
                sqlite3.Cursor.execute(cursor, f"{sql} RETURNING {pk}", flat)
                ids.extend(r[0] for r in cursor.fetchall())
        return ids

    def _copy(self, connection: Any, params: list[Any], returning: bool) -> list[int]:
        """PostgreSQL: COPY … FROM STDIN, the rows streamed by the driver's C writer (a
        multi-row INSERT has its 40,000 placeholders parsed in Python by psycopg's client-side
        binding, most of the storing time). New primary keys are drawn from the table's
        sequence first, in one query, and written with the rows."""
        qn = connection.ops.quote_name
        opts = self.model._meta
        columns = [qn(str(f.column)) for f in self.fields]
        ids: list[int] = []
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            if returning:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [opts.db_table, opts.pk.column, len(params)],
                )
                ids = [r[0] for r in cursor.fetchall()]
                columns.insert(0, qn(str(opts.pk.column)))
                params = [[pk, *values] for pk, values in zip(ids, params, strict=True)]
            sql = f"COPY {qn(opts.db_table)} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for values in params:
                    copy.write_row(values)
        return ids
