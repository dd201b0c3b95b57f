"""API: `escalations` — problems resident engineers hand to Sales (R-5.3.3)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status

from serviceloop.core.actions import api_actions
from serviceloop.core.api_read import get_route, list_route, prefetch_with
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require

from .. import actions, selectors, services
from ..filters import ESCALATION_FILTERS
from ..schemas import (
    EscalationIn,
    EscalationOut,
    NoteOut,
)

router = Router(tags=["escalations"], auth=API_AUTH)


EscalationFilters = ESCALATION_FILTERS.schema


list_route(
    router,
    EscalationOut,
    __name__,
    "list_escalations",
    selectors.escalation_list,
    EscalationFilters,
    shape=lambda qs: prefetch_with("notes", "author")(qs.prefetch_related("departments")),
)


@router.post("/", response={201: EscalationOut})
def raise_escalation(request: HttpRequest, data: EscalationIn):
    actor = user_of(request)
    require(actor, "escalation.create")
    record = None
    if data.service_record is not None:
        record = selectors.record_list(actor).filter(pk=data.service_record).first()
        if record is None:
            raise ValidationError({"service_record": "Unknown service record."})
    return Status(
        201,
        services.escalation_raise(
            actor=actor,
            customer=data.customer,
            title=data.title,
            description=data.description,
            service_record=record,
            raised_at=data.raised_at,
        ),
    )


get_route(
    router, EscalationOut, __name__, "get_escalation", "escalation_id", selectors.escalation_get
)


_post = api_actions(
    router,
    __name__,
    get=selectors.escalation_get,
    path="/{int:escalation_id}",
    response=EscalationOut,
    permission_first=True,
)
coordinate = _post(actions.ESCALATION_COORDINATE)
move_due = _post(actions.ESCALATION_DUE, name="move_due")
agree = _post(actions.ESCALATION_AGREE)
complete = _post(actions.ESCALATION_COMPLETE)
reopen = _post(actions.ESCALATION_REOPEN)
add_note = _post(actions.ESCALATION_NOTE, "notes", name="add_note", status=201, response=NoteOut)
