"""API of customer requirements, sample requests and special requests (R-5.1.1–5.1.3)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.api_read import get_route, list_route, prefetch_with
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.files import FILE_FIELD, multipart_body
from serviceloop.core.permissions import require
from serviceloop.customers.models import Contact

from .. import selectors, services
from ..documents import decline_docx_response, decline_pdf_response
from ..schemas import (
    ConcludeIn,
    ConfirmIn,
    DecideIn,
    DeliverIn,
    DepartmentIn,
    EvaluationIn,
    FulfilIn,
    MadeIn,
    PresalesTextIn,
    RejectIn,
    RequirementAttachmentOut,
    RequirementIn,
    RequirementOut,
    SampleIn,
    SampleOut,
    ScheduleIn,
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


@requirements_router.post("/{int:req_id}/evaluations", response={201: RequirementOut})
def evaluate(request: HttpRequest, req_id: int, data: EvaluationIn):
    user = user_of(request)
    req = selectors.requirement_get(user, req_id)
    services.requirement_evaluate(actor=user, requirement=req, **data.dict())
    return Status(201, selectors.requirement_get(user, req_id))


@requirements_router.post("/{int:req_id}/conclude", response=RequirementOut)
def conclude(request: HttpRequest, req_id: int, data: ConcludeIn):
    user = user_of(request)
    req = selectors.requirement_get(user, req_id)
    payload = data.dict()
    order_id = payload.pop("order")
    order = None
    if order_id is not None:
        order = selectors.order_list(user).filter(pk=order_id).first()
        if order is None:
            raise ValidationError({"order": f"Unknown order {order_id}."})
    services.requirement_conclude(actor=user, requirement=req, order=order, **payload)
    return selectors.requirement_get(user, req_id)


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


@samples_router.post("/{int:sample_id}/approve", response=SampleOut)
def approve(request: HttpRequest, sample_id: int, data: DepartmentIn):
    user = user_of(request)
    sample = selectors.sample_get(user, sample_id)
    return services.sample_approve(actor=user, sample=sample, department=data.department)


@samples_router.post("/{int:sample_id}/reject", response=SampleOut)
def reject(request: HttpRequest, sample_id: int, data: RejectIn):
    user = user_of(request)
    sample = selectors.sample_get(user, sample_id)
    return services.sample_reject(
        actor=user, sample=sample, department=data.department, reason=data.reason
    )


@samples_router.post("/{int:sample_id}/schedule", response=SampleOut)
def schedule(request: HttpRequest, sample_id: int, data: ScheduleIn):
    user = user_of(request)
    sample = selectors.sample_get(user, sample_id)
    return services.sample_schedule(actor=user, sample=sample, planned_date=data.planned_date)


@samples_router.post("/{int:sample_id}/made", response=SampleOut)
def made(request: HttpRequest, sample_id: int, data: MadeIn):
    user = user_of(request)
    sample = selectors.sample_get(user, sample_id)
    return services.sample_record_made(actor=user, sample=sample, **data.dict())


@samples_router.post("/{int:sample_id}/deliver", response=SampleOut)
def deliver(request: HttpRequest, sample_id: int, data: DeliverIn):
    user = user_of(request)
    sample = selectors.sample_get(user, sample_id)
    return services.sample_deliver(actor=user, sample=sample, **data.dict())


@samples_router.post("/{int:sample_id}/confirm", response=SampleOut)
def confirm(request: HttpRequest, sample_id: int, data: ConfirmIn):
    user = user_of(request)
    sample = selectors.sample_get(user, sample_id)
    return services.sample_confirm(actor=user, sample=sample, **data.dict())


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


@special_router.post("/{int:special_id}/decide", response=SpecialOut)
def decide(request: HttpRequest, special_id: int, data: DecideIn):
    user = user_of(request)
    special = selectors.special_get(user, special_id)
    return services.special_decide(actor=user, special=special, **data.dict())


@special_router.post("/{int:special_id}/fulfil", response=SpecialOut)
def fulfil(request: HttpRequest, special_id: int, data: FulfilIn):
    user = user_of(request)
    special = selectors.special_get(user, special_id)
    return services.special_fulfil(actor=user, special=special, **data.dict())


@special_router.post("/{int:special_id}/decline-notice", response=SpecialOut)
def decline_notice(request: HttpRequest, special_id: int, data: PresalesTextIn):
    user = user_of(request)
    special = selectors.special_get(user, special_id)
    return services.special_decline_notice(actor=user, special=special, text=data.text)


@special_router.get("/{int:special_id}/pdf")
def decline_pdf(request: HttpRequest, special_id: int):
    return decline_pdf_response(selectors.special_get(user_of(request), special_id))


@special_router.get("/{int:special_id}/docx")
def decline_docx(request: HttpRequest, special_id: int):
    return decline_docx_response(selectors.special_get(user_of(request), special_id))
