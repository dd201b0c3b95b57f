"""Permission-matrix rows of visits (see core/tests/test_permission_matrix.py)."""

from datetime import timedelta

from django.utils import timezone

from serviceloop.core.models import Department
from serviceloop.core.testing.factories import user_with
from serviceloop.visits import services
from serviceloop.visits.tests.factories import record_visit


def build(w: dict) -> None:
    sales = user_with("sales")
    lead = user_with("sales_leader")
    rec = record_visit(sales, w["customer"])
    reviewed = record_visit(sales, w["customer"])
    services.visit_record_review(actor=lead, record=reviewed)
    dept = Department.objects.get(code="production")
    action = services.improvement_action_create(
        actor=sales,
        record=rec,
        description="改进",
        owner=sales,
        department=dept,
        due_date=timezone.localdate() + timedelta(days=3),
    )
    plan = services.visit_plan_create(
        actor=sales, year=2040, items=[{"customer": w["customer"].pk, "planned_month": 4}]
    )
    # Records of their own for the calls the world's records are not ready for (KEY_ALIASES): a
    # record with a copy sent to Quality (read), a done action (verify), a reviewed plan.
    distributed = record_visit(sales, w["customer"])
    services.visit_record_review(actor=lead, record=distributed)
    services.visit_record_distribute(
        actor=lead, record=distributed, departments=[Department.objects.get(code="quality")]
    )
    done = services.improvement_action_create(
        actor=sales,
        record=rec,
        description="整改",
        owner=sales,
        department=dept,
        due_date=timezone.localdate() + timedelta(days=3),
    )
    services.improvement_action_close(actor=sales, action=done, note="已完成")
    reviewed_plan = services.visit_plan_create(
        actor=sales, year=2042, items=[{"customer": w["customer"].pk, "planned_month": 5}]
    )
    services.visit_plan_submit(actor=sales, plan=reviewed_plan)
    services.visit_plan_review(actor=lead, plan=reviewed_plan)
    w.update(
        visit_distributed_id=distributed.pk,
        visit_reviewed_id=reviewed.pk,
        visit_action_done_id=done.pk,
        visit_plan_reviewed_id=reviewed_plan.pk,
    )
    w.update(
        visit=rec,
        visit_id=rec.pk,
        visit_reviewed=reviewed,
        visit_action=action,
        visit_action_id=action.pk,
        visit_plan=plan,
        visit_plan_id=plan.pk,
        visit_plan_item=plan.items.get(),
    )


ALIASES = {"record_id": "visit_id", "action_id": "visit_action_id", "plan_id": "visit_plan_id"}
# Calls whose record the world (or an earlier call) has not brought to their starting state.
KEY_ALIASES = {
    ("post", "/api/v1/visit-records/{record_id}/distribute"): {"record_id": "visit_reviewed_id"},
    ("post", "/api/v1/visit-records/{record_id}/read"): {"record_id": "visit_distributed_id"},
    ("post", "/api/v1/visit-actions/{action_id}/verify"): {"action_id": "visit_action_done_id"},
    ("post", "/api/v1/visit-plans/{plan_id}/approve"): {"plan_id": "visit_plan_reviewed_id"},
}


def _now():
    return (timezone.now() - timedelta(hours=1)).isoformat()


API = {
    ("get", "/api/v1/visit-records/"): ("visit_record.view", lambda w: None),
    ("post", "/api/v1/visit-records/"): (
        "visit_record.create",
        lambda w: {
            "customer": w["customer"].pk,
            "visited_at": _now(),
            "summary": "s",
            "satisfaction": 4,
        },
    ),
    ("get", "/api/v1/visit-records/{record_id}"): ("visit_record.view", lambda w: None),
    ("post", "/api/v1/visit-records/{record_id}/review"): (
        "visit_record.review",
        lambda w: {"note": "n"},
    ),
    ("post", "/api/v1/visit-records/{record_id}/distribute"): (
        "visit_record.distribute",
        lambda w: {"departments": ["quality"]},
    ),
    ("post", "/api/v1/visit-records/{record_id}/read"): ("visit_record.read", lambda w: {}),
    ("post", "/api/v1/visit-records/{record_id}/communication"): (
        "visit_record.raise",
        lambda w: {"subject": "s"},
    ),
    ("post", "/api/v1/visit-records/{record_id}/actions"): (
        "visit_action.create",
        lambda w: {
            "description": "d",
            "owner": w["visit_action"].owner_id,
            "department": "production",
            "due_date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
    ),
    ("get", "/api/v1/visit-actions/"): ("visit_action.view", lambda w: None),
    ("post", "/api/v1/visit-actions/{action_id}/close"): (
        "visit_action.close",
        lambda w: {"note": "n"},
    ),
    ("post", "/api/v1/visit-actions/{action_id}/verify"): (
        "visit_action.verify",
        lambda w: {"effective": True},
    ),
    ("get", "/api/v1/visit-plans/"): ("visit_plan.view", lambda w: None),
    ("post", "/api/v1/visit-plans/"): ("visit_plan.draft", lambda w: {"year": 2041, "items": []}),
    ("get", "/api/v1/visit-plans/{plan_id}"): ("visit_plan.view", lambda w: None),
    ("post", "/api/v1/visit-plans/{plan_id}/items"): (
        "visit_plan.draft",
        lambda w: {"items": [{"customer": w["customer"].pk, "planned_month": 5}]},
    ),
    ("post", "/api/v1/visit-plans/{plan_id}/submit"): ("visit_plan.draft", lambda w: {}),
    ("post", "/api/v1/visit-plans/{plan_id}/review"): ("visit_plan.review", lambda w: {}),
    ("post", "/api/v1/visit-plans/{plan_id}/approve"): ("visit_plan.approve", lambda w: {}),
    ("get", "/api/v1/visit-plans/{plan_id}/progress"): ("visit_plan.view", lambda w: None),
}
UI = {
    "visits:list": ("visit_record.view", "get", lambda w: []),
    "visits:create": ("visit_record.create", "get", lambda w: []),
    "visits:detail": ("visit_record.view", "get", lambda w: [w["visit"].pk]),
    "visits:review": ("visit_record.review", "post", lambda w: [w["visit"].pk]),
    "visits:distribute": ("visit_record.distribute", "post", lambda w: [w["visit_reviewed"].pk]),
    "visits:read": ("visit_record.read", "post", lambda w: [w["visit"].pk]),
    "visits:raise": ("visit_record.raise", "post", lambda w: [w["visit"].pk]),
    "visits:action_create": ("visit_action.create", "post", lambda w: [w["visit"].pk]),
    "visits:actions": ("visit_action.view", "get", lambda w: []),
    "visits:action_close": ("visit_action.close", "post", lambda w: [w["visit_action"].pk]),
    "visits:action_verify": ("visit_action.verify", "post", lambda w: [w["visit_action"].pk]),
    "visits:plans": ("visit_plan.view", "get", lambda w: []),
    "visits:plan_create": ("visit_plan.draft", "post", lambda w: []),
    "visits:plan": ("visit_plan.view", "get", lambda w: [w["visit_plan"].pk]),
    "visits:plan_item_add": ("visit_plan.draft", "post", lambda w: [w["visit_plan"].pk]),
    "visits:plan_item_remove": ("visit_plan.draft", "post", lambda w: [w["visit_plan_item"].pk]),
    "visits:plan_submit": ("visit_plan.draft", "post", lambda w: [w["visit_plan"].pk]),
    "visits:plan_review": ("visit_plan.review", "post", lambda w: [w["visit_plan"].pk]),
    "visits:plan_approve": ("visit_plan.approve", "post", lambda w: [w["visit_plan"].pk]),
    "visits:board": ("visit_plan.view", "get", lambda w: []),
}
EXPORTS = {"visits:list": "visit_record.export"}


# The exact status each allowed call answers in the matrix world (issue 17); a dict gives
# {role: status, "*": status} where roles meet different rules. A 4xx is the rule the world
# meets, quoted in the comment above the row (the world's state, or a record of another
# person or department); test_permission_matrix_declared makes every allowed call declare one.
EXPECT = {
    ("get", "/api/v1/visit-records/"): 200,
    ("post", "/api/v1/visit-records/"): 201,
    ("get", "/api/v1/visit-records/{record_id}"): 200,
    ("post", "/api/v1/visit-records/{record_id}/review"): 200,
    ("post", "/api/v1/visit-records/{record_id}/distribute"): 200,
    # 422 (deliberate: the rule this call enforces for the role): No copy was sent to your
    # department.
    ("post", "/api/v1/visit-records/{record_id}/read"): {"quality": 200, "*": 422},
    ("post", "/api/v1/visit-records/{record_id}/communication"): 201,
    ("post", "/api/v1/visit-records/{record_id}/actions"): 201,
    ("get", "/api/v1/visit-actions/"): 200,
    # 422 (deliberate: the rule this call enforces for the role): Only the owner or the owning
    # department closes this action.
    ("post", "/api/v1/visit-actions/{action_id}/close"): {
        "admin": 200,
        "production": 200,
        "sales_leader": 200,
        "*": 422,
    },
    ("post", "/api/v1/visit-actions/{action_id}/verify"): 200,
    ("get", "/api/v1/visit-plans/"): 200,
    ("post", "/api/v1/visit-plans/"): 201,
    ("get", "/api/v1/visit-plans/{plan_id}"): 200,
    ("post", "/api/v1/visit-plans/{plan_id}/items"): 200,
    ("post", "/api/v1/visit-plans/{plan_id}/submit"): 200,
    ("post", "/api/v1/visit-plans/{plan_id}/review"): 200,
    ("post", "/api/v1/visit-plans/{plan_id}/approve"): 200,
    ("get", "/api/v1/visit-plans/{plan_id}/progress"): 200,
}
# Pages: a GET answers 200 (302 where the page sends on); the matrix POSTs no form, so a
# POST that needs fields answers 400 (the form's errors) and one that needs none acts and
# redirects (302).
UI_EXPECT = {
    "visits:list": 200,
    "visits:create": 200,
    "visits:detail": 200,
    "visits:review": 302,
    "visits:distribute": 400,
    "visits:read": 302,
    "visits:raise": 400,
    "visits:action_create": 400,
    "visits:actions": 200,
    "visits:action_close": 400,
    "visits:action_verify": 400,
    "visits:plans": 200,
    "visits:plan_create": 400,
    "visits:plan": 200,
    "visits:plan_item_add": 400,
    "visits:plan_item_remove": 302,
    "visits:plan_submit": 400,
    "visits:plan_review": 400,
    "visits:plan_approve": 400,
    "visits:board": 200,
}
