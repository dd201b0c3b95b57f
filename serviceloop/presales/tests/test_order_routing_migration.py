"""ADR 0009: the rows routed before core.routing keep their meaning — an order routing's due
date becomes the end of that day, its acknowledgement the response; a communication routing
made before routings had a due time gets the feedback deadline it ran under."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from serviceloop.core import deadlines
from serviceloop.core.models import Department


def _migrate(app: str, name: str):
    executor = MigrationExecutor(connection)
    executor.migrate([(app, name)])
    return executor.loader.project_state([(app, name)]).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_order_routings_keep_their_due_date_and_acknowledgement():
    from serviceloop.core.testing.factories import CustomerFactory, user_with
    from serviceloop.presales import services
    from serviceloop.presales.models import OrderRouting

    sales = user_with("sales")
    worker = user_with("production")
    order = services.order_create(
        actor=sales,
        customer=CustomerFactory(),
        order_number="SO-MIG",
        part_number="SA-1",
        quantity=1,
        promised_date=timezone.localdate() + timedelta(days=9),
    )
    old = _migrate("presales", "0004_order_routings")
    OldRouting = old.get_model("presales", "OrderRouting")
    day = timezone.localdate() - timedelta(days=1)
    now = timezone.now()
    dept = Department.objects.get(code="production").pk
    done = OldRouting.objects.create(
        order_id=order.pk,
        department_id=dept,
        instruction="排产",
        due_date=day,
        routed_by_id=sales.pk,
        acknowledged_at=now,
        acknowledged_by_id=worker.pk,
        note="已排产",
    )
    late = OldRouting.objects.create(
        order_id=order.pk,
        department_id=dept,
        instruction="备料",
        due_date=day,
        routed_by_id=sales.pk,
    )
    _migrate("presales", "0005_order_routing_core")
    done_now = OrderRouting.objects.get(pk=done.pk)
    assert done_now.due_at == deadlines.end_of_day(day) and done_now.due_date == day
    assert done_now.responded_by_id == worker.pk and done_now.response == "已排产"
    assert done_now.responded_at == now and not done_now.is_late()
    late_now = OrderRouting.objects.get(pk=late.pk)
    assert late_now.is_late() and late_now.state == "late"
    assert not late_now.is_late(day)  # on its due date it was not late yet


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_communication_routings_without_a_due_time_get_the_feedback_deadline():
    from serviceloop.communications.models import Routing
    from serviceloop.communications.services import communication_route
    from serviceloop.core.testing.factories import register_communication, user_with

    sales = user_with("sales")
    comm = register_communication(sales)
    (r,) = communication_route(
        actor=sales, communication=comm, departments=[Department.objects.get(code="technical")]
    )
    _migrate("communications", "0005_list_indexes")
    Routing.objects.filter(pk=r.pk).update(due_at=None)
    _migrate("communications", "0006_routing_due_filled")
    assert Routing.objects.get(pk=r.pk).due_at == comm.feedback_due_at
