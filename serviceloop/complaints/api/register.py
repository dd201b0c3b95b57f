"""HTTP API of complaints (interface.md: `complaints`, `eight-d-reports`). Each (prefix, router)
in ROUTERS is mounted under /api/v1/."""

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.api_read import get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.records.policy import with_retention

from .. import selectors, services
from ..schemas import ComplaintIn, ComplaintOut, ComplaintPatch, EightDDetailOut, EightDOpenIn
from ..selectors.review import default_period, review_summary
from ..services.common import active_user

router = Router(tags=["complaints"], auth=API_AUTH)


class ComplaintFilters(Schema):
    q: str = ""
    customer: int | None = None
    status: str = ""
    kind: str = ""
    severity: str = ""
    in_production: bool | None = None
    part_number: str = ""
    received_from: date | None = None
    received_to: date | None = None


list_route(
    router,
    ComplaintOut,
    __name__,
    "list_complaints",
    selectors.complaint_list,
    ComplaintFilters,
    shape=with_retention,
    doc="The Customer Complaint Register (R-5.5.1), newest first.",
)


@router.post("/", response={201: ComplaintOut})
def create_complaint(request: HttpRequest, data: ComplaintIn):
    """Register a complaint or a customer return; a return opens its 8D at once (R-5.5.7)."""
    payload = data.dict()
    payload["leader"] = active_user("leader", payload["leader"])
    return Status(201, services.complaint_register(actor=user_of(request), **payload))


@router.get("/review", response=dict[str, Any])
def management_review(
    request: HttpRequest, date_from: date | None = None, date_to: date | None = None
):
    """Management-review input for a period (R-5.5.9; default: the last twelve months):
    counts by customer, part and cause, time to close, overdue actions."""
    default_from, default_to = default_period()
    summary = review_summary(user_of(request), date_from or default_from, date_to or default_to)
    return summary.as_dict()


get_route(router, ComplaintOut, __name__, "get_complaint", "complaint_id", selectors.complaint_get)


patch_route(
    router,
    ComplaintOut,
    __name__,
    "update_complaint",
    "complaint_id",
    selectors.complaint_get,
    ComplaintPatch,
    services.complaint_update,
    "complaint",
)


def _open_body(request: HttpRequest) -> EightDOpenIn:
    """The body is optional: an empty POST converts without naming a leader."""
    if not request.body:
        return EightDOpenIn()
    try:
        return EightDOpenIn.model_validate(json.loads(request.body))
    except (ValueError, TypeError):
        raise ValidationError({"leader": 'Send a JSON object such as {"leader": 7}.'}) from None


@router.post(
    "/{int:complaint_id}/eight-d",
    response={200: EightDDetailOut, 201: EightDDetailOut},
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": EightDOpenIn.json_schema()}},
        }
    },
)
def open_eight_d(request: HttpRequest, complaint_id: int):
    """Convert the complaint into its 8D report, handed to Quality (R-5.5.1). One 8D per
    complaint: the first call answers 201, later calls 200 with the same report."""
    user = user_of(request)
    complaint = selectors.complaint_get(user, complaint_id)
    body = _open_body(request)
    report, created = services.eightd_open(actor=user, complaint=complaint, leader=body.leader)
    return Status(201 if created else 200, selectors.report_get(user, report.pk))
