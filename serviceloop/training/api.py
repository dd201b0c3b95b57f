"""API for `trainings` (interface.md)."""

from django.http import HttpRequest
from ninja import Router, Schema

from serviceloop.core.api_read import create_route, get_route, list_route, prefetch_with
from serviceloop.core.api_support import API_AUTH, user_of

from . import selectors, services
from .schemas import AttendanceIn, TrainingCancelIn, TrainingIn, TrainingOut

router = Router(tags=["trainings"], auth=API_AUTH)
ROUTERS = [("/trainings", router)]


class TrainingFilters(Schema):
    year: int | None = None
    status: str = ""


list_route(
    router,
    TrainingOut,
    __name__,
    "list_trainings",
    selectors.training_list,
    TrainingFilters,
    shape=prefetch_with("attendees", "user"),
)


def _external_pairs(payload: dict) -> dict:
    payload["external"] = [(e["name"], e["organisation"]) for e in payload["external"]]
    return payload


create_route(
    router,
    TrainingOut,
    __name__,
    "create_training",
    TrainingIn,
    services.training_create,
    api_in=_external_pairs,
)


get_route(router, TrainingOut, __name__, "get_training", "training_id", selectors.training_get)


@router.post("/{int:training_id}/attendance", response=TrainingOut)
def record_attendance(request: HttpRequest, training_id: int, data: AttendanceIn):
    user = user_of(request)
    training = selectors.training_get(user, training_id)
    return services.training_record_attendance(
        actor=user, training=training, results=[r.dict() for r in data.attendees]
    )


@router.post("/{int:training_id}/cancel", response=TrainingOut)
def cancel_training(request: HttpRequest, training_id: int, data: TrainingCancelIn):
    user = user_of(request)
    training = selectors.training_get(user, training_id)
    return services.training_cancel(actor=user, training=training, reason=data.reason)
