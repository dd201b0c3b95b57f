"""API: `escalations` — problems resident engineers hand to Sales (R-5.3.3)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require

from .. import selectors, services
from ..schemas import (
    CoordinateIn,
    DueIn,
    EscalationIn,
    EscalationNoteIn,
    EscalationOut,
    NoteOut,
    Reason,
    ResultIn,
    SolutionIn,
)
from ._support import departments

router = Router(tags=["escalations"], auth=API_AUTH)


class EscalationFilters(Schema):
    q: str = ""
    status: str = ""
    overdue: bool | None = None
    customer: int | None = None
    mine: bool = False


@router.get("/", response=list[EscalationOut])
@paginate(LimitOffsetPagination)
def list_escalations(request: HttpRequest, filters: Query[EscalationFilters]):
    return selectors.escalation_list(user_of(request), **filters.dict()).prefetch_related(
        "departments"
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


@router.get("/{int:escalation_id}", response=EscalationOut)
def get_escalation(request: HttpRequest, escalation_id: int):
    return selectors.escalation_get(user_of(request), escalation_id)


def _get(request: HttpRequest, escalation_id: int, action: str):
    actor = user_of(request)
    require(actor, action)
    return actor, selectors.escalation_get(actor, escalation_id)


@router.post("/{int:escalation_id}/coordinate", response=EscalationOut)
def coordinate(request: HttpRequest, escalation_id: int, data: CoordinateIn):
    actor, e = _get(request, escalation_id, "escalation.coordinate")
    return services.escalation_coordinate(
        actor=actor,
        escalation=e,
        departments=departments(data.departments),
        due_date=data.due_date,
        note=data.note,
    )


@router.post("/{int:escalation_id}/due", response=EscalationOut)
def move_due(request: HttpRequest, escalation_id: int, data: DueIn):
    actor, e = _get(request, escalation_id, "escalation.coordinate")
    return services.escalation_set_due(
        actor=actor, escalation=e, due_date=data.due_date, reason=data.reason
    )


@router.post("/{int:escalation_id}/agree", response=EscalationOut)
def agree(request: HttpRequest, escalation_id: int, data: SolutionIn):
    actor, e = _get(request, escalation_id, "escalation.coordinate")
    return services.escalation_agree(actor=actor, escalation=e, solution=data.solution)


@router.post("/{int:escalation_id}/complete", response=EscalationOut)
def complete(request: HttpRequest, escalation_id: int, data: ResultIn):
    actor, e = _get(request, escalation_id, "escalation.coordinate")
    return services.escalation_complete(actor=actor, escalation=e, result=data.result)


@router.post("/{int:escalation_id}/reopen", response=EscalationOut)
def reopen(request: HttpRequest, escalation_id: int, data: Reason):
    actor, e = _get(request, escalation_id, "escalation.coordinate")
    return services.escalation_reopen(actor=actor, escalation=e, reason=data.reason)


@router.post("/{int:escalation_id}/notes", response={201: NoteOut})
def add_note(request: HttpRequest, escalation_id: int, data: EscalationNoteIn):
    actor, e = _get(request, escalation_id, "escalation.note")
    return Status(201, services.escalation_add_note(actor=actor, escalation=e, text=data.text))
