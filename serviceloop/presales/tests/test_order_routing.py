"""Order information passed on through routings (R-5.2.1, as R-5.2.4 routes communications):
Sales routes an order (or a change of it) to departments with a due date and an instruction;
every member of each department sees it on "my work" and one acknowledges it; the order page
and API show each routing's state; a late routing makes the order late."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serviceloop.core import deadlines
from serviceloop.core.models import AuditEntry, Department, Notification
from serviceloop.core.my_work import PROVIDERS, WorkItem
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.presales import services
from serviceloop.presales.models import Order, OrderRouting, RoutingState

pytestmark = pytest.mark.django_db


def _order(sales, **kw):
    return services.order_create(
        actor=sales,
        customer=CustomerFactory(),
        order_number=kw.pop("order_number", "SO-R1"),
        part_number="SA-2041",
        quantity=500,
        promised_date=timezone.localdate() + timedelta(days=30),
        **kw,
    )


def _dept(code):
    return Department.objects.get(code=code)


def _work(user):
    items = []
    for provider in PROVIDERS:
        items += [i for i in provider(user) if isinstance(i, WorkItem)]
    return [i for i in items if i.kind == "order.routing"]


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_route_my_work_acknowledge_and_order_page():
    sales = user_with("sales")
    order = _order(sales)
    worker = user_with("production")
    colleague = user_with("production")
    due = timezone.localdate() + timedelta(days=5)
    routings = services.order_route(
        actor=sales,
        order=order,
        departments=[_dept("production"), _dept("warehouse")],
        instruction="排产 500 件",
        due_date=due,
    )
    assert [r.department.code for r in routings] == ["production", "warehouse"]
    assert all(r.state == RoutingState.PENDING for r in routings)
    assert AuditEntry.objects.filter(object_type="presales.orderrouting").count() == 2
    assert Notification.objects.filter(recipient=worker, kind="order.routed").exists()
    # every member of the department sees it on "my work"; others do not
    for user in (worker, colleague):
        (item,) = _work(user)
        assert "SO-R1" in item.title and item.detail == "排产 500 件"
    assert _work(user_with("purchasing")) == []
    page = _client(worker).get(reverse("core:my_work")).content.decode()
    assert "SO-R1" in page
    # acknowledge from the order page
    prod = routings[0]
    url = reverse("presales:order_routing_acknowledge", args=[order.pk, prod.pk])
    r = _client(worker).post(url, {"ack-note": "已排入 12 月计划"})
    assert r.status_code == 302
    prod.refresh_from_db()
    assert prod.responded_by == worker and prod.response == "已排入 12 月计划"
    assert prod.state == RoutingState.ACKNOWLEDGED
    assert Notification.objects.filter(recipient=sales, kind="order.acknowledged").exists()
    assert _work(colleague) == []  # gone for every member
    assert len(_work(user_with("warehouse"))) == 1
    page = _client(sales).get(reverse("presales:order", args=[order.pk])).content.decode()
    assert "已排入 12 月计划" in page and str(worker) in page
    # a second acknowledgement is refused
    with pytest.raises(ValidationError):
        services.order_routing_acknowledge(actor=colleague, routing=prod)


def test_route_a_change_from_the_order_page():
    sales = user_with("sales")
    order = _order(sales)
    line = services.order_add_line(actor=sales, order=order, part_number="CR-1102", quantity=40)
    r = _client(sales).post(
        reverse("presales:order_route", args=[order.pk]),
        {
            "route-departments": [_dept("purchasing").pk],
            "route-line": line.pk,
            "route-instruction": "新增零件，请采购原材料",
            "route-due_date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
    )
    assert r.status_code == 302
    (routing,) = order.routings.all()
    assert routing.line == line and routing.department.code == "purchasing"
    # a form without an instruction is a form error, nothing written
    r = _client(sales).post(
        reverse("presales:order_route", args=[order.pk]),
        {"route-departments": [_dept("production").pk]},
    )
    assert r.status_code == 400 and order.routings.count() == 1


def test_wrong_department_cannot_acknowledge():
    sales = user_with("sales")
    order = _order(sales)
    (routing,) = services.order_route(
        actor=sales, order=order, departments=[_dept("production")], instruction="排产"
    )
    with pytest.raises(ValidationError) as exc:
        services.order_routing_acknowledge(actor=user_with("warehouse"), routing=routing)
    assert "department" in exc.value.message_dict
    r = _client(user_with("quality")).post(
        reverse("presales:order_routing_acknowledge", args=[order.pk, routing.pk]), {}
    )
    assert r.status_code == 400
    routing.refresh_from_db()
    assert routing.responded_at is None


def test_refusals_when_routing(api_as):
    sales = user_with("sales")
    order = _order(sales)
    api = api_as(sales)
    base = f"/api/v1/orders/{order.pk}/routings"
    r = api.post(base, {"departments": [], "instruction": "x"})
    assert r.status_code == 422 and "departments" in r.content.decode()
    r = api.post(base, {"departments": [_dept("production").pk], "instruction": " "})
    assert r.status_code == 422 and "instruction" in r.content.decode()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    r = api.post(
        base, {"departments": [_dept("production").pk], "instruction": "x", "due_date": past}
    )
    assert r.status_code == 422 and "due_date" in r.content.decode()
    r = api.post(base, {"departments": [999999], "instruction": "x"})
    assert r.status_code == 422 and "departments" in r.content.decode()
    # production may not route
    r = api_as(user_with("production")).post(
        base, {"departments": [_dept("warehouse").pk], "instruction": "x"}
    )
    assert r.status_code == 403
    # a delivered order is not routed
    services.order_progress(actor=sales, order=order, at=timezone.now(), milestone="delivered")
    r = api.post(base, {"departments": [_dept("production").pk], "instruction": "x"})
    assert r.status_code == 422 and "delivered" in r.content.decode()
    assert not OrderRouting.objects.exists()


def test_api_route_acknowledge_and_list(api_as):
    sales = user_with("sales")
    order = _order(sales)
    api = api_as(sales)
    r = api.post(
        f"/api/v1/orders/{order.pk}/routings",
        {"departments": [_dept("quality").pk], "instruction": "首件检验"},
    )
    assert r.status_code == 201, r.content
    (body,) = r.json()
    assert body["state"] == "pending" and body["department_name"]
    ack = f"/api/v1/orders/{order.pk}/routings/{body['id']}/acknowledge"
    r = api_as(user_with("warehouse")).post(ack, {"note": "x"})
    assert r.status_code == 422 and "department" in r.content.decode()
    quality = user_with("quality")
    r = api_as(quality).post(ack, {"note": "已安排"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "acknowledged" and r.json()["acknowledged_by"] == quality.pk
    (listed,) = api.get(f"/api/v1/orders/{order.pk}").json()["routings"]
    assert listed["note"] == "已安排"
    # a routing asked for under another order: 404
    other = _order(sales, order_number="SO-R2")
    r = api_as(quality).post(f"/api/v1/orders/{other.pk}/routings/{body['id']}/acknowledge", {})
    assert r.status_code == 404


def test_late_routing_makes_the_order_late():
    sales = user_with("sales")
    order = _order(sales)
    (routing,) = services.order_route(
        actor=sales, order=order, departments=[_dept("production")], instruction="排产"
    )
    assert not Order.objects.get(pk=order.pk).is_late()
    OrderRouting.objects.filter(pk=routing.pk).update(
        due_at=deadlines.end_of_day(timezone.localdate() - timedelta(days=1))
    )
    routing.refresh_from_db()
    assert routing.state == RoutingState.LATE
    assert Order.objects.get(pk=order.pk).is_late()
    from serviceloop.presales import selectors

    assert order in selectors.order_list(sales, late=True)
    page = _client(sales).get(reverse("presales:order", args=[order.pk])).content.decode()
    assert "逾期" in page or "Overdue" in page
    services.order_routing_acknowledge(actor=user_with("production"), routing=routing)
    assert not Order.objects.get(pk=order.pk).is_late()


def test_order_page_and_my_work_in_chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    sales = user_with("sales")
    order = _order(sales)
    services.order_route(
        actor=sales, order=order, departments=[_dept("production")], instruction="排产"
    )
    page = _client(sales).get(reverse("presales:order", args=[order.pk])).content.decode()
    assert "已转交部门" in page and "待处理" in page and "办理要求" in page
    assert "Routed to departments" not in page and "Pending" not in page
    worker = user_with("production")
    page = _client(worker).get(reverse("presales:order", args=[order.pk])).content.decode()
    assert "确认收到" in page
    work = _client(worker).get(reverse("core:my_work")).content.decode()
    assert "转交本部门的订单" in work
