"""Issue 15: "my work" stays bounded at volume — each kind shows its most urgent few (ordered
and cut in SQL), the count of all and a link to the full list; queries do not grow with rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from serviceloop.communications.models import Communication
from serviceloop.core.my_work import SHOWN, WorkItem, group, most_urgent
from serviceloop.core.selectors import work_groups, work_items
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with

pytestmark = pytest.mark.django_db


def _communications(user, n, start=0):
    customer = CustomerFactory()
    now = timezone.now()
    for i in range(start, start + n):
        register_communication(
            user, customer, received_at=now - timedelta(hours=i), subject=f"subject {i}"
        )


def _page_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("core:my_work"))
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_each_kind_shows_the_most_urgent_few_with_the_count_of_all(client):
    sales = user_with("sales")
    _communications(sales, SHOWN + 7)
    groups = {g.kind: g for g in work_groups(sales)}
    answer = groups["communication.answer"]
    assert answer.count == SHOWN + 7
    assert len(answer.items) == SHOWN
    # the oldest (received 11 h ago: 13 h left of 24) come first
    assert [i.title.rsplit(" ", 1)[-1] for i in answer.items] == [
        str(SHOWN + 6 - k) for k in range(SHOWN)
    ]
    assert answer.overdue == 0
    assert answer.more == 7
    assert answer.url == reverse("communications:list") + "?mine=on&status=registered"
    kinds = [i.kind for i in work_items(sales)]
    assert kinds.count("communication.answer") == kinds.count("communication.feedback") == SHOWN

    _, html = _page_queries(client, sales)
    for kind in ("communication.answer", "communication.feedback"):
        section = html.split(f'data-kind="{kind}"')[1].split('class="workgroup"')[0]
        assert section.count('class="workitem') == SHOWN
        assert str(SHOWN + 7) in section  # "the 5 most urgent of 12"
    assert "?mine=on&amp;status=registered" in html
    others = sum(g.count for g in groups.values() if not g.kind.startswith("communication"))
    assert str(2 * (SHOWN + 7) + others) in html  # items I owe: all of them, not the shown


def test_query_count_does_not_grow_with_the_number_of_items(client):
    sales = user_with("sales")
    _communications(sales, SHOWN + 1)
    few, _ = _page_queries(client, sales)
    _communications(sales, 3 * SHOWN, start=SHOWN + 1)
    many, html = _page_queries(client, sales)
    assert many == few
    assert Communication.objects.filter(owner=sales).count() == 4 * SHOWN + 1
    comm = [g for g in work_groups(sales) if g.kind.startswith("communication")]
    assert [len(g.items) for g in comm] == [SHOWN, SHOWN]
    assert html.count("/communications/") >= 2 * SHOWN


def test_overdue_counted_in_sql_when_all_shown_are_overdue():
    sales = user_with("sales")
    _communications(sales, SHOWN + 3)
    Communication.objects.update(answer_due_at=timezone.now() - timedelta(hours=1))
    qs = Communication.objects.filter(owner=sales)

    def make(c):
        return WorkItem("x", c.number, "", c.answer_due_at)

    found = list(most_urgent(qs, make, kind="x", order="answer_due_at"))
    (g,) = group(found, timezone.now())
    assert (len(g.items), g.count, g.overdue) == (SHOWN, SHOWN + 3, SHOWN + 3)


def test_a_provider_without_a_count_is_cut_in_core():
    now = timezone.now()
    items = [WorkItem("k", str(i), "", now + timedelta(hours=i)) for i in range(9, -1, -1)]
    (g,) = group(items, now, limit=3)
    assert [i.title for i in g.items] == ["0", "1", "2"]
    assert (g.count, g.more) == (10, 7)


# --- every app at once -------------------------------------------------------------------------

REASSIGNED = {"owner", "engineer", "requested_by", "received_by", "created_by", "leader"}


def _build_worlds(n):
    """`n` copies of the permission matrix's world (one record of each kind per app); a build
    an app refuses to repeat (a fixed code or period) keeps its one copy."""
    from django.db import transaction

    from serviceloop.core.testing.factories import AgentFactory
    from serviceloop.core.tests.test_permission_matrix import MODULES

    for _ in range(n):
        w = {"agency": AgentFactory()}
        for m in MODULES:
            try:
                with transaction.atomic():
                    m.build(w)
            except Exception:  # noqa: BLE001  (a second copy refused)
                continue


def _hand_everything_to(user):
    """Every record's owner-like reference and department set to `user`, so that each app's
    provider finds work for them (a reference that a unique constraint keeps apart is left)."""
    from django.apps import apps
    from django.db import IntegrityError, transaction

    from serviceloop.core.models import Department, User

    for model in apps.get_models():
        if not model.__module__.startswith("serviceloop."):
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and (
                (f.related_model is User and f.name in REASSIGNED)
                or (f.related_model is Department and f.name == "department")
            ):
                value = user if f.related_model is User else user.department
                try:
                    with transaction.atomic():
                        model._default_manager.update(**{f.name: value})
                except IntegrityError:
                    continue


def _work_queries(api):
    api.get("me/work")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as ctx:
        r = api.get("me/work")
    assert r.status_code == 200
    return len(ctx), r.json()


def test_query_count_is_flat_for_a_user_with_work_in_every_app():
    from collections import Counter

    from conftest import ApiClient
    from serviceloop.core.models import Department, Role

    user = user_with("admin", department=Department.objects.get(code="sales"))
    user.roles.set(Role.objects.all())
    api = ApiClient(user)
    _build_worlds(1)
    _hand_everything_to(user)
    few, items = _work_queries(api)
    _build_worlds(5)
    _hand_everything_to(user)
    many, more_items = _work_queries(api)
    apps_with_work = {i["kind"].split(".")[0] for i in more_items}
    assert {
        "communication",
        "complaint",
        "eightd",
        "warranty",
        "fieldservice",
        "ew",
        "visit_record",
        "requirement",
        "sample",
        "special",
        "order",
        "records",
        "summary",
    } <= apps_with_work
    per_kind = Counter(i["kind"] for i in more_items)
    assert max(per_kind.values()) == SHOWN  # cut in SQL: 6 worlds, 5 shown
    assert len(more_items) > len(items)
    assert many == few, (few, many)
    assert many <= 60
