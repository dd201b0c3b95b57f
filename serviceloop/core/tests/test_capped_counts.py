"""Issue 15: lists count cheaply and page no deeper than a cap. A list is counted exactly up
to SERVICELOOP_LIST_COUNT_CAP rows with ``COUNT(*) FROM (… LIMIT cap+1)``; beyond, the page
says "N+" (or "about N" with the planner's estimate on PostgreSQL) and pages stop at the
cap with a message asking to narrow the list. Both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from serviceloop.communications.models import Communication
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with
from serviceloop.core.views_support import CappedPaginator, count_upto, paginate

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve():
    sales = user_with("sales")
    customer = CustomerFactory()
    for i in range(12):
        register_communication(sales, customer, subject=f"S{i}")
    return sales


def _page(settings, cap, asked, per_page=5):
    settings.SERVICELOOP_LIST_COUNT_CAP = cap
    request = RequestFactory().get("/", {"page": asked} if asked else {})
    return paginate(request, Communication.objects.order_by("-received_at", "-pk"), per_page)


def test_below_the_cap_the_count_is_exact(twelve, settings):
    page = _page(settings, 100, "3")
    assert not page.paginator.capped and page.paginator.count == 12
    assert page.number == 3 and len(page.object_list) == 2 and not page.too_deep
    assert page.paginator.shown == "12"


def test_above_the_cap_counting_and_paging_stop_there(twelve, settings):
    page = _page(settings, 10, "1")
    paginator = page.paginator
    assert paginator.capped and paginator.count == 10 and paginator.num_pages == 2
    if connection.vendor == "postgresql":
        assert paginator.shown.startswith("about") or paginator.shown == "10+"
    else:
        assert paginator.shown == "10+"
    deep = _page(settings, 10, "50")
    assert deep.number == 2 and deep.too_deep
    assert [c.subject for c in deep.object_list] == ["S6", "S5", "S4", "S3", "S2"]


def test_the_count_reads_no_more_than_the_cap(twelve):
    qs = Communication.objects.order_by("-received_at")
    with CaptureQueriesContext(connection) as queries:
        assert count_upto(qs, 5) == 5
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "COUNT(" in sql.upper() and "LIMIT 5" in sql.upper() and "ORDER BY" not in sql.upper()
    assert count_upto(list(range(3)), 5) == 3


def test_one_count_query_per_page_whatever_the_size(twelve, settings):
    settings.SERVICELOOP_LIST_COUNT_CAP = 10
    qs = Communication.objects.order_by("-received_at", "-pk")
    with CaptureQueriesContext(connection) as queries:
        page = CappedPaginator(qs, 5).get_page(2)
        list(page.object_list)
    # the capped count, the planner's estimate on PostgreSQL (EXPLAIN, no row read), the page
    expected = 3 if connection.vendor == "postgresql" else 2
    assert len(queries.captured_queries) == expected
    if connection.vendor == "postgresql":
        assert queries.captured_queries[1]["sql"].startswith("EXPLAIN")


def test_the_list_page_says_the_cap_and_asks_to_narrow(client, twelve, settings):
    settings.SERVICELOOP_LIST_COUNT_CAP = 10
    client.force_login(twelve)
    body = client.get("/communications/?page=99").content.decode()
    assert "Only the first 10 records can be paged through" in body
    assert "records" in body and "Page 1 of" in body
