"""HTTP API of this app: `warranty-claims` (interface.md); imports go through `imports`.

Each (prefix, router) in ROUTERS is mounted under /api/v1/. The decision fields of a claim
(`decision`, `reasons`, `remedy`, `last_covered_day`, `km_limit`, `terms_from_agreement`)
follow warranty-rules.md; `decision` and `remedy` are those in force — an override where
there is one (`overridden`, `override_*`), else the rule's (`rule_decision`, `rule_remedy`).
`explanation` gives the rule's decision in plain sentences, in the request's language.
Money amounts are decimal strings.
"""

from datetime import date

from django.http import HttpRequest, HttpResponseBase
from ninja import Router, Schema, Status

from serviceloop.core.actions import api_actions
from serviceloop.core.api_read import get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.files import FILE_FIELD, file_response, multipart_body
from serviceloop.core.permissions import require
from serviceloop.records.policy import with_retention

from . import actions, selectors, services
from .schemas import (
    AttachmentOut,
    ClaimIn,
    ClaimNoteIn,
    ClaimOut,
    ClaimPatch,
    DecisionRecordOut,
)

router = Router(tags=["warranty-claims"], auth=API_AUTH)
ROUTERS: list[tuple[str, Router]] = [("/warranty-claims", router)]


_multipart = multipart_body


class ClaimFilters(Schema):
    q: str = ""
    customer: int | None = None
    status: str = ""
    decision: str = ""
    part_number: str = ""
    build_month: str = ""
    overridden: bool | None = None
    failure_from: date | None = None
    failure_to: date | None = None
    import_batch: int | None = None


list_route(
    router,
    ClaimOut,
    __name__,
    "list_claims",
    selectors.claim_list,
    ClaimFilters,
    shape=with_retention,
)


@router.post("/", response={201: ClaimOut})
def create_claim(request: HttpRequest, data: ClaimIn):
    payload = data.dict()
    return Status(201, services.claim_create(actor=user_of(request), **payload))


get_route(router, ClaimOut, __name__, "get_claim", "claim_id", selectors.claim_get)


patch_route(
    router,
    ClaimOut,
    __name__,
    "update_claim",
    "claim_id",
    selectors.claim_get,
    ClaimPatch,
    services.claim_update,
    "claim",
)


@router.get("/{int:claim_id}/decisions", response=list[DecisionRecordOut])
def list_decisions(request: HttpRequest, claim_id: int):
    claim = selectors.claim_get(user_of(request), claim_id)
    return list(selectors.decision_history(claim))


_post = api_actions(
    router, __name__, get=selectors.claim_get, path="/{int:claim_id}", response=ClaimOut
)
override = _post(actions.OVERRIDE)


@router.post("/{int:claim_id}/redecide", response=ClaimOut)
def redecide(request: HttpRequest, claim_id: int, data: ClaimNoteIn):
    user = user_of(request)
    claim = selectors.claim_get(user, claim_id)
    services.claim_redecide(actor=user, claim=claim, reason=data.note)
    return selectors.claim_get(user, claim_id)


approve = _post(actions.APPROVE)
reject = _post(actions.REJECT)
reopen = _post(actions.REOPEN)
settle = _post(actions.SETTLE)
close = _post(actions.CLOSE)


@router.get("/{int:claim_id}/attachments", response=list[AttachmentOut])
def list_attachments(request: HttpRequest, claim_id: int):
    claim = selectors.claim_get(user_of(request), claim_id)
    return list(claim.attachments.all())


@router.post(
    "/{int:claim_id}/attachments",
    response={201: AttachmentOut},
    openapi_extra=_multipart({"file": FILE_FIELD, "description": {"type": "string"}}),
)
def add_attachment(request: HttpRequest, claim_id: int):
    """Upload a photo or document (multipart field `file`, optional `description`)."""
    user = user_of(request)
    claim = selectors.claim_get(user, claim_id)
    require(user, "warranty.change")  # before looking at the body
    return Status(
        201,
        services.attachment_add(
            actor=user,
            claim=claim,
            upload=request.FILES.get("file"),
            description=request.POST.get("description", ""),
        ),
    )


@router.get(
    "/{int:claim_id}/attachments/{int:attachment_id}", url_name="warranty_attachment_download"
)
def download_attachment(request: HttpRequest, claim_id: int, attachment_id: int):
    """The file itself (404 unless its claim is visible to the caller)."""
    attachment = selectors.attachment_get(user_of(request), claim_id, attachment_id)
    return attachment_response(attachment)


def attachment_response(attachment) -> HttpResponseBase:
    return file_response(
        attachment.file.open("rb"),
        attachment.original_name,
        attachment.content_type,
        inline=attachment.is_image,
    )
