"""Typed-but-odd input is a 4xx naming the field, never a 500 (issue 9, findings 6 and 8).
Runs on SQLite and PostgreSQL."""

import pytest
from django.utils import timezone

from serviceloop.core.testing.factories import (
    AgreementFactory,
    CustomerFactory,
    register_communication,
    user_with,
)
from serviceloop.customers.models import Customer, ServiceAgreement

pytestmark = pytest.mark.django_db
HUGE = 10**20


@pytest.mark.parametrize("path", ["customers/", "communications/", "service-agreements/"])
@pytest.mark.parametrize("param", ["offset", "limit"])
def test_huge_offset_or_limit_is_422(sales_api, path, param):
    r = sales_api.get(path, {param: HUGE})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", param]


def test_limit_above_the_maximum_is_422(sales_api):
    assert sales_api.get("customers/", {"limit": 1001}).status_code == 422
    assert sales_api.get("customers/", {"limit": 1000}).status_code == 200


@pytest.mark.parametrize("path", ["customers/", "communications/", "service-agreements/"])
def test_huge_id_is_404(sales_api, path):
    assert sales_api.get(f"{path}{HUGE}").status_code == 404


def test_huge_id_in_body_is_422(sales_api):
    customer = CustomerFactory()
    r = sales_api.patch(f"customers/{customer.pk}", {"agent": HUGE})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "agent"


@pytest.mark.parametrize("months", [10**12, 2**31, 1201])
def test_warranty_months_bounded(sales_api, months):
    agreement = AgreementFactory()
    r = sales_api.patch(f"service-agreements/{agreement.pk}", {"warranty_months": months})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "warranty_months"
    agreement.refresh_from_db()
    assert agreement.warranty_months == 24


def test_float_beyond_range_is_422(sales_api):
    agreement = AgreementFactory()
    r = sales_api.patch(f"service-agreements/{agreement.pk}", {"warranty_km": 1e308})
    assert r.status_code == 422


def test_null_on_a_text_field_is_empty_text(sales_api):
    customer = CustomerFactory(city="武汉")
    assert sales_api.patch(f"customers/{customer.pk}", {"city": None}).status_code == 200
    customer.refresh_from_db()
    assert customer.city == ""
    agreement = AgreementFactory(notes="x")
    r = sales_api.patch(f"service-agreements/{agreement.pk}", {"notes": None})
    assert r.status_code == 200
    assert ServiceAgreement.objects.get(pk=agreement.pk).notes == ""


def test_null_on_a_required_value_is_422(sales_api, sales):
    comm = register_communication(sales)
    for field in ("received_at", "owner", "channel"):
        r = sales_api.patch(f"communications/{comm.pk}", {field: None})
        assert r.status_code == 422, (field, r.content)


def test_zero_width_only_name_refused(sales_api):
    r = sales_api.post("customers/", {"code": "C1", "name": "\u200b\u200d\ufeff", "tier": "retail"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "name"
    assert not Customer.objects.exists()


def test_agent_cannot_make_an_internal_user_owner(api_as):
    agent_user = user_with("agent")
    internal = user_with("sales")
    customer = CustomerFactory(agent=agent_user.agent, tier="retail")
    api = api_as(agent_user)
    body = {
        "customer": customer.pk,
        "channel": "call",
        "received_at": timezone.now().isoformat(),
        "subject": "s",
        "body": "b",
    }
    r = api.post("communications/", {**body, "owner": internal.pk})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "owner"
    created = api.post("communications/", body)
    assert created.status_code == 201
    r = api.patch(f"communications/{created.json()['id']}", {"owner": internal.pk})
    assert r.status_code == 422


def test_year_beyond_a_dates_range_is_422(api_as):
    """Found by schemathesis (test_api_fuzz.py): ?year=109569 on visit records was a 500."""
    client = api_as(user_with("admin"))
    r = client.get("visit-records/", {"year": 109569})
    assert r.status_code == 422, r.content
    assert r.json()["detail"][0]["loc"][-1] == "year"
    assert client.get("visit-records/", {"year": 2026}).status_code == 200
