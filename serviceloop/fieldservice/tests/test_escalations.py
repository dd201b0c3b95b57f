"""Escalations (R-5.3.3): open → coordinating → solution agreed → done, due dates, overdue
sweep, notes timeline."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.core.models import AuditEntry, Department, Notification
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.fieldservice import services
from serviceloop.fieldservice.models import Escalation

pytestmark = pytest.mark.django_db


def _raise(eng, customer, **kw):
    return services.escalation_raise(
        actor=eng, customer=customer, title="异响无法排除", description="更换衬套无效", **kw
    )


def _pq():
    return Department.objects.get(code="production_quality")


def test_full_life(eng, sales, oem):
    pq_member = user_with("production_quality")
    e = _raise(eng, oem)
    assert e.status == "open" and e.number.startswith("ESC-")
    assert e.due_date == timezone.localdate() + timedelta(days=7)
    assert Notification.objects.filter(recipient=sales, kind="fieldservice.escalation").exists()
    e = services.escalation_coordinate(
        actor=sales,
        escalation=e,
        departments=[_pq()],
        due_date=timezone.localdate() + timedelta(days=2),
        note="请取样",
    )
    assert e.status == "coordinating" and e.coordinator == sales
    assert Notification.objects.filter(recipient=pq_member).exists()
    e = services.escalation_agree(actor=sales, escalation=e, solution="更换批次")
    assert e.status == "solution_agreed"
    e = services.escalation_reopen(actor=sales, escalation=e, reason="复发")
    assert e.status == "coordinating"
    e = services.escalation_agree(actor=sales, escalation=e, solution="改进油封")
    e = services.escalation_complete(actor=sales, escalation=e, result="现场验证无复发")
    assert e.status == "done" and e.done_by == sales and not e.overdue
    events = list(e.notes.values_list("event", flat=True))
    assert events == ["raised", "coordinate", "agree", "reopen", "agree", "done"]
    transitions = AuditEntry.objects.filter(
        object_type="fieldservice.escalation", action="transition"
    ).count()
    assert transitions == 5


@pytest.mark.parametrize("step", ["agree", "complete", "reopen"])
def test_transitions_out_of_order_are_refused(eng, sales, oem, step):
    e = _raise(eng, oem)
    call = {
        "agree": lambda: services.escalation_agree(actor=sales, escalation=e, solution="x"),
        "complete": lambda: services.escalation_complete(actor=sales, escalation=e, result="x"),
        "reopen": lambda: services.escalation_reopen(actor=sales, escalation=e, reason="x"),
    }[step]
    with pytest.raises(ValidationError) as err:
        call()
    assert "status" in err.value.error_dict
    assert Escalation.objects.get().status == "open"


def test_guards(eng, sales, oem):
    e = _raise(eng, oem)
    with pytest.raises(ValidationError) as err:
        services.escalation_coordinate(actor=sales, escalation=e, departments=[])
    assert "departments" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        services.escalation_coordinate(
            actor=sales,
            escalation=e,
            departments=[_pq()],
            due_date=timezone.localdate() - timedelta(days=1),
        )
    assert "due_date" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        services.escalation_set_due(
            actor=sales, escalation=e, due_date=timezone.localdate(), reason=""
        )
    assert "reason" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        _raise(eng, oem, raised_at=timezone.now() + timedelta(days=1))
    assert "raised_at" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        services.escalation_raise(actor=eng, customer=oem, title=" ", description="d")
    assert "title" in err.value.error_dict


def test_permissions(eng, sales, oem):
    with pytest.raises(PermissionDenied):
        _raise(sales, oem)
    e = _raise(eng, oem)
    with pytest.raises(PermissionDenied):
        services.escalation_coordinate(actor=eng, escalation=e, departments=[_pq()])
    note = services.escalation_add_note(
        actor=user_with("production_quality"), escalation=e, text="已取样"
    )
    assert note.text == "已取样"
    with pytest.raises(PermissionDenied):
        services.escalation_add_note(actor=user_with("agent"), escalation=e, text="x")


def test_overdue_sweep_is_idempotent(eng, sales, leader, oem):
    e = _raise(eng, oem, raised_at=timezone.now() - timedelta(days=10))
    assert e.overdue
    assert services.sweep_overdue_escalations() == 1
    n = Notification.objects.filter(kind="fieldservice.escalation_overdue").count()
    assert n >= 1 and Notification.objects.filter(recipient=leader).exists()
    assert services.sweep_overdue_escalations() == 0
    assert Notification.objects.filter(kind="fieldservice.escalation_overdue").count() == n
    # a new due date starts the flag afresh
    e = services.escalation_coordinate(
        actor=sales, escalation=e, departments=[_pq()], due_date=timezone.localdate()
    )
    assert e.overdue_flagged_at is None and not e.overdue
    assert services.sweep_overdue_escalations() == 0


def test_api_flow_and_errors(api_as, eng, sales, oem):
    eng_api, sales_api = api_as(eng), api_as(sales)
    r = eng_api.post("escalations/", {"customer": oem.pk, "title": "断裂", "description": "d"})
    assert r.status_code == 201, r.content
    eid = r.json()["id"]
    assert r.json()["overdue"] is False and r.json()["notes"][0]["event"] == "raised"
    r = sales_api.post(f"escalations/{eid}/coordinate", {"departments": [424242]})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "departments"
    r = sales_api.post(f"escalations/{eid}/coordinate", {"departments": [_pq().pk]})
    assert r.status_code == 200 and r.json()["status"] == "coordinating"
    r = sales_api.post(f"escalations/{eid}/complete", {"result": "x"})
    assert r.status_code == 422
    assert eng_api.post(f"escalations/{eid}/agree", {"solution": "x"}).status_code == 403
    assert sales_api.post(f"escalations/{eid}/notes", {"text": "跟进"}).status_code == 201
    assert sales_api.get("escalations/999999").status_code == 404
    retail = CustomerFactory(tier="retail", agent=user_with("agent").agent)
    agent = api_as(user_with("agent"))
    assert agent.get(f"escalations/{eid}").status_code == 404
    assert (
        eng_api.post(
            "escalations/", {"customer": retail.pk, "title": "t", "description": ""}
        ).status_code
        == 422
    )
