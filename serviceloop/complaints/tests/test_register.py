"""The Customer Complaint Register (R-5.5.1), customer returns (R-5.5.7) and major quality
problems that arrive as an 8D at once (R-5.9.5)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.communications.models import Communication
from serviceloop.communications.services import communication_flag_major
from serviceloop.complaints import services
from serviceloop.complaints.models import ActionItem, Complaint, EightDReport, Kind, Status
from serviceloop.complaints.tests.factories import open_report, register_complaint
from serviceloop.core.audit import verify_chain
from serviceloop.core.models import AuditEntry, Notification
from serviceloop.core.signals import major_quality_problem
from serviceloop.core.testing.factories import (
    AgentFactory,
    CustomerFactory,
    register_communication,
    user_with,
)

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def counts():
    return Complaint.objects.count(), EightDReport.objects.count(), AuditEntry.objects.count()


def test_register_numbers_and_records_who_received_it(sales):
    received = datetime(2026, 2, 28, 23, 30, tzinfo=SH)
    a = register_complaint(sales, received_at=received, in_production=True, severity="high")
    b = register_complaint(sales, received_at=received)
    assert a.number.startswith("CMP-2026-") and int(b.number[-5:]) == int(a.number[-5:]) + 1
    assert a.status == Status.REGISTERED and a.received_by == sales and a.kind == Kind.COMPLAINT
    assert a.in_production and a.severity == "high" and a.closed_at is None
    assert (
        AuditEntry.objects.filter(object_type="complaints.complaint", action="create").count() == 2
    )
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -3}, "quantity"),
        ({"quantity": None}, "quantity"),
        ({"description": "   "}, "description"),
        ({"part_number": ""}, "part_number"),
        ({"customer": 999999}, "customer"),
        ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"kind": "major_problem"}, "kind"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(sales, change, field):
    before = counts()
    with pytest.raises(ValidationError) as e:
        register_complaint(sales, **change)
    assert field in e.value.error_dict
    assert counts() == before


def test_an_agent_may_not_register():
    agent = user_with("agent")
    with pytest.raises(PermissionDenied):
        register_complaint(agent)
    assert not Complaint.objects.exists()


def test_a_return_opens_its_8d_at_once_with_department_deadlines():
    """R-5.5.7: deadlines for Production, Technical and Quality, tracked by Quality."""
    prod = user_with("production")
    received = timezone.now() - timedelta(hours=1)
    complaint = register_complaint(kind=Kind.RETURN, received_at=received)
    report = complaint.eight_d
    assert complaint.status == Status.IN_PROGRESS and report.status == "open"
    actions = list(ActionItem.objects.filter(report=report).select_related("department"))
    assert {a.department.code for a in actions} == {"production", "technical", "quality"}
    assert all(a.due_at > received for a in actions) and all(a.owner is None for a in actions)
    assert Notification.objects.filter(recipient=prod, kind="eightd_action").exists()


def test_update_corrects_the_entry_and_locks_the_receipt_time_once_the_8d_exists(sales):
    quality = user_with("quality")
    complaint = register_complaint(sales)
    earlier = complaint.received_at - timedelta(hours=5)
    complaint = services.complaint_update(
        actor=sales, complaint=complaint, received_at=earlier, lot="L-9", reason="录入错误"
    )
    assert complaint.received_at == earlier and complaint.lot == "L-9"
    assert AuditEntry.objects.filter(action="update", reason="录入错误").exists()
    report = open_report(complaint, leader=quality)
    with pytest.raises(ValidationError) as e:
        services.complaint_update(
            actor=sales, complaint=complaint, received_at=earlier - timedelta(hours=1)
        )
    assert "received_at" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.complaint_update(actor=sales, complaint=complaint, quantity=0)
    assert "quantity" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.complaint_update(actor=sales, complaint=complaint, customer=CustomerFactory())
    assert "customer" in e.value.error_dict
    # Becoming "in production" later tells the 8D leader to set containment.
    services.complaint_update(actor=quality, complaint=complaint, in_production=True)
    assert Notification.objects.filter(recipient=report.leader, kind="containment_required")


def test_only_sales_and_quality_correct_the_register(sales):
    complaint = register_complaint(sales)
    with pytest.raises(PermissionDenied):
        services.complaint_update(actor=user_with("production"), complaint=complaint, lot="x")


def test_agents_see_only_their_customers_complaints(sales):
    from serviceloop.complaints.selectors import complaint_list

    agency = AgentFactory()
    mine = register_complaint(sales, CustomerFactory(agent=agency, tier="retail"))
    register_complaint(sales)
    agent = user_with("agent", agent=agency)
    assert list(complaint_list(agent)) == [mine]
    assert complaint_list(sales).count() == 2


def test_a_communication_flagged_major_becomes_an_8d_once(sales):
    """R-5.9.5 via core.signals.major_quality_problem, idempotent on the sender record."""
    quality = user_with("quality")
    comm = register_communication(sales, major_quality_issue=True, subject="批量断裂")
    complaint = Complaint.objects.get(source_type="communications.communication")
    assert complaint.kind == Kind.MAJOR_PROBLEM and complaint.severity == "high"
    assert complaint.source_id == str(comm.pk) and complaint.customer_id == comm.customer_id
    assert complaint.source_url == f"/communications/{comm.pk}/"
    assert "批量断裂" in complaint.description
    report = complaint.eight_d
    assert report.status == "open" and report.leader is None and complaint.status == "in_progress"
    assert Notification.objects.filter(recipient=quality, kind="major_quality_8d").count() == 1
    # Announced again (a retry, a second flag): nothing new.
    major_quality_problem.send(
        sender=Communication, instance=comm, actor=sales, customer=comm.customer, summary="x"
    )
    communication_flag_major(actor=sales, communication=comm)
    assert Complaint.objects.count() == 1 and EightDReport.objects.count() == 1
    assert Notification.objects.filter(recipient=quality, kind="major_quality_8d").count() == 1


def test_flagging_an_existing_communication_later_also_opens_the_8d(sales):
    comm = register_communication(sales)
    assert not Complaint.objects.exists()
    communication_flag_major(actor=sales, communication=comm, reason="典型问题")
    assert Complaint.objects.get().source_id == str(comm.pk)


def test_a_flag_by_a_job_or_without_a_customer_is_handled(sales):
    comm = register_communication(sales)
    assert services.complaint_from_major_problem(instance=comm, actor=None, customer=None) is None
    complaint = services.complaint_from_major_problem(
        instance=comm, actor=None, customer=comm.customer, summary="现场批量失效"
    )
    assert complaint.received_by is None and complaint.created_by is None
    entry = AuditEntry.objects.get(object_type="complaints.complaint", action="create")
    assert entry.actor_label == "system:major_quality_problem" and "R-5.9.5" in entry.reason


def test_a_major_problem_complaint_can_be_completed_later(sales):
    comm = register_communication(sales, major_quality_issue=True)
    complaint = Complaint.objects.get()
    assert complaint.part_number == "" and complaint.quantity is None
    complaint = services.complaint_update(
        actor=sales, complaint=complaint, part_number="SA-1", quantity=40
    )
    assert complaint.part_number == "SA-1" and complaint.quantity == 40
    assert comm.pk
