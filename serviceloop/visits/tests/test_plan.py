"""The annual visit plan (R-5.7.1–5.7.2): proposal from the archive, submit → review →
approve, send back, the 31 January deadline, plan vs actual."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from conftest import ApiClient
from serviceloop.core.models import Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.customers.models import Tier
from serviceloop.visits import selectors, services
from serviceloop.visits.models import PlanStatus, VisitPlan
from serviceloop.visits.tests.factories import record_visit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _kinds(user):
    return [i.kind for i in work_items(user)]


def test_proposed_from_tier1_and_key_retail(sales):
    oem = CustomerFactory(tier=Tier.OEM_TIER1)
    key = CustomerFactory(tier=Tier.RETAIL_KEY)
    CustomerFactory(tier=Tier.RETAIL)
    CustomerFactory(tier=Tier.OEM_TIER2)
    plan = services.visit_plan_create(actor=sales, year=2027)
    assert {i.customer_id for i in plan.items.all()} == {oem.pk, key.pk}
    assert plan.approval_due == date(2027, 1, 31) and plan.status == PlanStatus.DRAFT


def test_approval_due_is_configurable(sales, settings):
    settings.SERVICELOOP_VISIT_PLAN_DUE = "02-15"
    assert services.visit_plan_create(actor=sales, year=2027, items=[]).approval_due == date(
        2027, 2, 15
    )


def test_submit_review_send_back_approve(sales):
    cust = CustomerFactory()
    plan = services.visit_plan_create(
        actor=sales, year=2027, items=[{"customer": cust.pk, "planned_month": 3}]
    )
    lead, boss = user_with("sales_leader"), user_with("company_leader")
    with pytest.raises(ValidationError):
        services.visit_plan_approve(actor=boss, plan=plan)  # not reviewed yet
    services.visit_plan_submit(actor=sales, plan=plan)
    with pytest.raises(ValidationError):
        services.visit_plan_review(actor=lead, plan=plan, send_back=True)  # needs a comment
    plan = services.visit_plan_review(actor=lead, plan=plan, comment="增加三月走访", send_back=True)
    assert plan.status == PlanStatus.DRAFT and plan.review_comment == "增加三月走访"
    services.visit_plan_submit(actor=sales, plan=plan)
    with pytest.raises(PermissionDenied):
        services.visit_plan_review(actor=sales, plan=plan)
    services.visit_plan_review(actor=lead, plan=plan, comment="同意")
    with pytest.raises(PermissionDenied):
        services.visit_plan_approve(actor=lead, plan=plan)
    plan = services.visit_plan_approve(actor=boss, plan=plan, comment="批准")
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == boss
    with pytest.raises(ValidationError):
        services.visit_plan_set_items(actor=sales, plan=plan, items=[])


def test_empty_plan_cannot_be_submitted(sales):
    plan = services.visit_plan_create(actor=sales, year=2027, items=[])
    with pytest.raises(ValidationError):
        services.visit_plan_submit(actor=sales, plan=plan)
    assert VisitPlan.objects.get().status == PlanStatus.DRAFT


def test_second_plan_for_a_year_and_bad_items_refused(sales):
    services.visit_plan_create(actor=sales, year=2027, items=[])
    with pytest.raises(ValidationError):
        services.visit_plan_create(actor=sales, year=2027, items=[])
    with pytest.raises(ValidationError):
        services.visit_plan_create(
            actor=sales, year=2028, items=[{"customer": 999999, "planned_month": 1}]
        )
    assert VisitPlan.objects.count() == 1


def test_31_january_on_leaders_my_work_and_overdue_after(sales):
    lead, boss = user_with("sales_leader"), user_with("company_leader")
    with freeze_time(datetime(2027, 1, 5, 9, tzinfo=SH)):
        assert "visit_plan.missing" in _kinds(sales)
        plan = services.visit_plan_create(
            actor=sales, year=2027, items=[{"customer": CustomerFactory().pk, "planned_month": 2}]
        )
        services.visit_plan_submit(actor=sales, plan=plan)
        item = next(i for i in work_items(lead) if i.kind == "visit_plan.approval")
        assert item.due_at == datetime(2027, 1, 31, 23, 59, 59, 999999, tzinfo=SH)
        assert "visit_plan.approval" in _kinds(boss)
        assert services.sweep_overdue() == {"plans": 0, "actions": 0}
    with freeze_time(datetime(2027, 1, 31, 23, 0, tzinfo=SH)):
        assert not VisitPlan.objects.get().is_overdue()
        assert services.sweep_overdue()["plans"] == 0
    with freeze_time(datetime(2027, 2, 1, 0, 30, tzinfo=SH)):
        assert VisitPlan.objects.get().is_overdue()
        item = next(i for i in work_items(boss) if i.kind == "visit_plan.approval")
        assert item.overdue(datetime(2027, 2, 1, 0, 30, tzinfo=SH))
        assert services.sweep_overdue()["plans"] == 1
        assert services.sweep_overdue()["plans"] == 0  # idempotent
        assert Notification.objects.filter(kind="visit_plan_overdue", recipient=boss).count() == 1
        assert_each_reader_sees_own_language(Notification.objects.filter(kind="visit_plan_overdue"))


def test_approved_plan_leaves_my_work(sales):
    with freeze_time(datetime(2027, 1, 10, 9, tzinfo=SH)):
        plan = services.visit_plan_create(
            actor=sales, year=2027, items=[{"customer": CustomerFactory().pk, "planned_month": 2}]
        )
        services.visit_plan_submit(actor=sales, plan=plan)
        services.visit_plan_review(actor=user_with("sales_leader"), plan=plan)
        boss = user_with("general_manager")
        services.visit_plan_approve(actor=boss, plan=plan)
        assert not any(k.startswith("visit_plan") for k in _kinds(boss))


def test_plan_vs_actual(sales):
    a, b, c = CustomerFactory(name="甲"), CustomerFactory(name="乙"), CustomerFactory(name="丙")
    with freeze_time(datetime(2027, 6, 30, 9, tzinfo=SH)):
        plan = services.visit_plan_create(
            actor=sales,
            year=2027,
            items=[
                {"customer": a.pk, "planned_month": 3},
                {"customer": a.pk, "planned_month": 9},
                {"customer": b.pk, "planned_month": 4},
            ],
        )
        items = {(i.customer_id, i.planned_month): i for i in plan.items.all()}
        record_visit(
            sales, a, visited_at=datetime(2027, 3, 12, 10, tzinfo=SH), plan_item=items[(a.pk, 3)]
        )
        record_visit(sales, c, visited_at=datetime(2027, 5, 2, 10, tzinfo=SH))  # unplanned
        record_visit(sales, b, visited_at=datetime(2027, 1, 1, 0, 30, tzinfo=SH))  # unplanned
        with pytest.raises(ValidationError):  # item of another customer
            record_visit(sales, c, plan_item=items[(b.pk, 4)])
        data = selectors.plan_vs_actual(sales, 2027)
    assert (data["planned"], data["planned_done"], data["visits"], data["unplanned"]) == (
        3,
        1,
        3,
        2,
    )
    assert data["completion_rate"] == pytest.approx(1 / 3)
    rows = {r["customer"].pk: r for r in data["rows"]}
    assert rows[a.pk]["months"][2] == {"planned": 1, "done": 1, "unplanned": 0}
    assert rows[a.pk]["months"][8] == {"planned": 1, "done": 0, "unplanned": 0}
    assert rows[b.pk]["months"][0]["unplanned"] == 1  # 1 January local time, not 31 December
    assert rows[c.pk]["unplanned"] == 1 and rows[c.pk]["planned"] == 0
    api = ApiClient(sales)
    progress = api.get(f"visit-plans/{plan.pk}/progress").json()
    assert progress["completion_rate"] == pytest.approx(1 / 3)
    out = api.get(f"visit-plans/{plan.pk}").json()
    visits = {i["planned_month"]: i["visits"] for i in out["items"] if i["customer"] == a.pk}
    assert len(visits[3]) == 1 and visits[9] == []


def test_api_plan_flow(sales):
    cust = CustomerFactory()
    api = ApiClient(sales)
    r = api.post(
        "visit-plans/",
        {"year": 2031, "items": [{"customer": cust.pk, "planned_month": 5, "purpose": "年度走访"}]},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["approval_due"] == "2031-01-31" and body["status"] == "draft"
    pid = body["id"]
    assert api.post(f"visit-plans/{pid}/approve", {}).status_code == 403
    assert api.post(f"visit-plans/{pid}/submit").json()["status"] == "submitted"
    lead = ApiClient(user_with("sales_leader"))
    assert lead.post(f"visit-plans/{pid}/approve", {}).status_code == 403
    assert lead.post(f"visit-plans/{pid}/review", {}).json()["status"] == "reviewed"
    boss = ApiClient(user_with("company_leader"))
    r = boss.post(f"visit-plans/{pid}/approve", {})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert boss.post(f"visit-plans/{pid}/approve", {}).status_code == 422
