"""API of customer requirements, sample requests and special requests (R-5.1.1–5.1.3)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.actions import api_actions
from serviceloop.core.api_read import get_route, list_route, prefetch_with
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.files import FILE_FIELD, multipart_body
from serviceloop.core.permissions import require
from serviceloop.customers.models import Contact

from .. import actions, selectors, services
from ..documents import decline_docx_response, decline_pdf_response
from ..schemas import (
    RequirementAttachmentOut,
    RequirementIn,
    RequirementOut,
    SampleIn,
    SampleOut,
    SpecialIn,
    SpecialOut,
)
from ..views.requirements import attachment_response

requirements_router = Router(tags=["customer-requirements"], auth=API_AUTH)
samples_router = Router(tags=["sample-requests"], auth=API_AUTH)
special_router = Router(tags=["special-requests"], auth=API_AUTH)


class RequirementFilters(Schema):
    q: str = ""
    customer: int | None = None
    status: str = ""
    late: bool | None = None
    department: str = ""


list_route(
    requirements_router,
    RequirementOut,
    __name__,
    "list_requirements",
    selectors.requirement_list,
    RequirementFilters,
)


@requirements_router.post("/", response={201: RequirementOut})
def create_requirement(request: HttpRequest, data: RequirementIn):
    payload = data.dict()
    contact_id = payload.pop("contact")
    contact = None
    if contact_id is not None:
        contact = Contact.objects.filter(pk=contact_id).first()
        if contact is None:
            raise ValidationError({"contact": f"Unknown contact {contact_id}."})
    req = services.requirement_register(actor=user_of(request), contact=contact, **payload)
    return Status(201, req)


get_route(
    requirements_router,
    RequirementOut,
    __name__,
    "get_requirement",
    "req_id",
    selectors.requirement_get,
)


_requirement_post = api_actions(
    requirements_router,
    __name__,
    get=selectors.requirement_get,
    path="/{int:req_id}",
    response=RequirementOut,
    refetch=True,
)
evaluate = _requirement_post(actions.EVALUATE, "evaluations", status=201)
conclude = _requirement_post(actions.CONCLUDE)


@requirements_router.get("/{int:req_id}/attachments", response=list[RequirementAttachmentOut])
def list_requirement_attachments(request: HttpRequest, req_id: int):
    req = selectors.requirement_get(user_of(request), req_id)
    return list(req.attachments.select_related("evaluation__department"))


@requirements_router.post(
    "/{int:req_id}/attachments",
    response={201: RequirementAttachmentOut},
    openapi_extra=multipart_body(
        {
            "file": FILE_FIELD,
            "description": {"type": "string"},
            "department": {
                "type": "string",
                "description": "Department code: a file of that department's evaluation; "
                "empty = a drawing or specification of the requirement (Sales).",
            },
        }
    ),
)
def add_requirement_attachment(request: HttpRequest, req_id: int):
    """Upload a drawing or specification (multipart field `file`, optional `description`),
    or, with `department`, a file of that department's evaluation."""
    user = user_of(request)
    req = selectors.requirement_get(user, req_id)
    require(user, "requirement.attach")  # before looking at the body
    code = (request.POST.get("department") or "").strip()
    evaluation = None
    if code:
        evaluation = req.evaluations.filter(department__code=code).first()
        if evaluation is None:
            raise ValidationError({"department": f"This department was not asked: {code}."})
    attachment = services.requirement_attach(
        actor=user,
        requirement=req,
        upload=request.FILES.get("file"),
        evaluation=evaluation,
        description=request.POST.get("description", ""),
    )
    return Status(201, attachment)


@requirements_router.get(
    "/{int:req_id}/attachments/{int:attachment_id}", url_name="presales_requirement_attachment"
)
def download_requirement_attachment(request: HttpRequest, req_id: int, attachment_id: int):
    """The file itself (404 unless its requirement is visible to the caller)."""
    return attachment_response(
        selectors.requirement_attachment_get(user_of(request), req_id, attachment_id)
    )


class SampleFilters(Schema):
    q: str = ""
    customer: int | None = None
    status: str = ""
    overdue: bool | None = None


list_route(
    samples_router,
    SampleOut,
    __name__,
    "list_samples",
    selectors.sample_list,
    SampleFilters,
    shape=prefetch_with("approvals", "department"),
)


@samples_router.post("/", response={201: SampleOut})
def create_sample(request: HttpRequest, data: SampleIn):
    return Status(201, services.sample_request(actor=user_of(request), **data.dict()))


get_route(samples_router, SampleOut, __name__, "get_sample", "sample_id", selectors.sample_get)


_sample_post = api_actions(
    samples_router, __name__, get=selectors.sample_get, path="/{int:sample_id}", response=SampleOut
)
approve = _sample_post(actions.SAMPLE_APPROVE)
reject = _sample_post(actions.SAMPLE_REJECT)
schedule = _sample_post(actions.SAMPLE_SCHEDULE)
made = _sample_post(actions.SAMPLE_MADE)
deliver = _sample_post(actions.SAMPLE_DELIVER)
confirm = _sample_post(actions.SAMPLE_CONFIRM)


class SpecialFilters(Schema):
    q: str = ""
    customer: int | None = None
    status: str = ""
    kind: str = ""
    overdue: bool | None = None


list_route(
    special_router, SpecialOut, __name__, "list_special", selectors.special_list, SpecialFilters
)


@special_router.post("/", response={201: SpecialOut})
def create_special(request: HttpRequest, data: SpecialIn):
    return Status(201, services.special_request(actor=user_of(request), **data.dict()))


get_route(special_router, SpecialOut, __name__, "get_special", "special_id", selectors.special_get)


_special_post = api_actions(
    special_router,
    __name__,
    get=selectors.special_get,
    path="/{int:special_id}",
    response=SpecialOut,
)
decide = _special_post(actions.SPECIAL_DECIDE)
fulfil = _special_post(actions.SPECIAL_FULFIL)
decline_notice = _special_post(actions.SPECIAL_DECLINE_NOTICE)


@special_router.get("/{int:special_id}/pdf")
def decline_pdf(request: HttpRequest, special_id: int):
    return decline_pdf_response(selectors.special_get(user_of(request), special_id))


@special_router.get("/{int:special_id}/docx")
def decline_docx(request: HttpRequest, special_id: int):
    return decline_docx_response(selectors.special_get(user_of(request), special_id))
