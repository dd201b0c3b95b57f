"""API: `resident-assignments` — resident engineers at tier-1 OEMs and named engineers for key
retail users (R-5.3.1/5.3.2, R-5.3.4.1, R-5.3.5)."""

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from serviceloop.core.api_read import create_route, get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require

from .. import selectors, services
from ..schemas import AssignmentEndIn, AssignmentIn, AssignmentOut, AssignmentPatch, WhoIsWhereOut

router = Router(tags=["resident-assignments"], auth=API_AUTH)


class AssignmentFilters(Schema):
    q: str = ""
    kind: str = ""
    state: str = ""
    engineer: int | None = None
    customer: int | None = None


list_route(
    router,
    AssignmentOut,
    __name__,
    "list_assignments",
    selectors.assignment_list,
    AssignmentFilters,
)


@router.get("/who-is-where", response=WhoIsWhereOut)
def who_is_where(request: HttpRequest, day: date | None = None):
    """Who is where on a day (default today), and tier-1 OEMs / key retail users without one."""
    w = selectors.who_is_where(user_of(request), day)
    return {
        "day": w.day,
        "resident": w.resident,
        "named": w.named,
        "planned": w.planned,
        "tier1_without_resident": w.tier1_without,
        "key_retail_without_named": w.key_retail_without,
    }


create_route(
    router,
    AssignmentOut,
    __name__,
    "create_assignment",
    AssignmentIn,
    services.assignment_create,
    permission="assignment.manage",
)


get_route(
    router, AssignmentOut, __name__, "get_assignment", "assignment_id", selectors.assignment_get
)


patch_route(
    router,
    AssignmentOut,
    __name__,
    "update_assignment",
    "assignment_id",
    selectors.assignment_get,
    AssignmentPatch,
    services.assignment_update,
    "assignment",
    permission="assignment.manage",
)


@router.post("/{int:assignment_id}/end", response=AssignmentOut)
def end_assignment(request: HttpRequest, assignment_id: int, data: AssignmentEndIn):
    actor = user_of(request)
    require(actor, "assignment.manage")
    a = selectors.assignment_get(actor, assignment_id)
    return services.assignment_end(
        actor=actor, assignment=a, end_date=data.end_date, reason=data.reason
    )
