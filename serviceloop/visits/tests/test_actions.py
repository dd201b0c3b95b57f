"""Improvement actions from visit problems (R-5.7.4): owner, department, due date, closure,
verification; overdue sweep; satisfaction over time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from conftest import ApiClient
from serviceloop.core.models import Department, Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.visits import selectors, services
from serviceloop.visits.models import ActionStatus, ImprovementAction
from serviceloop.visits.tests.factories import record_visit

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _action(sales, owner, due=None):
    rec = record_visit(sales, CustomerFactory())
    return services.improvement_action_create(
        actor=sales,
        record=rec,
        description="包装改为加强纸箱",
        owner=owner,
        department=Department.objects.get(code="production"),
        due_date=due or timezone.localdate() + timedelta(days=10),
    )


def test_close_verify_and_reopen(sales):
    owner = user_with("production")
    act = _action(sales, owner)
    assert "visit_action.close" in [i.kind for i in work_items(owner)]
    with pytest.raises(ValidationError):
        services.improvement_action_close(actor=user_with("rnd"), action=act, note="x")
    with pytest.raises(ValidationError):
        services.improvement_action_close(actor=owner, action=act, note=" ")
    act = services.improvement_action_close(actor=owner, action=act, note="已更换纸箱")
    assert act.status == ActionStatus.CLOSED
    assert "visit_action.verify" in [i.kind for i in work_items(sales)]
    with pytest.raises(ValidationError):
        services.improvement_action_verify(actor=sales, action=act, effective=False)
    act = services.improvement_action_verify(
        actor=sales, action=act, effective=False, note="仍破损"
    )
    assert act.status == ActionStatus.OPEN and act.closed_at is None
    act = services.improvement_action_close(actor=owner, action=act, note="加内衬")
    act = services.improvement_action_verify(actor=sales, action=act, effective=True)
    assert act.status == ActionStatus.VERIFIED and act.verified_by == sales
    with pytest.raises(ValidationError):
        services.improvement_action_close(actor=owner, action=act, note="again")


def test_past_due_date_refused(sales):
    with pytest.raises(ValidationError):
        _action(sales, user_with("production"), due=timezone.localdate() - timedelta(days=1))
    assert not ImprovementAction.objects.exists()


def test_overdue_sweep_notifies_the_owner_once(sales):
    owner = user_with("production")
    with freeze_time(datetime(2027, 3, 1, 9, tzinfo=SH)):
        act = _action(sales, owner, due=date(2027, 3, 10))
    with freeze_time(datetime(2027, 3, 10, 23, 0, tzinfo=SH)):
        assert services.sweep_overdue()["actions"] == 0
    with freeze_time(datetime(2027, 3, 11, 0, 1, tzinfo=SH)):
        assert services.sweep_overdue()["actions"] == 1
        assert services.sweep_overdue()["actions"] == 0
        act.refresh_from_db()
        assert act.overdue
    assert Notification.objects.filter(kind="visit_action_overdue", recipient=owner).count() == 1


def test_api_actions(sales):
    owner = user_with("production")
    rec = record_visit(sales, CustomerFactory())
    api = ApiClient(sales)
    r = api.post(
        f"visit-records/{rec.pk}/actions",
        {
            "description": "改进包装",
            "owner": owner.pk,
            "department": "production",
            "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert (
        ApiClient(owner).post(f"visit-actions/{aid}/close", {"note": "完成"}).json()["status"]
        == "closed"
    )
    assert (
        api.post(f"visit-actions/{aid}/verify", {"effective": True}).json()["status"] == "verified"
    )
    assert api.get("visit-actions/?status=verified").json()["count"] == 1


def test_satisfaction_by_customer_over_time(sales):
    a, b = CustomerFactory(), CustomerFactory()
    record_visit(sales, a, visited_at=datetime(2026, 3, 5, 10, tzinfo=SH), satisfaction=5)
    record_visit(sales, a, visited_at=datetime(2026, 3, 25, 10, tzinfo=SH), satisfaction=2)
    record_visit(sales, a, visited_at=datetime(2026, 6, 1, 10, tzinfo=SH), satisfaction=3)
    record_visit(sales, b, visited_at=datetime(2026, 6, 1, 10, tzinfo=SH), satisfaction=4)
    series = selectors.satisfaction_by_customer(sales, date(2026, 1, 1), date(2026, 12, 31))
    assert series == [
        {"customer": a.pk, "year": 2026, "month": 3, "mean": 3.5, "visits": 2},
        {"customer": a.pk, "year": 2026, "month": 6, "mean": 3.0, "visits": 1},
        {"customer": b.pk, "year": 2026, "month": 6, "mean": 4.0, "visits": 1},
    ]
    figures = selectors.visit_figures(sales, date(2026, 1, 1), date(2026, 6, 30))
    assert figures["visits"] == 4 and figures["unplanned_visits"] == 4
    assert figures["mean_satisfaction"] == pytest.approx(3.5)
