"""The communications list answers in a constant number of queries (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from serviceloop.communications.services import communication_feedback, communication_route
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, register_communication

pytestmark = pytest.mark.django_db


def _add(sales, n):
    dept = Department.objects.get(code="technical")
    for i in range(n):
        comm = register_communication(sales, CustomerFactory())
        communication_route(actor=sales, communication=comm, departments=[dept])
        if i % 2:
            communication_feedback(actor=sales, communication=comm, text="已反馈", reason="r")


def _count(api):
    with CaptureQueriesContext(connection) as ctx:
        r = api.get("communications/?limit=100")
    assert r.status_code == 200, r.content
    return len(ctx.captured_queries), len(r.json()["items"]), ctx


def test_list_query_count_does_not_grow_with_rows(sales, sales_api):
    _add(sales, 3)
    _count(sales_api)  # the first call of a token records its use
    few, rows, _ = _count(sales_api)
    assert rows == 3
    _add(sales, 12)
    many, rows, ctx = _count(sales_api)
    assert rows == 15
    assert many == few, "\n".join(q["sql"][:200] for q in ctx.captured_queries)


def test_list_retain_until_matches_the_record_one(sales, sales_api):
    """The list's annotated retain_until equals the per-record computation (period set by
    the administrator and a disposal review keeping one record longer)."""
    from datetime import date

    from serviceloop.communications.models import Communication
    from serviceloop.records.models import DisposalReview, RetentionPeriod
    from serviceloop.records.policy import retain_until

    _add(sales, 4)
    RetentionPeriod.objects.update_or_create(record_type="communications", defaults={"years": 7})
    closed = Communication.objects.filter(feedback_at__isnull=False).first()
    DisposalReview.objects.bulk_create(
        [
            DisposalReview(
                record_type="communications",
                record_id=closed.pk,
                retain_until=date(2030, 1, 1),
                kept_until=date(2099, 1, 1),
            )
        ]
    )
    items = {i["id"]: i["retain_until"] for i in sales_api.get("communications/").json()["items"]}
    assert items[closed.pk] == "2099-01-01"
    for comm in Communication.objects.all():
        expected = retain_until(comm)
        assert items[comm.pk] == (expected.isoformat() if expected else None)
