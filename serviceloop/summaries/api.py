"""API for `service-summaries` (interface.md, R-5.9.6)."""

from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.api_read import get_route, list_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.files import DOCX_TYPE, PDF_TYPE, file_response

from . import selectors, services
from .documents import summary_docx, summary_pdf
from .schemas import ApproveIn, NarrativeIn, SummaryIn, SummaryOut

router = Router(tags=["service-summaries"], auth=API_AUTH)
ROUTERS = [("/service-summaries", router)]


class SummaryFilters(Schema):
    status: str = ""


list_route(router, SummaryOut, __name__, "list_summaries", selectors.summary_list, SummaryFilters)


@router.post("/", response={201: SummaryOut})
def draft_summary(request: HttpRequest, data: SummaryIn):
    return Status(201, services.summary_draft(actor=user_of(request), period=data.period))


get_route(router, SummaryOut, __name__, "get_summary", "summary_id", selectors.summary_get)


@router.patch("/{int:summary_id}", response=SummaryOut)
def edit_summary(request: HttpRequest, summary_id: int, data: NarrativeIn):
    user = user_of(request)
    texts = {k: v for k, v in data.dict().items() if v is not None}
    return services.summary_edit(
        actor=user, summary=selectors.summary_get(user, summary_id), **texts
    )


@router.post("/{int:summary_id}/refresh", response=SummaryOut)
def refresh_summary(request: HttpRequest, summary_id: int):
    user = user_of(request)
    return services.summary_refresh(actor=user, summary=selectors.summary_get(user, summary_id))


@router.post("/{int:summary_id}/submit", response=SummaryOut)
def submit_summary(request: HttpRequest, summary_id: int):
    user = user_of(request)
    return services.summary_submit(actor=user, summary=selectors.summary_get(user, summary_id))


@router.post("/{int:summary_id}/approve", response=SummaryOut)
def approve_summary(request: HttpRequest, summary_id: int, data: ApproveIn):
    user = user_of(request)
    return services.summary_approve(
        actor=user, summary=selectors.summary_get(user, summary_id), **data.dict()
    )


@router.get("/{int:summary_id}/pdf")
def get_summary_pdf(request: HttpRequest, summary_id: int):
    s = selectors.summary_get(user_of(request), summary_id)
    return file_response(summary_pdf(s), f"service-summary-{s.period}.pdf", PDF_TYPE, inline=True)


@router.get("/{int:summary_id}/docx")
def get_summary_docx(request: HttpRequest, summary_id: int):
    s = selectors.summary_get(user_of(request), summary_id)
    return file_response(summary_docx(s), f"service-summary-{s.period}.docx", DOCX_TYPE)
