"""Issue 10 §7: routings carry a due date (default the feedback deadline) and show on the
department's "my work"; closing with open routings needs a reason; replies are in the
communication's history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from serviceloop.communications import services
from serviceloop.communications.models import Communication
from serviceloop.core.models import AuditEntry, Department
from serviceloop.core.selectors import record_history, work_items
from serviceloop.core.testing.factories import register_communication, user_with

pytestmark = pytest.mark.django_db


def _routed(sales, due_at=None):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(hours=2))
    dept = Department.objects.get(code="technical")
    services.communication_route(
        actor=sales, communication=comm, departments=[dept], instruction="请分析", due_at=due_at
    )
    return comm, dept


def test_routing_due_defaults_to_the_feedback_deadline_and_shows_on_my_work(sales):
    comm, dept = _routed(sales)
    routing = comm.routings.get()
    assert routing.due_at == comm.feedback_due_at
    member = user_with("technical", department=dept)
    items = [i for i in work_items(member) if i.kind == "communication.routing"]
    assert items and items[0].due_at == routing.due_at
    earlier = timezone.now() + timedelta(days=2)
    comm2, _ = _routed(sales, due_at=earlier)
    assert comm2.routings.get().due_at == earlier


def test_closing_with_open_routings_needs_a_reason_and_stores_nothing_without(sales_api, sales):
    comm, _dept = _routed(sales)
    n = AuditEntry.objects.count()
    r = sales_api.post(f"communications/{comm.pk}/feedback", {"text": "已反馈"})
    assert r.status_code == 422, r.content
    assert "reason" in {d.get("field") or d["loc"][-1] for d in r.json()["detail"]}
    assert Communication.objects.get(pk=comm.pk).status == "registered"
    assert AuditEntry.objects.count() == n
    r = sales_api.post(
        f"communications/{comm.pk}/feedback", {"text": "已反馈", "reason": "客户急需答复"}
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert AuditEntry.objects.filter(reason="客户急需答复").exists()


def test_department_reply_is_in_the_communications_history(sales):
    comm, dept = _routed(sales)
    member = user_with("technical", department=dept)
    services.routing_respond(actor=member, routing=comm.routings.get(), text="已分析原因")
    types = {e.object_type for e in record_history("communications.communication", comm.pk)}
    assert "communications.routing" in types
    comm = services.communication_feedback(actor=sales, communication=comm, text="已反馈")
    with pytest.raises(ValidationError):  # nothing open any more, no reason needed: closed
        services.communication_feedback(actor=sales, communication=comm, text="again")
