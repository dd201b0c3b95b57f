"""Issue 15: the API lists page by cursor (keyset) as well as by offset — every row exactly
once under ties of the ordering key, in the offset order; a bad cursor is a 422 on `cursor`."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from conftest import ApiClient
from serviceloop.communications.models import Communication
from serviceloop.complaints.models import Complaint, EightDReport
from serviceloop.complaints.tests.factories import open_report, register_complaint
from serviceloop.core.api_cursor import KeysetOrOffsetPagination
from serviceloop.core.models import Role
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with
from serviceloop.warranty.models import WarrantyClaim
from serviceloop.warranty.tests.factories import make_claim

pytestmark = pytest.mark.django_db

N = 7


@pytest.fixture
def api():
    user = user_with("admin")
    user.roles.set(Role.objects.all())
    return ApiClient(user), user


def _communications(user):
    customer = CustomerFactory()
    for i in range(N):
        register_communication(user, customer, subject=f"s{i}")


def _complaints(user):
    customer = CustomerFactory()
    for _ in range(N):
        register_complaint(user, customer)


def _reports(user):
    customer = CustomerFactory()
    for _ in range(N):
        open_report(register_complaint(user, customer))


def _claims(user):
    customer = CustomerFactory()
    for _ in range(N):
        make_claim(user, customer)


LISTS = [
    ("communications/", _communications, Communication, "received_at"),
    ("complaints/", _complaints, Complaint, "received_at"),
    ("eight-d-reports/", _reports, EightDReport, "created_at"),
    ("warranty-claims/", _claims, WarrantyClaim, "reported_on"),
]


def _walk(api, path, limit, extra=""):
    ids, cursor, pages = [], None, 0
    while True:
        query = f"?limit={limit}{extra}" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(path + query).json()
        ids += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages, body["count"]
        assert pages < 50


@pytest.mark.parametrize("path, make, model, key", LISTS, ids=[p for p, *_ in LISTS])
def test_walking_by_cursor_gives_every_row_once_in_the_offset_order(api, path, make, model, key):
    client, user = api
    make(user)
    rows = model.objects.order_by("pk")
    tie = getattr(rows.first(), key)
    # five rows share the ordering value, one is earlier and one later
    model.objects.filter(pk__in=list(rows.values_list("pk", flat=True)[:5])).update(**{key: tie})
    model.objects.filter(pk=rows[5].pk).update(**{key: tie - timedelta(days=1)})
    model.objects.filter(pk=rows[6].pk).update(**{key: tie + timedelta(days=1)})

    by_offset = [i["id"] for i in client.get(f"{path}?limit=100").json()["items"]]
    assert sorted(by_offset) == sorted(rows.values_list("pk", flat=True))
    for limit in (1, 2, 3, N):
        ids, pages, count = _walk(client, path, limit)
        assert ids == by_offset, limit
        assert count == N
        assert pages == -(-N // limit)
    # offset pages keep their meaning and tell where to go on by cursor
    body = client.get(f"{path}?limit=2&offset=2").json()
    assert [i["id"] for i in body["items"]] == by_offset[2:4]
    rest = client.get(f"{path}?limit=100&cursor={body['next_cursor']}").json()
    assert [i["id"] for i in rest["items"]] == by_offset[4:]
    assert rest["next_cursor"] is None


def test_a_row_added_between_pages_neither_shifts_nor_repeats(api):
    client, user = api
    _communications(user)
    first = client.get("communications/?limit=3").json()
    shown = [i["id"] for i in first["items"]]
    register_communication(user, subject="newest")  # sorts first: before the cursor
    rest = client.get(f"communications/?limit=100&cursor={first['next_cursor']}").json()
    assert len(rest["items"]) == N - 3
    assert not set(shown) & {i["id"] for i in rest["items"]}


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "eyJsIjoiLyJ9", ""],
    ids=["garbage", "unsigned", "empty-is-the-first-page"],
)
def test_an_invalid_cursor_is_a_422_naming_cursor(api, cursor):
    client, user = api
    _communications(user)
    r = client.get(f"communications/?limit=2&cursor={cursor}")
    if cursor == "":
        assert r.status_code == 200
        return
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["loc"] == ["query", "cursor"] and error["field"] == "cursor"


def test_a_cursor_of_another_list_or_tampered_is_refused(api):
    client, user = api
    _communications(user)
    _claims(user)
    token = client.get("communications/?limit=2").json()["next_cursor"]
    r = client.get(f"warranty-claims/?limit=2&cursor={token}")
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "cursor"
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert client.get(f"communications/?limit=2&cursor={tampered}").status_code == 422


def test_nullable_keys_sort_nulls_after_ascending_and_before_descending(api):
    """Both databases place NULLs alike for a keyset (PostgreSQL's default)."""
    _client, user = api
    _communications(user)
    comms = list(Communication.objects.order_by("pk"))
    now = timezone.now()
    for i, c in enumerate(comms):  # NULL, a value shared by two, other values
        value = None if i % 3 == 0 else now + timedelta(hours=min(i, 2))
        Communication.objects.filter(pk=c.pk).update(answered_at=value)
    request = RequestFactory().get("/api/v1/communications/")
    pagination = KeysetOrOffsetPagination()
    for order in ("answered_at", "-answered_at"):
        qs = Communication.objects.order_by(order)
        everything = pagination.paginate_queryset(qs, pagination.Input(limit=100), request)
        expected = [c.pk for c in everything["items"]]
        nulls = [c.pk for c in everything["items"] if c.answered_at is None]
        assert (expected[-len(nulls) :] if order[0] != "-" else expected[: len(nulls)]) == nulls
        ids, cursor = [], None
        while True:
            page = pagination.paginate_queryset(
                qs, pagination.Input(limit=2, cursor=cursor), request
            )
            ids += [c.pk for c in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert ids == expected, order
