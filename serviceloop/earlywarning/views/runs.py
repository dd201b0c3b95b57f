"""Pages of the analysis runs and "Run now"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.permissions import can, require
from serviceloop.core.views_support import AuthedRequest, paginate

from .. import selectors, services
from ..documents import figures
from ..models import AlertKind, EngineState


def run_list(request: AuthedRequest) -> HttpResponse:
    qs = selectors.run_list(request.user)
    state = EngineState.objects.filter(pk=1).first()
    return render(
        request,
        "earlywarning/run_list.html",
        {
            "page": paginate(request, qs),
            "can_run": can(request.user, "ew.run"),
            "last_checked_at": state.last_checked_at if state else None,
        },
    )


def run_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(request.user, pk)
    counts = dict(run.counts or {})
    clock = counts.pop("clock", None)
    by_kind = counts.pop("findings_by_kind", {})
    kinds = dict(AlertKind.choices)
    return render(
        request,
        "earlywarning/run_detail.html",
        {
            "run": run,
            "counts": figures.labelled_counts(counts),
            "clock": clock,
            "by_kind": [(kinds.get(k, k), v) for k, v in by_kind.items()],
        },
    )


@require_POST
def run_now(request: AuthedRequest) -> HttpResponse:
    require(request.user, "ew.run")
    run = services.run_request(actor=request.user, source=_("Run now"))
    messages.success(request, _("Analysis run #%s queued; it runs in the background.") % run.pk)
    target = request.POST.get("next", "")
    if not target.startswith("/early-warning/") or "//" in target:
        target = "earlywarning:run_list"
    return redirect(target)
