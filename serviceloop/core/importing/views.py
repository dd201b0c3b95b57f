"""Pages of the imports: upload (kind, file, mode; templates per kind), the job page with
its progress bar (htmx polling while the job runs), preview, result and error report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.exports import XLSX_TYPE
from serviceloop.core.models import ImportStatus
from serviceloop.core.views_support import AuthedRequest, paginate, run_service

from . import reports, selectors, services
from .api import eta_seconds
from .forms import ConfirmForm, UploadForm
from .kinds import get_kind, kinds_for
from .uploads import refused_upload

ERRORS_SHOWN = 200
POLL_SECONDS = 1


def index(request: AuthedRequest) -> HttpResponse:
    """Upload a file (a job is queued at once) and the recent imports."""
    kinds = kinds_for(request.user)
    initial = {"kind": request.GET.get("kind") or (kinds[0].name if kinds else "")}
    form = UploadForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST":
        if not kinds:
            raise PermissionDenied("imports")
        if refused_upload(request):
            form.add_error("file", refused_upload(request))
        if form.is_valid():
            job = run_service(
                form,
                lambda: services.import_create(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    mode=form.cleaned_data["mode"],
                    dry_run=form.cleaned_data["dry_run"],
                ),
            )
            if job is not None:
                return redirect("imports:detail", job.pk)
    chosen = get_kind(form["kind"].value() or "") if kinds else None
    jobs = selectors.job_list(request.user, kind=request.GET.get("show", ""))
    return render(
        request,
        "core/imports/index.html",
        {"form": form, "kinds": kinds, "chosen": chosen, "page": paginate(request, jobs, 15)},
        status=400 if form.errors else 200,
    )


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(request.user, pk)
    kind = get_kind(job.kind)
    assert kind is not None  # job_get refuses jobs of unknown kinds
    order = list(kind.labels)  # the kind's order (a JSON column may not keep it)
    summary = sorted(
        job.summary.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)
    )
    ctx = {
        "job": job,
        "kind": kind,
        "running": job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "poll": POLL_SECONDS,
        "eta": eta_seconds(job),
        "percent": round(job.progress * 100),
        "errors": job.errors[:ERRORS_SHOWN],
        "more_errors": max(0, job.error_count - ERRORS_SHOWN),
        "may_act": job.status == ImportStatus.CHECKED and kind.may_import(request.user),
        "results_url": kind.results_url(job)
        if kind.results_url and job.status == ImportStatus.DONE
        else "",
        "preview_headers": list(dict.fromkeys(h for r in job.preview for h in r["cells"])),
        "tallies": [(kind.label_of(k), v) for k, v in summary if isinstance(v, int)],
        "notes": [(kind.label_of(k), v) for k, v in summary if not isinstance(v, int)],
    }
    if getattr(request, "htmx", False):
        return render(request, "core/imports/_job.html", ctx)
    return render(request, "core/imports/detail.html", ctx)


@require_POST
def confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(request.user, pk)
    form = ConfirmForm(request.POST)
    mode = form.cleaned_data.get("mode") if form.is_valid() else None
    try:
        services.import_confirm(actor=request.user, job=job, mode=mode or None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:detail", pk)


@require_POST
def discard(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(request.user, pk)
    try:
        services.import_discard(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:detail", pk)
    messages.success(request, _("The import was discarded; nothing was stored."))
    return redirect("imports:index")


def errors(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(request.user, pk)
    response = HttpResponse(reports.error_report_xlsx(job), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{job.number}-errors.xlsx"'
    return response


def template(request: AuthedRequest, kind: str) -> HttpResponse:
    found = get_kind(kind)
    if found is None:
        raise Http404(kind)
    if not found.may_import(request.user):
        raise PermissionDenied(found.permission)
    if request.GET.get("format") == "csv":
        response = HttpResponse(reports.template_csv(found), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{found.name}-template.csv"'
        return response
    response = HttpResponse(reports.template_xlsx(found), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{found.name}-template.xlsx"'
    return response
