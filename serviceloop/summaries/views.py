from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.files import DOCX_TYPE, PDF_TYPE, file_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import AuthedRequest, detail_actions, form_page

from . import selectors, services
from .charts import summary_charts
from .documents import summary_docx, summary_pdf
from .forms import ApproveForm, EmptyForm, NarrativeForm, PeriodForm
from .models import parse_period
from .report import figure_sections, narrative_sections


def summary_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "summaries/list.html",
        {
            "summaries": selectors.summary_list(request.user),
            "can_draft": can(request.user, "summary.draft"),
        },
    )


def _periods() -> list[str]:
    """The last four ended half years, newest first."""
    last = services.last_ended_period()
    parsed = parse_period(last)
    assert parsed is not None
    year, half = parsed
    out = []
    for _i in range(4):
        out.append(f"{year}-H{half}")
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return out


def summary_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "summary.draft")
    initial = {"period": request.GET.get("period") or services.last_ended_period()}
    form = PeriodForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: services.summary_draft(actor=request.user, period=d["period"]),
        template="summaries/create.html",
        context=lambda: {"periods": _periods()},
        done=_("Summary drafted from the system's data."),
    )


def summary_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    s = selectors.summary_get(request.user, pk)
    ctx = {
        "s": s,
        "sections": figure_sections(s.figures),
        "narrative": narrative_sections(s),
        "charts": summary_charts(s.figures),
        "history": record_history("summaries.servicesummary", s.pk),
        "narrative_form": NarrativeForm(
            prefix="narrative",
            initial={f: getattr(s, f) for f in ("achievements", "shortcomings", "direction")},
        ),
        "approve_form": ApproveForm(prefix="approve"),
        "can_draft": can(request.user, "summary.draft"),
        "can_approve": can(request.user, "summary.approve"),
    }
    ctx.update(forms_ or {})
    return render(request, "summaries/detail.html", ctx, status=400 if forms_ else 200)


_action = detail_actions(selectors.summary_get, summary_detail)


@require_POST
def summary_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "summary.draft",
        NarrativeForm,
        "narrative",
        lambda s, d: services.summary_edit(actor=request.user, summary=s, **d),
        _("Narrative saved."),
    )


@require_POST
def summary_refresh(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "summary.draft",
        EmptyForm,
        "refresh",
        lambda s, d: services.summary_refresh(actor=request.user, summary=s),
        _("Figures refreshed."),
    )


@require_POST
def summary_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "summary.draft",
        EmptyForm,
        "submit",
        lambda s, d: services.summary_submit(actor=request.user, summary=s),
        _("Summary submitted for approval."),
    )


@require_POST
def summary_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "summary.approve",
        ApproveForm,
        "approve",
        lambda s, d: services.summary_approve(actor=request.user, summary=s, **d),
        _("Decision recorded."),
    )


def summary_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    s = selectors.summary_get(request.user, pk)
    return file_response(summary_pdf(s), f"service-summary-{s.period}.pdf", PDF_TYPE)


def summary_docx_view(request: AuthedRequest, pk: int) -> HttpResponse:
    s = selectors.summary_get(request.user, pk)
    return file_response(summary_docx(s), f"service-summary-{s.period}.docx", DOCX_TYPE)
