"""Keyset ("cursor") paging for the API lists, next to limit/offset (issue 15).

Every list answers ``{"items", "count", "next_cursor"}``. ``next_cursor`` is an opaque token
(signed with the project's key, so a client cannot forge one) holding the list's ordering key
and the primary key of the page's last row; it is ``null`` on the last page. Sent back as
``?cursor=<token>`` (with the same filters and any ``limit``) it answers the rows after that
row: ``WHERE (key, pk) > (last key, last pk)`` in the list's own order, so a deep page costs
what the first one does and no row is skipped or repeated when rows are added or removed
meanwhile, even where many rows share the same ordering value (the primary key breaks ties).
A cursor replaces ``offset`` (which is then ignored). A cursor that is not one, was made for
another list or another ordering is a 422 naming ``cursor``.

The ordering is the list's (``order_by`` of the selector, else the model's ``Meta.ordering``)
with the primary key appended when absent; nullable keys sort NULLs after the values
ascending and before them descending (PostgreSQL's default), on both databases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import HttpRequest
from ninja import Field
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination

SALT = "serviceloop.api.cursor"


class Key:
    """One ordering key: a field path, its direction, whether it may be NULL and how to read
    a cursor's value back."""

    def __init__(self, model: type[Model], path: str, descending: bool) -> None:
        self.path, self.descending = path, descending
        self.nullable, self.field, self.usable = True, None, True
        self.is_pk = path == "pk" or path == model._meta.pk.name
        if self.is_pk:
            self.path, self.nullable, self.field = "pk", False, model._meta.pk
            return
        current: Any = model
        nullable = False
        try:
            for part in path.split("__"):
                field = current._meta.get_field(part)
                nullable = nullable or bool(getattr(field, "null", False))
                current = field.related_model if field.is_relation else None
            # ordering by a relation orders by the related model's ordering: not a keyset
            self.usable = not field.is_relation
            self.field, self.nullable = field, nullable
        except (FieldDoesNotExist, AttributeError):  # an annotation: compared as given
            pass

    def order(self) -> Any:
        if not self.nullable:
            return f"-{self.path}" if self.descending else self.path
        expr = F(self.path)
        return expr.desc(nulls_first=True) if self.descending else expr.asc(nulls_last=True)

    def value_of(self, obj: Any, index: int) -> Any:
        return obj.pk if self.is_pk else getattr(obj, f"cursor_key_{index}")

    def parse(self, raw: Any) -> Any:
        if raw is None or self.field is None:
            return raw
        return self.field.to_python(raw)

    def equal(self, v: Any) -> Q:
        return Q(**{f"{self.path}__isnull": True}) if v is None else Q(**{self.path: v})

    def after(self, v: Any) -> Q | None:
        """Rows strictly after value `v` in this key's order (None: no row is)."""
        if self.descending:
            if v is None:
                return Q(**{f"{self.path}__isnull": False})
            return Q(**{f"{self.path}__lt": v})
        if v is None:
            return None
        q = Q(**{f"{self.path}__gt": v})
        return q | Q(**{f"{self.path}__isnull": True}) if self.nullable else q


def ordering_keys(qs: QuerySet[Any]) -> list[Key] | None:
    """The list's ordering as keys ending with the primary key; None when it cannot be used
    for a keyset (an expression other than a plain field)."""
    query = qs.query
    order = list(query.order_by) or (
        list(qs.model._meta.ordering) if query.default_ordering else []
    )
    keys: list[Key] = []
    for entry in order:
        if isinstance(entry, OrderBy) and isinstance(entry.expression, F):
            name: str = entry.expression.name  # type: ignore[attr-defined]
            keys.append(Key(qs.model, name, entry.descending))
        elif isinstance(entry, str) and entry and entry != "?":
            keys.append(Key(qs.model, entry.lstrip("-"), entry.startswith("-")))
        else:
            return None
        if not keys[-1].usable:
            return None
        if keys[-1].is_pk:
            return keys
    keys.append(Key(qs.model, "pk", bool(keys) and keys[0].descending))
    return keys


def _plain(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def encode(request: HttpRequest, keys: list[Key], obj: Any) -> str:
    values = [_plain(k.value_of(obj, i)) for i, k in enumerate(keys)]
    payload = {"l": request.path, "o": [("-" if k.descending else "") + k.path for k in keys]}
    payload["v"] = values
    return signing.dumps(payload, salt=SALT, compress=True)


def invalid(msg: str = "Invalid cursor.") -> ValidationError:
    return ValidationError(
        [{"type": "value_error", "loc": ["query", "cursor"], "field": "cursor", "msg": msg}]
    )


def decode(request: HttpRequest, keys: list[Key], token: str) -> list[Any]:
    try:
        payload = signing.loads(token, salt=SALT)
        order = [("-" if k.descending else "") + k.path for k in keys]
        if payload["l"] != request.path or payload["o"] != order:
            raise invalid("The cursor belongs to another list or ordering.")
        raw = payload["v"]
        if not isinstance(raw, list) or len(raw) != len(keys):
            raise invalid()
        return [k.parse(v) for k, v in zip(keys, raw, strict=True)]
    except ValidationError:
        raise
    except Exception as e:  # noqa: BLE001  (bad signature, bad JSON, a value of another type)
        raise invalid() from e


def after(keys: list[Key], values: list[Any]) -> Q:
    """``(k1, k2, …, pk) > (v1, v2, …, vpk)`` in the keys' order, as OR-ed prefixes; the first
    key also bounds the range on its own so that an index scan starts at the cursor."""
    cond = Q(pk__in=[])
    equal = Q()
    for k, v in zip(keys, values, strict=True):
        step = k.after(v)
        if step is not None:
            cond |= equal & step
        equal &= k.equal(v)
    first, v0 = keys[0], values[0]
    if not first.nullable and not first.is_pk and v0 is not None:
        cond &= Q(**{f"{first.path}__{'lte' if first.descending else 'gte'}": v0})
    return cond


class KeysetOrOffsetPagination(LimitOffsetPagination):
    class Input(LimitOffsetPagination.Input):
        cursor: str | None = Field(
            None,
            description="The `next_cursor` of the previous page: the rows after its last one "
            "(replaces `offset`).",
        )

    class Output(LimitOffsetPagination.Output):
        next_cursor: str | None = Field(
            None, description="Give as `cursor` for the next page; null on the last page."
        )

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        limit: int = min(pagination.limit, self.max_limit)
        keys = ordering_keys(queryset) if isinstance(queryset, QuerySet) else None
        if keys is None:
            if pagination.cursor:
                raise invalid("This list has no cursor.")
            return super().paginate_queryset(queryset, pagination, request, **params)
        ordered = queryset.annotate(
            **{f"cursor_key_{i}": F(k.path) for i, k in enumerate(keys) if not k.is_pk}
        ).order_by(*(k.order() for k in keys))
        if pagination.cursor:
            rows = list(
                ordered.filter(after(keys, decode(request, keys, pagination.cursor)))[: limit + 1]
            )
        else:
            rows = list(ordered[pagination.offset : pagination.offset + limit + 1])
        more = len(rows) > limit
        items = rows[:limit]
        return {
            "items": items,
            "count": self._items_count(queryset),
            "next_cursor": encode(request, keys, items[-1]) if more else None,
        }
