"""Shared pieces of the HTTP API: authentication, error shapes, schema types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth
from pydantic import PlainSerializer

from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return ApiToken.objects.authenticate(token)


API_AUTH = [BearerToken(), django_auth]


def user_of(request: HttpRequest) -> Any:
    """The authenticated user, whether by bearer token or session."""
    return request.auth  # type: ignore[attr-defined]


# Datetimes go out in the company's time zone with its offset (interface.md).
LocalDateTime = Annotated[
    datetime, PlainSerializer(lambda v: timezone.localtime(v).isoformat(), return_type=str)
]


def patch_payload(data: Any, obj: Any) -> dict[str, Any]:
    """The fields a PATCH sent. An explicit null on a column that cannot be null is empty
    text for a text field and a 422 naming the field otherwise (issue 9: it was a 500)."""
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    payload: dict[str, Any] = data.dict(exclude_unset=True)
    errors: dict[str, str] = {}
    for key, value in payload.items():
        if value is not None:
            continue
        try:
            field = type(obj)._meta.get_field(key)
        except FieldDoesNotExist:
            continue
        if getattr(field, "null", True):
            continue
        if isinstance(field, (models.CharField, models.TextField)):
            payload[key] = ""
        else:
            errors[key] = "This field cannot be null."
    if errors:
        raise DjangoValidationError(errors)
    return payload


def validation_detail(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A Django ValidationError as the API's `detail`: one entry per field, naming it."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field], "field": field, "msg": " ".join(str(m) for m in e.messages)}
            for field, errors in exc.error_dict.items()
            for e in [DjangoValidationError(errors)]
        ]
    return [{"loc": ["body"], "field": None, "msg": " ".join(exc.messages)}]


def install_error_handlers(api: NinjaAPI) -> None:
    def on_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": validation_detail(exc)}, status=422)

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(
            request, {"detail": "You are not allowed to do this."}, status=403
        )

    api.add_exception_handler(DjangoValidationError, on_validation)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, on_denied)  # type: ignore[arg-type]

    # The document lists those answers on every operation (added when it is generated).
    generate = api.get_openapi_schema

    def get_openapi_schema(**kwargs: Any) -> Any:
        return document_errors(generate(**kwargs))

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]


def lookup(model: Any, pk: int | None, field: str) -> Any:
    """The record an API body names by id (None stays None); an unknown id is a 422 on
    ``field``."""
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DjangoValidationError({field: f"Unknown {field} {pk}."})
    return obj


def departments(ids: list[int], field: str = "departments") -> list[Any]:
    """The departments an API body names by id; unknown ids are a 422 on ``field``."""
    from .models import Department

    found = list(Department.objects.filter(pk__in=ids))
    missing = set(ids) - {d.pk for d in found}
    if missing:
        raise DjangoValidationError({field: f"Unknown department(s): {sorted(missing)}."})
    return found


# The one error shape every answer other than 2xx has (issue 9: each operation documents its
# real error answers). `detail` is a sentence, or for 422 a list naming each field.
ERROR_SCHEMAS: dict[str, Any] = {
    "ApiErrorItem": {
        "title": "ApiErrorItem",
        "type": "object",
        "properties": {
            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
            "msg": {"type": "string"},
            "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "type": {"type": "string"},
        },
        "required": ["loc", "msg"],
    },
    "ApiError": {
        "title": "ApiError",
        "type": "object",
        "properties": {
            "detail": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/ApiErrorItem"}},
                ]
            }
        },
        "required": ["detail"],
    },
}
ERROR_ANSWERS = {
    401: "Not authenticated: no session and no valid (unexpired, unrevoked) bearer token.",
    403: "Forbidden: the caller's roles do not allow this (or a session request without CSRF).",
    404: "Not found, or outside the customers the caller may see.",
    413: "The request body is too large.",
    422: "Invalid input: `detail` lists each refused field (`field`, `loc`, `msg`).",
}


def error_answers(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation really answers: 401/403 when it needs a login, 404 when
    its path names a record, 413 when it reads a body, 422 always (every query parameter, body
    field and path parameter is validated, control characters refused)."""
    codes = [422]
    if operation.get("security"):
        codes += [401, 403]
    if "{" in path:
        codes.append(404)
    if method.lower() != "get":
        codes.append(413)
    return sorted(codes)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error schema and each operation's error answers to an OpenAPI document
    (answers an operation documents itself are kept)."""
    schema.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in error_answers(path, method, operation):
                if code not in responses and str(code) not in responses:
                    responses[code] = {"description": ERROR_ANSWERS[code], "content": content}
    return schema
