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
import math
import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# C0 controls (U+0000–U+001F) except TAB, LF, CR; DEL; and lone surrogates (which JSON can
# carry and no database can store).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MESSAGE = gettext_lazy("Control characters (such as NUL) are not allowed.")
# Numbers beyond what a client can hold exactly (2**53) are refused as out of range; an
# offset or id of 10**20 used to overflow the database (a 500).
LARGEST = 2**53
NUMBER_MESSAGE = gettext_lazy("This number is out of range.")
INTEGER_RE = re.compile(r"^[+-]?\d+$")


def has_control_characters(value: str) -> bool:
    return CONTROL_RE.search(value) is not None


def number_out_of_range(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return bool(INTEGER_RE.match(value.strip())) and abs(int(value)) > LARGEST
    if isinstance(value, (int, float)):
        return not math.isfinite(value) or abs(value) > LARGEST
    return False


Place = tuple[tuple[str | int, ...], str]  # where (location path), what is wrong


def problem(value: Any) -> str:
    """Why a value is refused, or ""."""
    if isinstance(value, str) and has_control_characters(value):
        return str(MESSAGE)
    if number_out_of_range(value):
        return str(NUMBER_MESSAGE)
    return ""


def bad_places(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[Place]:
    """Every string in `data` holding a control character (keys included) and every number
    out of range, with its path of keys and list positions."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and has_control_characters(key):
                yield (*path, key), str(MESSAGE)
            yield from bad_places(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from bad_places(value, (*path, i))
    elif not isinstance(data, str) or has_control_characters(data):
        why = problem(data)
        if why:
            yield path, why


def _querydict_places(data: Any, where: str) -> Iterator[Place]:
    for key in data:
        whys = [problem(key)] + [problem(v) for v in data.getlist(key) if isinstance(v, str)]
        why = next((w for w in whys if w), "")
        if why:
            yield (where, key), why


def _json_body(request: HttpRequest) -> Any:
    if not request.content_type or "json" not in request.content_type:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None  # the API answers a body it cannot parse itself


def _field(place: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in place[1:])


class TextInputMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith("/api/")
        if any(number_out_of_range(part) for part in request.path.split("/")):
            if is_api:
                return JsonResponse({"detail": "Not Found"}, status=404)
            raise Http404
        try:
            places = list(self._places(request, is_api))
        except RequestDataTooBig:
            if is_api:
                return JsonResponse({"detail": _("The request body is too large.")}, status=413)
            raise
        if not places:
            return self.get_response(request)
        if is_api:
            detail = [{"loc": list(p), "field": _field(p), "msg": why} for p, why in places]
            return JsonResponse({"detail": detail}, status=422)
        return render(
            request,
            "core/invalid_input.html",
            {"problems": [(_field(p), why) for p, why in places]},
            status=422,
        )

    def _places(self, request: HttpRequest, is_api: bool) -> Iterator[Place]:
        yield from _querydict_places(request.GET, "query")
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            where = "form" if is_api else "body"
            yield from _querydict_places(request.POST, where)
            for key, f in request.FILES.items():
                name = getattr(f, "name", None)
                if isinstance(name, str) and has_control_characters(name):
                    yield ("file", key), str(MESSAGE)
        elif is_api:
            body = _json_body(request)
            if body is not None:
                yield from ((("body", *p), why) for p, why in bad_places(body))
