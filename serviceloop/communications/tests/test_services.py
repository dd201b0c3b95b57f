"""Communications: clocks, state transitions, extension, major problems, sweep, my work."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from serviceloop.communications import services
from serviceloop.communications.models import Communication, Status
from serviceloop.core.audit import verify_chain
from serviceloop.core.models import AuditEntry, Department, Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_register_sets_both_clocks_and_a_number(sales):
    received = datetime(2026, 2, 28, 23, 30, tzinfo=SH)
    comm = register_communication(sales, received_at=received)
    assert comm.answer_due_at == received + timedelta(hours=24)
    assert comm.feedback_due_at == datetime(2026, 3, 7, 23, 30, tzinfo=SH)
    assert comm.feedback_due_original_at == comm.feedback_due_at
    assert comm.number.startswith("COM-2026-") and comm.status == Status.REGISTERED
    assert comm.taken_by == sales and comm.owner == sales


def test_numbers_are_sequential(sales):
    a = register_communication(sales)
    b = register_communication(sales)
    assert int(b.number[-5:]) == int(a.number[-5:]) + 1


def test_future_receipt_and_unknown_customer_are_refused(sales):
    with pytest.raises(ValidationError) as e:
        register_communication(sales, received_at=timezone.now() + timedelta(hours=2))
    assert "received_at" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.communication_register(
            actor=sales,
            customer=999999,
            channel="call",
            received_at=timezone.now(),
            subject="x",
            body="y",
        )
    assert "customer" in e.value.error_dict
    assert not Communication.objects.exists()


def test_answer_then_feedback(sales):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(hours=3))
    comm = services.communication_answer(actor=sales, communication=comm, text="已回复")
    assert comm.status == Status.ANSWERED and comm.answered_by == sales
    comm = services.communication_feedback(actor=sales, communication=comm, text="已反馈")
    assert comm.status == Status.CLOSED and not comm.overdue
    with pytest.raises(ValidationError):
        services.communication_answer(actor=sales, communication=comm, text="again")
    with pytest.raises(ValidationError):
        services.communication_feedback(actor=sales, communication=comm, text="again")


def test_feedback_first_counts_as_the_answer(sales):
    comm = register_communication(sales)
    comm = services.communication_feedback(actor=sales, communication=comm, text="一次说清")
    assert comm.answered_at == comm.feedback_at and comm.status == Status.CLOSED


def test_answered_exactly_at_the_deadline_is_on_time(sales):
    received = timezone.now() - timedelta(days=2)
    comm = register_communication(sales, received_at=received)
    comm = services.communication_answer(
        actor=sales, communication=comm, text="ok", at=comm.answer_due_at, reason="补登"
    )
    assert not comm.answered_late
    comm2 = register_communication(sales, received_at=received)
    comm2 = services.communication_answer(
        actor=sales,
        communication=comm2,
        text="ok",
        at=comm2.answer_due_at + timedelta(seconds=1),
        reason="补登",
    )
    assert comm2.answered_late


def test_answer_time_must_be_after_receipt_and_not_in_future(sales):
    comm = register_communication(sales, received_at=timezone.now() - timedelta(hours=5))
    for bad in (comm.received_at - timedelta(minutes=1), timezone.now() + timedelta(hours=1)):
        with pytest.raises(ValidationError) as e:
            services.communication_answer(actor=sales, communication=comm, text="x", at=bad)
        assert "at" in e.value.error_dict
    assert Communication.objects.get(pk=comm.pk).answered_at is None


def test_extension_once_later_only_by_sales_leader(sales):
    leader = user_with("sales_leader")
    comm = register_communication(sales)
    original = comm.feedback_due_at
    with pytest.raises(PermissionDenied):
        services.communication_extend_feedback(
            actor=sales, communication=comm, new_due=original + timedelta(days=3), reason="x"
        )
    with pytest.raises(ValidationError) as e:
        services.communication_extend_feedback(
            actor=leader, communication=comm, new_due=original, reason="特殊情况"
        )
    assert "new_due" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.communication_extend_feedback(
            actor=leader, communication=comm, new_due=original + timedelta(days=3), reason=" "
        )
    assert "reason" in e.value.error_dict
    comm = services.communication_extend_feedback(
        actor=leader,
        communication=comm,
        new_due=original + timedelta(days=3),
        reason="等待客户退回样件",
    )
    assert comm.feedback_due_at == original + timedelta(days=3)
    assert comm.feedback_due_original_at == original and comm.feedback_extended_by == leader
    with pytest.raises(ValidationError):
        services.communication_extend_feedback(
            actor=leader, communication=comm, new_due=original + timedelta(days=9), reason="再次"
        )
    entry = AuditEntry.objects.filter(object_id=str(comm.pk), reason="等待客户退回样件").get()
    assert entry.actor == leader


def test_major_problem_notifies_production_quality_sales_and_leadership_at_once(
    sales, django_capture_on_commit_callbacks
):
    pq, leader, boss = (
        user_with("production_quality"),
        user_with("sales_leader"),
        user_with("company_leader"),
    )
    bystander = user_with("warehouse")
    with django_capture_on_commit_callbacks(execute=True):
        comm = register_communication(sales, major_quality_issue=True)
    notified = set(
        Notification.objects.filter(kind="major_quality_issue").values_list("recipient", flat=True)
    )
    assert {pq.pk, leader.pk, boss.pk, sales.pk} <= notified
    assert bystander.pk not in notified
    assert comm.major_flagged_at is not None
    assert any("Major quality problem" in m.subject for m in mail.outbox)


def test_flagging_later_notifies_once(sales):
    pq = user_with("production_quality")
    comm = register_communication(sales)
    services.communication_flag_major(actor=sales, communication=comm, reason="批量漏油")
    services.communication_flag_major(actor=sales, communication=comm)
    assert Notification.objects.filter(recipient=pq, kind="major_quality_issue").count() == 1
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="major_quality_issue"))


def test_sweep_flags_overdue_once_and_notifies(sales):
    leader = user_with("sales_leader")
    late = register_communication(sales, received_at=timezone.now() - timedelta(days=8))
    fresh = register_communication(sales)
    first = services.sweep_overdue()
    again = services.sweep_overdue()
    assert first == {"answer": 1, "feedback": 1} and again == {"answer": 0, "feedback": 0}
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.answer_overdue_flagged_at and late.feedback_overdue_flagged_at
    assert fresh.answer_overdue_flagged_at is None
    kinds = Notification.objects.filter(recipient=leader).values_list("kind", flat=True)
    assert sorted(kinds) == ["answer_overdue", "feedback_overdue"]
    assert verify_chain().ok


def test_sweep_flags_a_clock_only_once_it_has_run_out(sales):
    """Boundaries (issue 17, mutant 5): due exactly now is not overdue yet; a microsecond
    later it is. For both clocks, by the sweep and by the record itself."""
    comm = register_communication(sales, received_at=timezone.now() - timedelta(hours=2))
    tick = timedelta(microseconds=1)
    assert not comm.is_overdue(comm.answer_due_at - tick)
    assert not comm.is_overdue(comm.answer_due_at)
    assert comm.is_overdue(comm.answer_due_at + tick)
    assert services.sweep_overdue(now=comm.answer_due_at) == {"answer": 0, "feedback": 0}
    assert services.sweep_overdue(now=comm.answer_due_at + tick) == {"answer": 1, "feedback": 0}
    assert services.sweep_overdue(now=comm.feedback_due_at) == {"answer": 0, "feedback": 0}
    assert services.sweep_overdue(now=comm.feedback_due_at + tick) == {"answer": 0, "feedback": 1}


def test_done_exactly_at_the_deadline_is_on_time(sales):
    comm = register_communication(sales)
    tick = timedelta(microseconds=1)
    comm.answered_at, comm.feedback_at = comm.answer_due_at, comm.feedback_due_at
    assert not comm.answered_late and not comm.feedback_late
    comm.answered_at, comm.feedback_at = comm.answer_due_at + tick, comm.feedback_due_at + tick
    assert comm.answered_late and comm.feedback_late
    comm.answered_at = comm.feedback_at = None
    assert not comm.answered_late and not comm.feedback_late


def test_routing_notifies_department_and_appears_in_their_work(sales):
    tech = user_with("technical")
    dept = Department.objects.get(code="technical")
    comm = register_communication(sales, route_to=[dept], instruction="请提供扭矩参数")
    assert Notification.objects.filter(recipient=tech, kind="routed").exists()
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="routed"))
    items = work_items(tech)
    assert [i.kind for i in items] == ["communication.routing"]
    routing = comm.routings.get()
    services.routing_respond(actor=tech, routing=routing, text="已提供")
    assert work_items(tech) == []
    with pytest.raises(ValidationError):
        services.routing_respond(actor=tech, routing=routing, text="again")


def test_my_work_lists_what_i_owe_overdue_first(sales):
    customer = CustomerFactory()
    old = register_communication(sales, customer, received_at=timezone.now() - timedelta(days=3))
    new = register_communication(sales, customer, received_at=timezone.now() - timedelta(hours=1))
    done = register_communication(sales, customer)
    services.communication_feedback(actor=sales, communication=done, text="ok")
    items = [i for i in work_items(sales) if i.kind.startswith("communication.")]
    now = timezone.now()
    assert [i.url for i in items] == [
        f"/communications/{old.pk}/",
        f"/communications/{new.pk}/",
        f"/communications/{old.pk}/",
        f"/communications/{new.pk}/",
    ]
    assert [i.kind for i in items][:2] == ["communication.answer", "communication.answer"]
    assert items[0].overdue(now) and not items[1].overdue(now)


def test_changing_receipt_time_recomputes_clocks(sales):
    comm = register_communication(sales)
    new_time = comm.received_at - timedelta(hours=5)
    comm = services.communication_update(
        actor=sales, communication=comm, received_at=new_time, reason="录入时间有误"
    )
    assert comm.answer_due_at == new_time + timedelta(hours=24)


def test_sweep_command_runs_registered_periodic_jobs(sales, capsys):
    from django.core.management import call_command

    register_communication(sales, received_at=timezone.now() - timedelta(days=2))
    call_command("sweep")
    assert "sweep_overdue_task: {'answer': 1, 'feedback': 0}" in capsys.readouterr().out
