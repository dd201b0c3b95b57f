"""Pages of special requests (R-5.1.3)."""

from __future__ import annotations

from pathlib import PurePath

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from serviceloop.core.files import ALLOWED_TYPES, file_response
from serviceloop.core.permissions import can, require
from serviceloop.core.selectors import record_history
from serviceloop.core.views_support import (
    AuthedRequest,
    form_page,
    list_page,
)

from .. import selectors, services
from ..documents import decline_docx_response, decline_pdf_response
from ..forms import DecideForm, ExplainForm, FulfilForm, ListFilterForm, SpecialForm
from ..models import SpecialStatus
from ..services.special import default_explanation
from .common import post_action


def special_list(request: AuthedRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None, statuses=SpecialStatus.choices)
    filters = form.filters()
    filters["overdue"] = filters.pop("late", None)
    return list_page(
        request,
        selectors.special_list(request.user, **filters),
        form=form,
        full="presales/special_list.html",
        can_create=can(request.user, "special.create"),
    )


def special_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, "special.create")
    form = SpecialForm(
        request.POST or None, user=request.user, initial={"customer": request.GET.get("customer")}
    )
    return form_page(
        request,
        form,
        lambda d: services.special_request(actor=request.user, **d),
        template="presales/form.html",
        context={"title": _("Apply for a special request"), "back": "presales:special"},
        done=lambda obj: _("Applied as %s.") % obj.number,
        success_url=lambda obj: reverse("presales:special_detail", args=[obj.pk]),
        invalid_status=200,
    )


def special_detail(request: AuthedRequest, pk: int, forms_: dict | None = None) -> HttpResponse:
    special = selectors.special_get(request.user, pk)
    user = request.user
    ctx = {
        "special": special,
        "now": timezone.now(),
        "decide_form": DecideForm(prefix="decide"),
        "fulfil_form": FulfilForm(prefix="fulfil"),
        "explain_form": ExplainForm(
            prefix="explain", initial={"text": default_explanation(special)}
        ),
        "can_decide": can(user, "special.decide") and special.status == SpecialStatus.REQUESTED,
        "can_fulfil": can(user, "special.fulfil") and special.status == SpecialStatus.APPROVED,
        "can_explain": can(user, "special.explain") and special.status == SpecialStatus.DECLINED,
        "history": record_history("presales.specialrequest", special.pk),
    }
    ctx.update(forms_ or {})
    return render(request, "presales/special_detail.html", ctx, status=400 if forms_ else 200)


@require_POST
def special_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    special = selectors.special_get(request.user, pk)
    return post_action(
        request,
        permission="special.decide",
        form=DecideForm(request.POST, prefix="decide"),
        call=lambda d: services.special_decide(
            actor=request.user, special=special, feasible=d["feasible"], note=d["note"]
        ),
        done=_("Decision recorded."),
        success_url=("presales:special_detail", pk),
        detail=lambda f: special_detail(request, pk, f),
        key="decide_form",
    )


@require_POST
def special_fulfil(request: AuthedRequest, pk: int) -> HttpResponse:
    special = selectors.special_get(request.user, pk)
    return post_action(
        request,
        permission="special.fulfil",
        form=FulfilForm(request.POST, request.FILES, prefix="fulfil"),
        call=lambda d: services.special_fulfil(
            actor=request.user,
            special=special,
            note=d["note"],
            document=d["document"],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
        ),
        done=_("Recorded as provided."),
        success_url=("presales:special_detail", pk),
        detail=lambda f: special_detail(request, pk, f),
        key="fulfil_form",
    )


@require_POST
def special_explain(request: AuthedRequest, pk: int) -> HttpResponse:
    special = selectors.special_get(request.user, pk)
    return post_action(
        request,
        permission="special.explain",
        form=ExplainForm(request.POST, prefix="explain"),
        call=lambda d: services.special_decline_notice(
            actor=request.user, special=special, text=d["text"]
        ),
        done=_("Explanation recorded."),
        success_url=("presales:special_detail", pk),
        detail=lambda f: special_detail(request, pk, f),
        key="explain_form",
    )


def special_letter_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return decline_pdf_response(selectors.special_get(request.user, pk))


def special_letter_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return decline_docx_response(selectors.special_get(request.user, pk))


def special_document(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The document delivered for a special request (404 when none is attached)."""
    special = selectors.special_get(request.user, pk)
    if not special.document:
        raise Http404
    name = special.document_filename
    known = ALLOWED_TYPES.get(PurePath(name).suffix.lower())
    content_type = known[0] if known else "application/octet-stream"
    return file_response(special.document.open("rb"), name, content_type)
