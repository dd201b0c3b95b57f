"""The read side of a resource's API, declared once: the paginated list and the record by id.

Every list/get pair in the API had the same shape — scope the records to what the caller may
see (the selector does that, by permission and customer), apply the list's filters, paginate,
and answer 404 for an id outside the caller's scope (the ``*_get`` selector raises it). One call
here registers both operations on a router::

    read_routes(
        records, VisitRecordOut, __name__,
        list_=("list_records", selectors.visit_record_list, VisitRecordFilters),
        get=("get_record", "record_id", selectors.visit_record_get),
        shape=lambda qs: qs.prefetch_related("communications"),
    )

The operations keep the names they had as hand-written functions (operation ids, summaries and
URL names come from them), so the OpenAPI document does not change.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from .api_cursor import KeysetOrOffsetPagination
from .api_support import patch_payload, user_of

P = inspect.Parameter


def _named(
    view: Callable[..., Any],
    name: str,
    module: str,
    doc: str | None,
    params: list[inspect.Parameter],
) -> Callable[..., Any]:
    view.__name__ = view.__qualname__ = name
    view.__module__ = module
    view.__doc__ = doc
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [P("request", P.POSITIONAL_OR_KEYWORD, annotation=HttpRequest), *params]
    )
    return view


def list_route(
    router: Router,
    out: Any,
    module: str,
    name: str,
    selector: Callable[..., Any],
    filters: type[Schema] | None = None,
    *,
    path: str = "/",
    shape: Callable[[Any], Any] | None = None,
    doc: str | None = None,
) -> Callable[..., Any]:
    """``GET path``: ``selector(user, **filters)``, shaped (prefetches), paginated by
    ``limit``/``offset`` or by ``cursor`` (core.api_cursor)."""

    def view(request: HttpRequest, **kwargs: Any) -> Any:
        given = kwargs["filters"].dict() if filters is not None else {}
        qs = selector(user_of(request), **given)
        return shape(qs) if shape else qs

    query: Any = Query  # Query[schema] built at run time
    params = [P("filters", P.POSITIONAL_OR_KEYWORD, annotation=query[filters])] if filters else []
    view = _named(view, name, module, doc, params)
    return router.get(path, response=list[out])(paginate(KeysetOrOffsetPagination)(view))


def get_route(
    router: Router,
    out: Any,
    module: str,
    name: str,
    id_name: str,
    selector: Callable[..., Any],
    *,
    prefix: str = "",
    doc: str | None = None,
) -> Callable[..., Any]:
    """``GET prefix/{id}``: ``selector(user, id)`` (404 outside the caller's scope)."""

    def view(request: HttpRequest, **kwargs: Any) -> Any:
        return selector(user_of(request), kwargs[id_name])

    view = _named(view, name, module, doc, [P(id_name, P.POSITIONAL_OR_KEYWORD, annotation=int)])
    return router.get(f"{prefix}/{{int:{id_name}}}", response=out)(view)


def read_routes(
    router: Router,
    out: Any,
    module: str,
    *,
    list_: tuple[Any, ...] | None = None,
    get: tuple[str, str, Callable[..., Any]] | None = None,
    shape: Callable[[Any], Any] | None = None,
) -> None:
    """Both operations of a resource: ``list_ = (name, selector[, filters])`` and
    ``get = (name, id_name, selector)``."""
    if list_ is not None:
        list_route(router, out, module, *list_, shape=shape)
    if get is not None:
        get_route(router, out, module, *get)


def prefetch_with(name: str, *select: str) -> Callable[[Any], Any]:
    """A list's shape prefetching relation `name` with its `select` foreign keys joined,
    read by `related` in the output schema (one query per page, not one per row)."""

    def shape(qs: Any) -> Any:
        model = qs.model._meta.get_field(name).related_model
        return qs.prefetch_related(Prefetch(name, model._default_manager.select_related(*select)))

    return shape


def related(obj: Any, name: str, *select: str) -> list:
    """A resolver's related rows: the list's prefetch (`prefetch_with`) when there is one,
    else one query (a single record's answer)."""
    if name in getattr(obj, "_prefetched_objects_cache", {}):
        return list(getattr(obj, name).all())
    return list(getattr(obj, name).select_related(*select))


def patch_route(
    router: Router,
    out: Any,
    module: str,
    name: str,
    id_name: str,
    selector: Callable[..., Any],
    schema: Any,
    service: Callable[..., Any],
    record: str,
    *,
    prefix: str = "",
    permission: str = "",
    api_in: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    refetch: bool = False,
    doc: str | None = None,
) -> Callable[..., Any]:
    """``PATCH prefix/{id}``: the fields the caller sent (``api_support.patch_payload``) to
    ``service(actor=user, <record>=obj, **fields)`` (an audit ``reason`` among them when sent:
    the service's own default when not). ``permission`` is checked before the record is read (403
    before 404) when given, else the service checks it; ``api_in(fields)`` turns ids into
    records; the answer is the service's result, or the record read again when ``refetch``."""
    from .permissions import require

    def view(request: HttpRequest, **kwargs: Any) -> Any:
        user = user_of(request)
        if permission:
            require(user, permission)
        obj = selector(user, kwargs[id_name])
        payload = patch_payload(kwargs["data"], obj)
        if api_in is not None:
            payload = api_in(payload)
        result = service(actor=user, **{record: obj}, **payload)
        return selector(user, kwargs[id_name]) if refetch else result

    params = [
        P(id_name, P.POSITIONAL_OR_KEYWORD, annotation=int),
        P("data", P.POSITIONAL_OR_KEYWORD, annotation=schema),
    ]
    view = _named(view, name, module, doc, params)
    return router.patch(f"{prefix}/{{int:{id_name}}}", response=out)(view)


def create_route(
    router: Router,
    out: Any,
    module: str,
    name: str,
    schema: Any,
    service: Callable[..., Any],
    *,
    path: str = "/",
    permission: str = "",
    api_in: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    doc: str | None = None,
) -> Callable[..., Any]:
    """``POST path`` answered 201: the body's fields to ``service(actor=user, **fields)``, the
    new record its answer. ``permission`` is checked before the body is used (403 first) when
    given, else the service checks it; ``api_in(fields)`` turns ids into records or renames a
    field for the service (as ``patch_route``'s)."""
    from .permissions import require

    def view(request: HttpRequest, **kwargs: Any) -> Any:
        user = user_of(request)
        if permission:
            require(user, permission)
        payload = kwargs["data"].dict()
        if api_in is not None:
            payload = api_in(payload)
        return Status(201, service(actor=user, **payload))

    params = [P("data", P.POSITIONAL_OR_KEYWORD, annotation=schema)]
    view = _named(view, name, module, doc, params)
    return router.post(path, response={201: out})(view)
