"""What the pre-sale pages share: running a form's service and answering with the detail
page (400 with the form's errors) or a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from serviceloop.core.permissions import require
from serviceloop.core.views_support import AuthedRequest, run_service


def post_action(
    request: AuthedRequest,
    *,
    permission: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], object],
    done: str,
    success_url: tuple[str, int],
    detail: Callable[[dict[str, Any]], HttpResponse],
    key: str,
) -> HttpResponse:
    require(request.user, permission)
    if form.is_valid() and run_service(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, done)
        return redirect(*success_url)
    return detail({key: form, "open_action": key})
