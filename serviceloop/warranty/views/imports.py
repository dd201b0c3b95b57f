"""Pages of the bulk import: upload, the check's result (counts, decisions, errors), confirm
or discard, the error report and the template."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.exports import XLSX_TYPE
from serviceloop.core.permissions import require
from serviceloop.core.views_support import AuthedRequest, paginate, run_service

from .. import importing, selectors, services
from ..forms import ImportForm
from ..models import ImportStatus

ERRORS_SHOWN = 200


def imports(request: AuthedRequest) -> HttpResponse:
    """Upload a file (it is checked at once, nothing imported yet) and the recent imports."""
    require(request.user, "warranty.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = run_service(
            form,
            lambda: services.import_check(actor=request.user, upload=form.cleaned_data["file"]),
        )
        if batch:
            return redirect("warranty:import_detail", batch.pk)
    return render(
        request,
        "warranty/imports.html",
        {
            "form": form,
            "page": paginate(request, selectors.import_list(request.user), 10),
            "columns": importing.TEMPLATE_COLUMNS,
        },
        status=400 if form.errors else 200,
    )


def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    return render(
        request,
        "warranty/import_detail.html",
        {
            "batch": batch,
            "errors": batch.errors[:ERRORS_SHOWN],
            "more_errors": max(0, batch.error_count - ERRORS_SHOWN),
            "decisions": sorted(batch.decisions.items()),
            "open": batch.status == ImportStatus.CHECKED,
        },
    )


@require_POST
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    require(request.user, "warranty.import")
    valid_only = request.POST.get("valid_rows_only") == "1"
    try:
        batch = services.import_confirm(actor=request.user, batch=batch, valid_rows_only=valid_only)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("warranty:import_detail", pk)
    messages.success(
        request,
        _("%(n)s claims were imported (%(first)s … %(last)s).")
        % {"n": batch.imported_count, "first": batch.first_number, "last": batch.last_number},
    )
    return redirect(reverse("warranty:list") + f"?import_batch={batch.pk}")


@require_POST
def import_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    try:
        services.import_discard(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("warranty:import_detail", pk)
    messages.success(request, _("The import was discarded; no claim was stored."))
    return redirect("warranty:imports")


def import_errors(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(request.user, pk)
    response = HttpResponse(services.error_report_xlsx(batch), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-errors.xlsx"'
    return response


def import_template(request: AuthedRequest) -> HttpResponse:
    require(request.user, "warranty.import")
    if request.GET.get("format") == "csv":
        response = HttpResponse(services.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="warranty-claims-template.csv"'
        return response
    response = HttpResponse(services.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="warranty-claims-template.xlsx"'
    return response
