"""The one check on text coming in (issue 9, finding 3): no NUL and no other C0 control
character except TAB, LF and CR, in any query parameter, form field or JSON string of any
request, API or page, authenticated or not. SQLite would store them and PostgreSQL refuses
NUL with an error (a 500), and either way they break exports and documents later.

`TextInputMiddleware` applies it before any view runs: the API answers 422 with `detail`
naming the field (as every other validation error), a page answers 422 naming the field;
nothing is stored. The import engine applies the same `CONTROL_RE` to every cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# C0 controls (U+0000–U+001F) except TAB, LF, CR; DEL; and lone surrogates (which JSON can
# carry and no database can store).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MESSAGE = gettext_lazy("Control characters (such as NUL) are not allowed.")


def has_control_characters(value: str) -> bool:
    return CONTROL_RE.search(value) is not None


def bad_places(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The paths (keys and list positions) of every string in `data` holding a control
    character, keys included."""
    if isinstance(data, str):
        if has_control_characters(data):
            yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and has_control_characters(key):
                yield (*path, key)
            yield from bad_places(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from bad_places(value, (*path, i))


def _querydict_places(data: Any, where: str) -> Iterator[tuple[str | int, ...]]:
    for key in data:
        if has_control_characters(key) or any(
            isinstance(v, str) and has_control_characters(v) for v in data.getlist(key)
        ):
            yield (where, key)


def _json_body(request: HttpRequest) -> Any:
    if not request.content_type or "json" not in request.content_type:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None  # the API answers a body it cannot parse itself


def _field(place: tuple[str | int, ...]) -> str:
    names = [str(p) for p in place[1:]]
    return ".".join(names)


class TextInputMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith("/api/")
        try:
            places = list(self._places(request, is_api))
        except RequestDataTooBig:
            if is_api:
                return JsonResponse({"detail": _("The request body is too large.")}, status=413)
            raise
        if not places:
            return self.get_response(request)
        if is_api:
            detail = [{"loc": list(p), "field": _field(p), "msg": str(MESSAGE)} for p in places]
            return JsonResponse({"detail": detail}, status=422)
        return render(
            request,
            "core/invalid_input.html",
            {"fields": [_field(p) for p in places], "message": MESSAGE},
            status=422,
        )

    def _places(self, request: HttpRequest, is_api: bool) -> Iterator[tuple[str | int, ...]]:
        yield from _querydict_places(request.GET, "query")
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            where = "form" if is_api else "body"
            yield from _querydict_places(request.POST, where)
            for key, f in request.FILES.items():
                name = getattr(f, "name", None)
                if isinstance(name, str) and has_control_characters(name):
                    yield ("file", key)
        elif is_api:
            body = _json_body(request)
            if body is not None:
                yield from (("body", *p) for p in bad_places(body))
