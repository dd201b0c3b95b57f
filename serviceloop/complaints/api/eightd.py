"""API of `eight-d-reports`: the report with its disciplines d0…d8 as nested objects, and the
actions of the 8D workflow (disciplines, team, containment, causes, action items, referral,
negotiation, closure, circulation)."""

import functools

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Schema, Status

from serviceloop.core.actions import api_actions
from serviceloop.core.api_read import get_route, list_route, patch_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.records.policy import with_retention

from .. import actions, selectors, services
from ..models import ActionItem, EightDReport
from ..schemas import (
    ActionOut,
    CirculationOut,
    ContainmentOut,
    EightDDetailOut,
    EightDOut,
    RootCauseOut,
    TeamMemberOut,
)
from ..schemas.workflow import (
    ActionPatch,
    CausePatch,
    ContainmentDoneIn,
    ContainmentIn,
    ContainmentPatch,
    DisciplineIn,
    EightDPatch,
)
from .letters import register_letter_routes

router = Router(tags=["eight-d-reports"], auth=API_AUTH)

PREFETCH = (
    "disciplines",
    "team__user",
    "team__department",
    "containments",
    "root_causes",
    Prefetch("actions", queryset=ActionItem.objects.select_related("report")),
    "circulation",
)


class EightDFilters(Schema):
    q: str = ""
    status: str = ""
    leader: int | None = None
    customer: int | None = None


class ActionFilters(Schema):
    status: str = ""
    overdue: bool | None = None
    owner: int | None = None
    discipline: str = ""


def _detail(request: HttpRequest, report: EightDReport) -> EightDReport:
    return selectors.report_get(user_of(request), report.pk)


list_route(
    router,
    EightDOut,
    __name__,
    "list_reports",
    selectors.report_list,
    EightDFilters,
    shape=lambda qs: with_retention(qs.prefetch_related(*PREFETCH)),
)


list_route(
    router,
    ActionOut,
    __name__,
    "list_action_items",
    selectors.action_list,
    ActionFilters,
    path="/action-items",
    doc="8D action items; `overdue=true` is Quality's list of overdue actions (R-5.5.7).",
)


get_route(router, EightDDetailOut, __name__, "get_report", "report_id", selectors.report_get)


@router.patch("/{int:report_id}", response=EightDDetailOut)
def update_report(request: HttpRequest, report_id: int, data: EightDPatch):
    """Name the 8D leader."""
    user = user_of(request)
    report = selectors.report_get(user, report_id)
    services.eightd_set_leader(actor=user, report=report, leader=data.leader)
    return _detail(request, report)


@router.patch("/{int:report_id}/disciplines/{code}", response=EightDDetailOut)
def update_discipline(request: HttpRequest, report_id: int, code: str, data: DisciplineIn):
    """Edit one discipline: summary; owner and due date (Quality); 5W2H fields on d2."""
    user = user_of(request)
    report = selectors.report_get(user, report_id)
    payload = data.dict(exclude_unset=True)
    reason = payload.pop("reason", "")
    services.discipline_update(actor=user, report=report, code=code, reason=reason, **payload)
    return _detail(request, report)


_post = api_actions(
    router,
    __name__,
    get=selectors.report_get,
    path="/{int:report_id}",
    response=EightDDetailOut,
    refetch=True,
)
complete_discipline = _post(
    actions.DISCIPLINE_COMPLETE, "disciplines/{code}/complete", name="complete_discipline"
)
reopen_discipline = _post(
    actions.DISCIPLINE_REOPEN, "disciplines/{code}/reopen", name="reopen_discipline"
)
_add = functools.partial(_post, status=201, refetch=False)
add_team_member = _add(actions.TEAM_ADD, name="add_team_member", response=TeamMemberOut)
remove_team_member = api_actions(
    router,
    __name__,
    get=selectors.team_member_get,
    path="/team/{int:member_id}",
    response=list[TeamMemberOut],
)(
    actions.TEAM_REMOVE,
    name="remove_team_member",
    answer=lambda member, _: list(member.report.team.select_related("user", "department")),
)


@router.post("/{int:report_id}/containments", response={201: ContainmentOut})
def add_containment(request: HttpRequest, report_id: int, data: ContainmentIn):
    """D3: containment at one location (R-5.5.2, R-5.5.3)."""
    user = user_of(request)
    report = selectors.report_get(user, report_id)
    payload = data.dict(exclude_unset=True)
    return Status(201, services.containment_add(actor=user, report=report, **payload))


patch_route(
    router,
    ContainmentOut,
    __name__,
    "update_containment",
    "containment_id",
    selectors.containment_get,
    ContainmentPatch,
    services.containment_update,
    "containment",
    prefix="/containments",
)


@router.post("/containments/{int:containment_id}/done", response=ContainmentOut)
def containment_done(request: HttpRequest, containment_id: int, data: ContainmentDoneIn):
    user = user_of(request)
    containment = selectors.containment_get(user, containment_id)
    payload = {
        k: v for k, v in data.dict().items() if v is not None or k in ("result", "at", "reason")
    }
    return services.containment_done(actor=user, containment=containment, **payload)


reinspect = api_actions(
    router,
    __name__,
    get=selectors.containment_get,
    path="/containments/{int:containment_id}",
    response=ContainmentOut,
)(
    actions.REINSPECT,
    doc="R-5.5.3: Quality re-inspects reworked goods before they go back to stock.",
)
add_cause = _add(
    actions.CAUSE_ADD,
    name="add_cause",
    response=RootCauseOut,
    doc="D4: a root cause with its work station, operator and inspector (R-5.5.5).",
)


patch_route(
    router,
    RootCauseOut,
    __name__,
    "update_cause",
    "cause_id",
    selectors.cause_get,
    CausePatch,
    services.cause_update,
    "cause",
    prefix="/root-causes",
)


add_action = _add(actions.ACTION_ADD, name="add_action", response=ActionOut)


patch_route(
    router,
    ActionOut,
    __name__,
    "update_action",
    "action_id",
    selectors.action_get,
    ActionPatch,
    services.action_update,
    "action",
    prefix="/action-items",
)


_item_post = api_actions(
    router,
    __name__,
    get=selectors.action_get,
    path="/action-items/{int:action_id}",
    response=ActionOut,
)
complete_action = _item_post(actions.ACTION_COMPLETE, name="complete_action")
verify_action = _item_post(
    actions.ACTION_VERIFY,
    name="verify_action",
    doc="D6: verify the effect (not effective sends it back to its owner).",
)
cancel_action = _item_post(actions.ACTION_CANCEL, name="cancel_action")
refer_to_sales = _post(
    actions.REFER,
    "refer-to-sales",
    name="refer_to_sales",
    doc="R-5.5.7: the cause is the customer's own design or manufacture; Sales negotiates.",
)
record_negotiation = _post(actions.NEGOTIATION, name="record_negotiation")
close = _post(
    actions.CLOSE,
    doc="D8: close the 8D and the complaint; circulate to the MR and the GM (R-5.5.8).",
)
acknowledge = _post(
    actions.ACKNOWLEDGE,
    refetch=False,
    response=list[CirculationOut],
    doc="The Management Representative or the General Manager acknowledges (R-5.5.8).",
)


register_letter_routes(router)
