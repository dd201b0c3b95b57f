"""Pages of the data imports: upload and check, confirm or discard, error report, templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.exports import XLSX_TYPE
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import AuthedRequest, paginate, run_service

from .. import selectors, services
from ..forms import ConfirmImportForm, ImportForm
from ..models import ImportKind, ImportStatus


def import_list(request: AuthedRequest) -> HttpResponse:
    qs = selectors.import_list(request.user)
    return render(
        request,
        "earlywarning/import_list.html",
        {
            "page": paginate(request, qs),
            "can_import": can(request.user, "ew.data"),
            "kinds": ImportKind.choices,
        },
    )


def import_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "ew.data")
    initial = {"kind": request.GET.get("kind") or ImportKind.PURCHASES}
    form = ImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        batch = run_service(
            form,
            lambda: services.import_check(
                actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            ),
        )
        if batch is not None:
            return redirect("earlywarning:import_detail", batch.pk)
    return render(
        request,
        "earlywarning/import_form.html",
        {"form": form, "kinds": ImportKind.choices},
        status=400 if form.errors else 200,
    )


def import_detail(
    request: AuthedRequest, pk: int, form: ConfirmImportForm | None = None
) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    ctx = {
        "batch": batch,
        "errors": batch.errors[:200],
        "more_errors": max(0, len(batch.errors) - 200),
        "confirm_form": form or ConfirmImportForm(),
        "can_import": can(request.user, "ew.data") and batch.status == ImportStatus.CHECKED,
        "history": record_history("earlywarning.dataimport", batch.pk),
    }
    return render(request, "earlywarning/import_detail.html", ctx, status=400 if form else 200)


@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    require(request.user, "ew.data")
    form = ConfirmImportForm(request.POST)
    form.is_valid()
    done = run_service(
        form,
        lambda: services.import_confirm(
            actor=request.user,
            batch=batch,
            valid_rows_only=form.cleaned_data.get("valid_rows_only", False),
        ),
    )
    if done is None:
        return import_detail(request, pk, form)
    messages.success(
        request,
        _(
            "Imported: %(c)s added, %(u)s updated, %(s)s already on record. "
            "An analysis run is scheduled."
        )
        % {"c": done.created_count, "u": done.updated_count, "s": done.unchanged_count},
    )
    return redirect("earlywarning:import_detail", pk)


@require_POST
def import_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    require(request.user, "ew.data")
    form = ConfirmImportForm(request.POST)
    if run_service(form, lambda: services.import_discard(actor=request.user, batch=batch)) is None:
        return import_detail(request, pk, form)
    messages.success(request, _("Import discarded; nothing was stored."))
    return redirect("earlywarning:import_list")


def import_errors(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    response = HttpResponse(services.error_report_xlsx(batch), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-errors.xlsx"'
    return response


def import_template(request: AuthedRequest, kind: str) -> HttpResponse:
    require(request.user, "ew.view")
    if kind not in ImportKind.values:
        raise Http404(kind)
    response = HttpResponse(services.template_xlsx(kind), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
