"""The customer list's count of open communications: per shown row, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from serviceloop.communications.models import Communication
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with
from serviceloop.customers.selectors import customer_list

pytestmark = pytest.mark.django_db


def test_open_communications_counted_per_customer_without_feedback():
    sales = user_with("sales")
    busy, quiet = CustomerFactory(code="A1"), CustomerFactory(code="A2")
    comms = [register_communication(sales, busy) for _ in range(3)]
    Communication.objects.filter(pk=comms[0].pk).update(feedback_at=timezone.now())
    with CaptureQueriesContext(connection) as ctx:
        counts = {c.code: c.open_communications for c in customer_list(sales, q="A")}
    assert counts == {"A1": 2, "A2": 0}
    assert len(ctx) == 1
    assert quiet.code in counts
