"""API of retention: `retention/due` (the disposal-review queue), its decisions, the policy,
and `legal-holds` (interface.md, names fixed)."""

from django.http import HttpRequest
from ninja import Router, Schema

from serviceloop.core.api_read import create_route, get_route, list_route
from serviceloop.core.api_support import API_AUTH, user_of
from serviceloop.core.permissions import require

from . import policy, selectors, services
from .schemas import (
    DisposeIn,
    DueOut,
    KeepIn,
    LegalHoldIn,
    LegalHoldOut,
    LiftIn,
    PeriodIn,
    PolicyOut,
    ReviewOut,
)

retention = Router(tags=["retention"], auth=API_AUTH)
holds = Router(tags=["legal-holds"], auth=API_AUTH)
ROUTERS = [("/retention", retention), ("/legal-holds", holds)]


class DueFilters(Schema):
    record_type: str = ""


list_route(retention, DueOut, __name__, "list_due", selectors.due_list, DueFilters, path="/due")


@retention.post("/reviews/{int:review_id}/dispose", response=ReviewOut)
def dispose(request: HttpRequest, review_id: int, data: DisposeIn):
    user = user_of(request)
    review = selectors.review_get(user, review_id)
    return services.review_dispose(actor=user, review=review, reason=data.reason)


@retention.post("/reviews/{int:review_id}/keep", response=ReviewOut)
def keep(request: HttpRequest, review_id: int, data: KeepIn):
    user = user_of(request)
    review = selectors.review_get(user, review_id)
    return services.review_keep(actor=user, review=review, reason=data.reason, until=data.until)


def _policy_out(row: selectors.PolicyRow) -> dict:
    t = row.type
    return {
        "record_type": t.key,
        "label": str(t.label),
        "rule": t.rule,
        "years": row.years,
        "permanent": t.permanent,
        "set_by_administrator": t.admin_set,
    }


@retention.get("/policy", response=list[PolicyOut])
def get_policy(request: HttpRequest):
    require(user_of(request), "records.view")
    return [_policy_out(r) for r in selectors.policy_rows()]


@retention.post("/policy/{record_type}", response=PolicyOut)
def set_period(request: HttpRequest, record_type: str, data: PeriodIn):
    services.period_set(actor=user_of(request), record_type=record_type, years=data.years)
    t = policy.get_type(record_type)
    assert t is not None
    return _policy_out(selectors.PolicyRow(t, policy.years_of(t)))


class HoldFilters(Schema):
    active: bool | None = None


list_route(holds, LegalHoldOut, __name__, "list_holds", selectors.hold_list, HoldFilters)


create_route(holds, LegalHoldOut, __name__, "place_hold", LegalHoldIn, services.hold_place)


get_route(holds, LegalHoldOut, __name__, "get_hold", "hold_id", selectors.hold_get)


@holds.post("/{int:hold_id}/lift", response=LegalHoldOut)
def lift_hold(request: HttpRequest, hold_id: int, data: LiftIn):
    user = user_of(request)
    return services.hold_lift(
        actor=user, hold=selectors.hold_get(user, hold_id), reason=data.reason
    )
