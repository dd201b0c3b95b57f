from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from serviceloop.core.permissions import require
from serviceloop.core.views_support import AuthedRequest, run_service


def action(
    request: AuthedRequest,
    *,
    permission: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    done: str,
    success_url: str,
    rerender: Callable[[dict[str, Any]], HttpResponse],
    prefix: str,
) -> HttpResponse:
    """Validate an action form and run its service; show the page again with the errors."""
    require(request.user, permission)
    if form.is_valid() and run_service(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect(success_url)
    return rerender({f"{prefix}_form": form, "open_action": prefix})
