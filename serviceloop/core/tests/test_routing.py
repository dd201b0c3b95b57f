"""core.routing, the one way a record is passed on to departments (ADR 0009), exercised
through both routings that use it: communications (one per department, due time default the
feedback deadline) and orders (an instruction required, due at the end of a date)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from serviceloop.communications.models import Routing
from serviceloop.core import deadlines, routing
from serviceloop.core.history import readable
from serviceloop.core.models import AuditEntry, Department, Notification
from serviceloop.core.my_work import WorkCount, WorkItem
from serviceloop.core.selectors import record_history
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with
from serviceloop.presales import services as presales
from serviceloop.presales.models import OrderRouting

pytestmark = pytest.mark.django_db


def _dept(code: str) -> Department:
    return Department.objects.get(code=code)


def _comm(sales):
    return register_communication(sales, received_at=timezone.now() - timedelta(hours=1))


def _order(sales, number="SO-CR1"):
    return presales.order_create(
        actor=sales,
        customer=CustomerFactory(),
        order_number=number,
        part_number="SA-2041",
        quantity=10,
        promised_date=timezone.localdate() + timedelta(days=30),
    )


def _route(model, parent, sales, **kw):
    kw.setdefault("departments", [_dept("technical")])
    kw.setdefault("default_due", timezone.now() + timedelta(days=3))
    return routing.route(model, actor=sales, parent=parent, **kw)


def test_refusals_name_the_field_and_write_nothing(sales):
    comm = _comm(sales)
    n = AuditEntry.objects.count()
    cases = [
        ({"departments": []}, "departments"),
        ({"due_at": timezone.now().replace(tzinfo=None) + timedelta(days=1)}, "due_at"),
        ({"due_at": timezone.now() - timedelta(minutes=1)}, "due_at"),
        ({"instruction": "  ", "instruction_required": True}, "instruction"),
        ({"due_at": timezone.now() - timedelta(days=1), "due_field": "due_date"}, "due_date"),
    ]
    for kw, field in cases:
        with pytest.raises(ValidationError) as exc:
            _route(Routing, comm, sales, **kw)
        assert field in exc.value.message_dict, kw
    assert not Routing.objects.exists() and AuditEntry.objects.count() == n


def test_route_defaults_audits_notifies_members_and_dedupes(sales):
    comm = _comm(sales)
    member = user_with("technical")
    other = user_with("quality")
    default = timezone.now() + timedelta(days=2)
    made = _route(
        Routing,
        comm,
        sales,
        departments=[_dept("technical"), _dept("technical")],
        instruction=" 请分析 ",
        default_due=default,
    )
    (r,) = made
    assert r.due_at == default and r.instruction == "请分析" and r.routed_by == sales
    assert r.state == routing.RoutingState.PENDING and r.get_state_display()
    assert AuditEntry.objects.filter(object_type="communications.routing").count() == 1
    assert Notification.objects.filter(recipient=member, kind="routed").exists()
    assert not Notification.objects.filter(recipient=other, kind="routed").exists()
    # one per department for communications: routing again is a no-op
    assert _route(Routing, comm, sales) == []
    # orders may be routed to the same department again (a change of the order)
    order = _order(sales)
    for _ in range(2):
        _route(OrderRouting, order, sales, departments=[_dept("production")], instruction="x")
    assert order.routings.count() == 2


def test_respond_member_only_once_audited_and_the_router_and_owner_told(sales):
    order = _order(sales)
    (r,) = _route(OrderRouting, order, sales, departments=[_dept("production")], instruction="排产")
    with pytest.raises(ValidationError) as exc:
        routing.respond(r, actor=user_with("warehouse"), text="x", field="note")
    assert "department" in exc.value.message_dict
    assert "Production" in str(exc.value) or "生产" in str(exc.value)
    member = user_with("production")
    done = routing.respond(r, actor=member, text=" 已排产 ", field="note")
    assert done.response == "已排产" and done.responded_by == member and done.responded_at
    assert done.state == routing.RoutingState.ACKNOWLEDGED
    # the router is also the order's owner: told once
    assert Notification.objects.filter(recipient=sales, kind="order.acknowledged").count() == 1
    with pytest.raises(ValidationError) as exc:
        routing.respond(done, actor=member, text="again", field="note")
    assert "note" in exc.value.message_dict
    entry = AuditEntry.objects.filter(object_type="presales.orderrouting").order_by("seq").last()
    assert entry.action == "transition" and entry.after["response"] == "已排产"


def test_respond_text_required_where_asked(sales):
    comm = _comm(sales)
    (r,) = _route(Routing, comm, sales)
    member = user_with("technical")
    with pytest.raises(ValidationError) as exc:
        routing.respond(r, actor=member, text=" ", text_required=True)
    assert "text" in exc.value.message_dict
    r.refresh_from_db()
    assert r.responded_at is None
    routing.respond(r, actor=member, text="已分析", text_required=True)
    (notice,) = Notification.objects.filter(kind="routing.responded")
    assert notice.recipient == sales and comm.number in notice.title_text


def test_respond_needs_the_apps_permission(sales):
    from django.core.exceptions import PermissionDenied

    order = _order(sales)
    (r,) = _route(OrderRouting, order, sales, departments=[_dept("production")], instruction="x")
    # an agent placed in the department still may not acknowledge order routings
    with pytest.raises(PermissionDenied):
        routing.respond(r, actor=user_with("agent", department=_dept("production")), text="x")


def test_one_overdue_rule_in_python_and_sql(sales):
    comm = _comm(sales)
    (r,) = _route(Routing, comm, sales, default_due=timezone.now() + timedelta(hours=1))
    due = r.due_at
    for now, overdue in ((due, False), (due + timedelta(microseconds=1), True)):
        assert r.is_overdue(now) is overdue
        assert Routing.objects.filter(routing.overdue_q(now), pk=r.pk).exists() is overdue
    routing.respond(r, actor=user_with("technical"), text="done")
    r.refresh_from_db()
    later = due + timedelta(days=1)
    assert not r.is_overdue(later)
    assert not Routing.objects.filter(routing.overdue_q(later)).exists()


def test_order_due_date_is_the_end_of_that_day_and_late_from_the_next(sales):
    order = _order(sales)
    day = timezone.localdate() + timedelta(days=1)
    (r,) = presales.order_route(
        actor=sales, order=order, departments=[_dept("production")], instruction="x", due_date=day
    )
    assert r.due_at == deadlines.end_of_day(day) and r.due_date == day
    assert not r.is_late(day) and r.is_late(day + timedelta(days=1))
    (default,) = presales.order_route(
        actor=sales, order=order, departments=[_dept("warehouse")], instruction="x"
    )
    expected = deadlines.local_date(deadlines.working_days_after(timezone.now(), 3))
    assert default.due_date == expected


def test_my_work_for_every_member_until_answered(sales):
    comm = _comm(sales)
    soon = timezone.now() + timedelta(hours=2)
    (r,) = _route(Routing, comm, sales, default_due=soon, instruction="请分析")
    member = user_with("technical")

    def items(user):
        work = routing.work(
            user, Routing, kind="k", title=lambda x: x.communication.number, anchor="#r"
        )
        return list(work)

    found = items(member)
    (item,) = [i for i in found if isinstance(i, WorkItem)]
    assert item.title == comm.number and item.due_at == soon and item.detail == "请分析"
    assert item.url == comm.get_absolute_url() + "#r"
    (count,) = [i for i in found if isinstance(i, WorkCount)]
    assert count.count == 1 and count.overdue == 0
    assert not [i for i in items(user_with("quality")) if isinstance(i, WorkItem)]
    assert items(user_with("technical", department=None)) == []
    routing.respond(r, actor=member, text="好")
    assert [i for i in items(member) if isinstance(i, WorkItem)] == []


def test_routings_read_as_lines_of_their_parents_history(sales):
    order = _order(sales)
    (r,) = _route(OrderRouting, order, sales, departments=[_dept("production")], instruction="排产")
    routing.respond(r, actor=user_with("production"), text="已排产")
    entries = [
        e for e in record_history("presales.order", order.pk) if e.object_type != "presales.order"
    ]
    assert [e.object_type for e in entries] == ["presales.orderrouting"] * 2
    lines = readable(entries, main="presales.order")
    assert all(str(order.order_number) in str(line.subject) for line in lines)
    assert any(c.new == "已排产" for c in lines[1].changes)
    comm = _comm(sales)
    _route(Routing, comm, sales)
    types = {e.object_type for e in record_history("communications.communication", comm.pk)}
    assert "communications.routing" in types


def test_a_communication_page_shows_why_a_non_member_may_not_respond(sales, client):
    from django.urls import reverse

    comm = _comm(sales)
    (r,) = _route(Routing, comm, sales)
    client.force_login(user_with("quality"))
    resp = client.post(reverse("communications:respond", args=[r.pk]), {"respond-text": "好"})
    assert resp.status_code == 400
    page = resp.content.decode()
    assert "answer this routing" in page or "答复此转交" in page
    r.refresh_from_db()
    assert r.responded_at is None
