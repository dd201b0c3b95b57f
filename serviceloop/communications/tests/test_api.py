"""API of communications (interface.md): fields, actions, errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from serviceloop.communications.models import Communication
from serviceloop.core.models import AuditEntry, Department
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with

pytestmark = pytest.mark.django_db


def fields_named(response):
    return {d.get("field") or d["loc"][-1] for d in response.json()["detail"]}


def test_create_answer_feedback_round_trip(sales_api):
    c = CustomerFactory()
    r = sales_api.post(
        "communications/",
        {
            "customer": c.pk,
            "channel": "letter",
            "received_at": "2026-02-28T23:30:00+08:00",
            "subject": "漏油",
            "body": "三台车漏油",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["answer_due_at"] == "2026-02-29T23:30:00+08:00"
        or body["answer_due_at"] == "2026-03-01T23:30:00+08:00"
    )
    assert body["feedback_due_at"] == "2026-03-07T23:30:00+08:00"
    assert body["major_quality_issue"] is False and body["overdue"] is True
    assert body["answered_at"] is None and body["feedback_at"] is None
    cid = body["id"]
    r = sales_api.post(
        f"communications/{cid}/answer",
        {"text": "已回复", "at": "2026-03-01T23:30:00+08:00", "reason": "补登"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["answered_at"] == "2026-03-01T23:30:00+08:00"
    assert r.json()["answered_late"] is False
    r = sales_api.post(f"communications/{cid}/feedback", {"text": "已反馈"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert r.json()["feedback_late"] is True and r.json()["overdue"] is False


def test_recent_communication_is_not_overdue(sales_api):
    c = CustomerFactory()
    r = sales_api.post(
        "communications/",
        {
            "customer": c.pk,
            "channel": "call",
            "received_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "subject": "询问",
            "body": "交期",
            "major_quality_issue": True,
        },
    )
    assert r.status_code == 201 and r.json()["overdue"] is False
    assert r.json()["major_quality_issue"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer": 999999}, "customer"),
        ({"channel": "fax"}, "channel"),
        ({"received_at": "2026-01-01T10:00:00"}, "received_at"),  # no offset
        ({"received_at": "2099-01-01T10:00:00+08:00"}, "received_at"),  # future
        ({"subject": ""}, "subject"),
        ({"body": None}, "body"),
        ({"route_to": [424242]}, "route_to"),
    ],
)
def test_bad_input_names_field_and_stores_nothing(sales_api, change, field):
    c = CustomerFactory()
    payload = {
        "customer": c.pk,
        "channel": "call",
        "received_at": "2026-01-01T10:00:00+08:00",
        "subject": "s",
        "body": "b",
        **change,
    }
    audit_before = AuditEntry.objects.count()
    r = sales_api.post("communications/", payload)
    assert r.status_code in (400, 422)
    assert field in fields_named(r), r.json()
    assert not Communication.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_action_errors(sales_api, sales):
    comm = register_communication(sales)
    assert sales_api.post(f"communications/{comm.pk}/answer", {}).status_code == 422
    r = sales_api.post(
        f"communications/{comm.pk}/answer",
        {"text": "x", "at": (comm.received_at - timedelta(hours=1)).isoformat()},
    )
    assert r.status_code == 422 and "at" in fields_named(r)
    assert sales_api.post("communications/999999/answer", {"text": "x"}).status_code == 404
    # a sales person may not extend; a sales leader may, once
    r = sales_api.post(
        f"communications/{comm.pk}/extend",
        {"new_due": (comm.feedback_due_at + timedelta(days=2)).isoformat(), "reason": "r"},
    )
    assert r.status_code == 403


def test_extend_route_flag_respond(api_as, sales):
    comm = register_communication(sales)
    leader = api_as(user_with("sales_leader"))
    r = leader.post(
        f"communications/{comm.pk}/extend",
        {
            "new_due": (comm.feedback_due_at + timedelta(days=2)).isoformat(),
            "reason": "客户停产检修",
        },
    )
    assert r.status_code == 200 and r.json()["feedback_extension_reason"] == "客户停产检修"
    r = leader.post(
        f"communications/{comm.pk}/extend",
        {"new_due": (comm.feedback_due_at + timedelta(days=5)).isoformat(), "reason": "again"},
    )
    assert r.status_code == 422 and "new_due" in fields_named(r)
    sales_api = api_as(sales)
    tech_dept = Department.objects.get(code="technical")
    r = sales_api.post(f"communications/{comm.pk}/route", {"departments": [tech_dept.pk]})
    assert r.status_code == 200 and r.json()[0]["department"] == tech_dept.pk
    tech = api_as(user_with("technical"))
    r = tech.post(f"communications/routings/{r.json()[0]['id']}/respond", {"text": "已处理"})
    assert r.status_code == 200 and r.json()["response"] == "已处理"
    r = sales_api.post(f"communications/{comm.pk}/flag-major", {"reason": "批量"})
    assert r.json()["major_quality_issue"] is True


def test_list_filters(sales_api, sales):
    c = CustomerFactory()
    register_communication(sales, c, received_at=timezone.now() - timedelta(days=9))
    register_communication(sales, c, channel="email")
    assert sales_api.get("communications/", {"overdue": True}).json()["count"] == 1
    assert sales_api.get("communications/", {"channel": "email"}).json()["count"] == 1
    assert sales_api.get("communications/", {"limit": 1}).json()["count"] == 2
    assert len(sales_api.get("communications/", {"limit": 1}).json()["items"]) == 1


def test_agent_scope_on_communications(api_as, sales):
    agent_user = user_with("agent")
    mine = CustomerFactory(agent=agent_user.agent, tier="retail")
    other = CustomerFactory(tier="retail")
    visible = register_communication(sales, mine)
    hidden = register_communication(sales, other)
    api = api_as(agent_user)
    assert [c["id"] for c in api.get("communications/").json()["items"]] == [visible.pk]
    assert api.get(f"communications/{hidden.pk}").status_code == 404
    assert api.post(f"communications/{hidden.pk}/answer", {"text": "x"}).status_code == 404
    r = api.post(
        "communications/",
        {
            "customer": other.pk,
            "channel": "call",
            "received_at": timezone.now().isoformat(),
            "subject": "s",
            "body": "b",
        },
    )
    assert r.status_code == 422 and "customer" in fields_named(r)


def test_my_work_api(sales_api, sales):
    register_communication(sales, received_at=timezone.now() - timedelta(days=2))
    items = sales_api.get("me/work").json()
    assert items[0]["overdue"] is True and items[0]["seconds_left"] < 0
