"""Small helpers shared by every app's views: run a service from a form, paginate, export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest

from .models import User

T = TypeVar("T")


class AuthedRequest(HttpRequest):
    """A request past the login middleware: its user is a real User."""

    user: User


def run_service(form: forms.BaseForm, call: Callable[[], T]) -> T | None:
    """Call a service; put its validation errors on the form (by field) and return None."""
    try:
        with transaction.atomic():
            return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in form.fields else None
                for e in errors:
                    form.add_error(target, e.messages if hasattr(e, "messages") else str(e))
        else:
            form.add_error(None, exc.messages)
        return None


def paginate(request: HttpRequest, qs: Any, per_page: int = 25) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def list_template(request: HttpRequest, full: str, partial: str) -> str:
    """One view serves the full page and, for htmx requests aimed at the table, its partial."""
    if getattr(request, "htmx", False) and request.htmx.target == "results":  # type: ignore[attr-defined]
        return partial
    return full
