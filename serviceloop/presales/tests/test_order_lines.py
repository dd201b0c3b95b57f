"""Orders with several part lines (R-5.2.1): each line has its part, quantity and due
date, its own late flag and delivery; the order is delivered with its last line; the API
takes `lines` (or the single-part fields) and answers them; single-part orders of the
earlier schema are migrated into one line each."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.presales import services
from serviceloop.presales.models import Order, OrderLine, OrderStatus

pytestmark = pytest.mark.django_db


def _two_line_order(sales, **kw):
    today = timezone.localdate()
    return services.order_create(
        actor=sales,
        customer=kw.pop("customer", None) or CustomerFactory(),
        order_number=kw.pop("order_number", "SO-2L"),
        lines=[
            {
                "part_number": "SA-2041",
                "description": "前减振器",
                "quantity": 500,
                "due_date": today + timedelta(days=10),
            },
            {"part_number": "SA-3310", "quantity": 300, "due_date": today - timedelta(days=1)},
        ],
        **kw,
    )


def test_lines_their_late_flag_and_delivery():
    sales = user_with("sales")
    order = _two_line_order(sales)
    first, second = order.lines.all()
    assert order.promised_date == first.due_date - timedelta(days=11)  # the earliest line
    assert second.is_late() and not first.is_late() and order.is_late()
    assert AuditEntry.objects.filter(object_type="presales.orderline").count() == 2
    now = timezone.now()
    services.order_progress(actor=sales, order=order, milestone="delivered", at=now, line=second)
    order.refresh_from_db()
    second.refresh_from_db()
    assert second.delivered_at and not second.is_late() and order.status == OrderStatus.OPEN
    with pytest.raises(ValidationError) as exc:
        services.order_progress(
            actor=sales, order=order, milestone="delivered", at=now, line=second
        )
    assert "line" in exc.value.message_dict
    services.order_progress(actor=sales, order=order, milestone="delivered", at=now, line=first)
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.milestones.get(code="delivered").actual_at is not None


def test_refusals_name_the_field():
    sales = user_with("sales")
    today = timezone.localdate()
    c = CustomerFactory()
    cases = [
        ({"lines": []}, "lines"),
        ({"lines": [{"part_number": "A", "quantity": 0, "due_date": today}]}, "quantity"),
        (
            {"lines": [{"part_number": "A", "quantity": 1}, {"part_number": "A", "quantity": 2}]},
            "lines[1].part_number",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.order_create(
                actor=sales, customer=c, order_number="SO-X", promised_date=today, **kwargs
            )
        assert field in exc.value.message_dict, (kwargs, exc.value.message_dict)
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    order = _two_line_order(sales, customer=c)
    with pytest.raises(ValidationError):
        services.order_add_line(actor=sales, order=order, part_number="SA-2041", quantity=1)
    line = services.order_add_line(actor=sales, order=order, part_number="CR-1102", quantity=9)
    assert line.position == 3 and line.due_date == order.promised_date


def test_api_lines(api_as):
    sales = api_as(user_with("sales"))
    c = CustomerFactory()
    today = timezone.localdate()
    r = sales.post(
        "orders/",
        {
            "customer": c.pk,
            "order_number": "SO-API",
            "promised_date": today.isoformat(),
            "lines": [
                {"part_number": "SA-1", "quantity": 10},
                {
                    "part_number": "SA-2",
                    "quantity": 20,
                    "due_date": (today + timedelta(days=5)).isoformat(),
                },
            ],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert [(x["part_number"], x["quantity"]) for x in body["lines"]] == [
        ("SA-1", 10),
        ("SA-2", 20),
    ]
    line_id = body["lines"][1]["id"]
    r = sales.post(f"orders/{body['id']}/lines", {"part_number": "SA-3", "quantity": 0})
    assert r.status_code == 422 and "quantity" in r.content.decode()
    r = sales.post(
        f"orders/{body['id']}/progress",
        {"milestone": "delivered", "at": timezone.now().isoformat(), "line": line_id},
    )
    assert r.status_code == 200, r.content
    assert [x["delivered_at"] is not None for x in r.json()["lines"]] == [False, True]
    # the single-part form of interface.md still works
    r = sales.post(
        "orders/",
        {
            "customer": c.pk,
            "order_number": "SO-1P",
            "part_number": "SA-9",
            "quantity": 3,
            "promised_date": today.isoformat(),
        },
    )
    assert r.status_code == 201 and len(r.json()["lines"]) == 1


def test_order_with_two_lines_in_the_ui():
    sales = user_with("sales")
    c = CustomerFactory()
    client = Client()
    client.force_login(sales)
    r = client.post(
        reverse("presales:order_create"),
        {
            "customer": c.pk,
            "order_number": "SO-UI",
            "part_number": "SA-2041",
            "quantity": 100,
            "promised_date": "2027-03-01",
            "more_lines": "SA-3310; 40; 2027-03-15; 后减振器",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    order = Order.objects.get(order_number="SO-UI")
    assert list(order.lines.values_list("part_number", "quantity")) == [
        ("SA-2041", 100),
        ("SA-3310", 40),
    ]
    page = client.get(r["Location"]).content.decode()
    assert "SA-3310" in page and "2027-03-15" in page
    r = client.post(
        reverse("presales:order_add_line", args=[order.pk]),
        {"line-part_number": "CR-1102", "line-quantity": "5"},
    )
    assert r.status_code == 302 and order.lines.count() == 3
    r = client.post(
        reverse("presales:order_create"),
        {
            "customer": c.pk,
            "order_number": "SO-B",
            "part_number": "A",
            "quantity": 1,
            "promised_date": "2027-03-01",
            "more_lines": "B; x",
        },
    )
    assert r.status_code == 200 and "more_lines" in r.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_single_part_orders_are_migrated_into_one_line_each():
    executor = MigrationExecutor(connection)
    executor.migrate([("presales", "0002_requirement_attachments")])
    old = executor.loader.project_state([("presales", "0002_requirement_attachments")]).apps
    # Customers and users are made with today's models: their tables stay at their latest
    # migration (an old state of them would lack columns added since, e.g. the user's language).
    from serviceloop.core.testing.factories import CustomerFactory, user_with

    customer = old.get_model("customers", "Customer").objects.get(
        pk=CustomerFactory(code="C-MIG", name="迁移客户").pk
    )
    user = old.get_model("core", "User").objects.get(pk=user_with("sales").pk)
    OldOrder = old.get_model("presales", "Order")
    Milestone = old.get_model("presales", "Milestone")
    now = timezone.now()
    a = OldOrder.objects.create(
        order_number="SO-A",
        customer=customer,
        part_number="SA-1",
        part_name="前减振器",
        quantity=10,
        promised_date=now.date(),
        created_by=user,
        created_at=now,
    )
    b = OldOrder.objects.create(
        order_number="SO-B",
        customer=customer,
        part_number="SA-2",
        quantity=20,
        promised_date=now.date(),
        status="delivered",
        created_by=user,
        created_at=now,
    )
    Milestone.objects.create(order=b, code="delivered", actual_at=now)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    lines = {x.order_id: x for x in OrderLine.objects.all()}
    assert (lines[a.pk].part_number, lines[a.pk].description, lines[a.pk].quantity) == (
        "SA-1",
        "前减振器",
        10,
    )
    assert lines[a.pk].due_date == now.date() and lines[a.pk].delivered_at is None
    assert lines[b.pk].delivered_at is not None and lines[b.pk].position == 1
