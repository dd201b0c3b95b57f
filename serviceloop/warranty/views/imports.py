"""The claims import moved to the one import page (core.importing); the old URL leads there."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from serviceloop.core.permissions import require
from serviceloop.core.views_support import AuthedRequest


def imports(request: AuthedRequest) -> HttpResponse:
    require(request.user, "warranty.import")
    return redirect(reverse("imports:index") + "?kind=warranty-claims")
