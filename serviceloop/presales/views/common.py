"""What the pre-sale pages share: an action form posted from a detail page, run through
``core.views_support.post_action`` (its form and ``open_action`` under one key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import resolve_url

from serviceloop.core import views_support
from serviceloop.core.views_support import AuthedRequest


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
    return views_support.post_action(
        request,
        permission=permission,
        form=form,
        call=call,
        done=done,
        success_url=resolve_url(*success_url),
        rerender=detail,
        prefix=key,
        form_key=key,
    )
