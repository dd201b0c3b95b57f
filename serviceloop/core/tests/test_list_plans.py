"""Issue 15: every main list's first page — default ordering, alone and under each filter the
list offers — is served by an index on PostgreSQL, never a sequential scan of the big table.

The test tables are small, so the planner's cost choice says nothing; with `enable_seqscan`
and `enable_sort` off it still picks a sequential scan (or reads a whole index to filter it)
when no index can serve the query, and a Sort when no index gives the ordering: that is what
the test looks for. (SQLite: skipped.)
"""

import json

import pytest
from django.db import connection

from serviceloop.communications.selectors import communication_list
from serviceloop.complaints.selectors import complaint_list, report_list
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.warranty.selectors import claim_list

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans of PostgreSQL"),
]

BIG = {
    "communications_communication",
    "complaints_complaint",
    "complaints_eightdreport",
    "warranty_warrantyclaim",
}


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _plan(qs, *, sorted_by_index: bool = True) -> tuple[list[str], str]:
    """The problems of the first page's plan (a big table read whole: a sequential scan, or
    an index read end to end while filtering; a Sort), and the plan as text."""
    sql, params = qs[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"SET LOCAL enable_sort = {'off' if sorted_by_index else 'on'}")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    problems = []
    for node in _nodes(plan[0]["Plan"]):
        table = node.get("Relation Name")
        if node["Node Type"] == "Sort":
            problems.append("Sort")
        if table not in BIG:
            continue
        if node["Node Type"] == "Seq Scan":
            problems.append(f"Seq Scan on {table}")
        elif "Filter" in node and "Index Cond" not in node:
            problems.append(f"whole index of {table} read to filter {node['Filter']}")
    return problems, json.dumps(plan, indent=1)


def _cases(user, customer):
    yield "communications", communication_list(user), True
    yield "communications status", communication_list(user, status="registered"), True
    yield "communications customer", communication_list(user, customer=customer.pk), True
    yield "communications channel", communication_list(user, channel="call"), True
    yield "communications mine", communication_list(user, owner=user.pk), True
    yield "complaints", complaint_list(user), True
    yield "complaints status", complaint_list(user, status="registered"), True
    yield "complaints customer", complaint_list(user, customer=customer.pk), True
    yield "8D reports", report_list(user), True
    yield "8D reports status", report_list(user, status="d1"), True
    yield "warranty", claim_list(user), True
    yield "warranty status", claim_list(user, status="registered"), True
    yield "warranty customer", claim_list(user, customer=customer.pk), True
    yield "warranty part", claim_list(user, part_number="P-1"), False
    yield "warranty decision", claim_list(user, status="decided", decision="accept"), False


def test_list_pages_use_an_index_for_ordering_and_filters():
    user = user_with("quality")
    customer = CustomerFactory()
    failures = []
    for name, qs, ordered_by_index in _cases(user, customer):
        problems, plan = _plan(qs, sorted_by_index=ordered_by_index)
        if not ordered_by_index:  # a filter the ordering index does not lead with: sorts
            problems = [p for p in problems if p != "Sort"]
        if problems:
            failures.append(f"{name}: {problems}\n{plan}")
    assert not failures, "\n\n".join(failures)


def test_the_check_sees_a_query_no_index_serves():
    user = user_with("quality")
    assert "Sort" in _plan(communication_list(user).order_by("subject"))[0]
    (problem,) = _plan(communication_list(user).filter(subject="x"))[0]
    assert "communications_communication" in problem


def test_the_stored_dashboards_staleness_check_is_an_index_range():
    """Each view of a part's stored analysis asks whether a claim of the part changed since
    (earlywarning.engine.inputs.part_changed_since): both conditions bound the index scan,
    not a scan of every claim of the part filtered on `updated_at` (0.5 s at 200,000)."""
    from django.utils import timezone

    from serviceloop.warranty.models import WarrantyClaim

    qs = WarrantyClaim.objects.filter(part_number="P-1", updated_at__gt=timezone.now())
    problems, plan = _plan(qs.order_by(), sorted_by_index=False)
    assert not problems, plan
    conds = [n.get("Index Cond", "") for n in _nodes(json.loads(plan)[0]["Plan"])]
    assert any("updated_at" in c and "part_number" in c for c in conds), plan


def test_the_open_8d_reports_are_read_from_their_own_index():
    """ "My work" counts what quality owes on open 8D reports (complaints.my_work): the open
    reports come from the partial index `eightd_open`, not a scan of every report."""
    from django.db.models import Q

    from serviceloop.complaints.models import EightDReport

    qs = EightDReport.objects.filter(~Q(status="closed")).values("id").order_by()
    problems, plan = _plan(qs, sorted_by_index=False)
    assert not problems, plan
    assert '"Index Name": "eightd_open"' in plan
