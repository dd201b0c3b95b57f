"""The data imports moved to the one import page (core.importing); the old URLs lead there."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from serviceloop.core.permissions import require
from serviceloop.core.views_support import AuthedRequest

# The kinds' names before the import engine moved to core.
OLD_KINDS = {
    "production_volumes": "production-volumes",
    "purchase_volumes": "purchase-volumes",
    "survey_responses": "surveys",
}


def import_list(request: AuthedRequest) -> HttpResponse:
    require(request.user, "ew.view")
    return redirect("imports:index")


def import_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "ew.data")
    kind = request.GET.get("kind", "")
    kind = OLD_KINDS.get(kind, kind)
    return redirect(reverse("imports:index") + (f"?{urlencode({'kind': kind})}" if kind else ""))
