"""API of reply letters (R-5.5.6), the customers' letter forms, and the 8D report as PDF."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status

from serviceloop.core.api_read import list_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require

from .. import selectors, services
from ..documents.files import eightd_pdf_response, reply_docx_response, reply_pdf_response
from ..models import ReplyLetter, ReplyTemplate
from ..schemas import ReplyOut
from ..schemas.workflow import ReplyIn, SendIn, TemplateIn, TemplateOut

templates_router = Router(tags=["reply-templates"], auth=API_AUTH)


def _letter(request: HttpRequest, report_id: int) -> ReplyLetter:
    user = user_of(request)
    report = selectors.report_get(user, report_id)
    require(user, "reply.view")
    letter = ReplyLetter.objects.filter(report=report).first()
    if letter is None:
        raise Http404("no reply letter drafted yet")
    return letter


def register_letter_routes(router: Router) -> None:
    @router.get("/{int:report_id}/reply", response=ReplyOut)
    def get_reply(request: HttpRequest, report_id: int):
        return _letter(request, report_id)

    @router.post("/{int:report_id}/reply", response={200: ReplyOut, 201: ReplyOut})
    def draft_reply(request: HttpRequest, report_id: int, data: ReplyIn):
        """Quality drafts the reply letter (R-5.5.6): the first call fills it from the 8D
        with the customer's letter form (201); later calls edit it or, with `regenerate`,
        refill it from the 8D as it stands (200)."""
        user = user_of(request)
        report = selectors.report_get(user, report_id)
        payload = {k: v for k, v in data.dict().items() if v is not None and k != "regenerate"}
        letter, created = services.reply_draft(
            actor=user, report=report, regenerate=data.regenerate, **payload
        )
        return Status(201 if created else 200, letter)

    @router.post("/{int:report_id}/reply/send", response=ReplyOut)
    def send_reply(request: HttpRequest, report_id: int, data: SendIn):
        """Sales sends the letter and records to whom, how and when (R-5.5.6)."""
        user = user_of(request)
        letter = _letter(request, report_id)
        return services.reply_send(
            actor=user, letter=letter, sent_to=data.sent_to, method=data.method, at=data.at
        )

    @router.get("/{int:report_id}/reply/pdf", url_name="reply_pdf")
    def reply_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
        return reply_pdf_response(_letter(request, report_id))

    @router.get("/{int:report_id}/reply/docx", url_name="reply_docx")
    def reply_docx(request: HttpRequest, report_id: int) -> HttpResponse:
        return reply_docx_response(_letter(request, report_id))

    @router.get("/{int:report_id}/pdf")
    def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
        """The whole 8D report as PDF."""
        return eightd_pdf_response(selectors.report_get(user_of(request), report_id))


list_route(templates_router, TemplateOut, __name__, "list_templates", selectors.template_list)


@templates_router.post("/", response={200: TemplateOut, 201: TemplateOut})
def save_template(request: HttpRequest, data: TemplateIn):
    """Set the letter form a customer requires (one per customer; 201 when new)."""
    existed = ReplyTemplate.objects.filter(customer_id=data.customer).exists()
    form = services.reply_template_save(actor=user_of(request), **data.dict())
    return Status(200 if existed else 201, form)


@templates_router.get("/{int:template_id}", response=TemplateOut)
def get_template(request: HttpRequest, template_id: int):
    qs = selectors.template_list(user_of(request))
    form = qs.filter(pk=template_id).first()
    if form is None:
        raise Http404
    return form
