"""API of the customer archive and service agreements (interface.md)."""

import pytest

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import (
    AgreementFactory,
    CustomerFactory,
    user_with,
)
from serviceloop.customers.models import Contact, Customer, ServiceAgreement

pytestmark = pytest.mark.django_db


def fields_named(response):
    return {d.get("field") or d["loc"][-1] for d in response.json()["detail"]}


def test_create_read_list_customer_with_contacts(sales_api):
    r = sales_api.post(
        "customers/",
        {
            "code": "C900",
            "name": "长江汽车",
            "tier": "oem_tier1",
            "city": "武汉",
            "contacts": [
                {
                    "name": "赵明",
                    "title": "采购经理",
                    "phone": "13800000000",
                    "email": "zm@example.cn",
                    "is_primary": True,
                }
            ],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["id"] and body["tier"] == "oem_tier1" and body["contacts"][0]["name"] == "赵明"
    assert sales_api.get(f"customers/{body['id']}").json()["code"] == "C900"
    listing = sales_api.get("customers/", {"limit": 10, "offset": 0}).json()
    assert listing["count"] == 1 and listing["items"][0]["name"] == "长江汽车"


def test_search_and_filter(sales_api):
    CustomerFactory(name="华北重卡", tier="oem_tier1")
    CustomerFactory(name="李师傅汽修", tier="retail")
    assert sales_api.get("customers/", {"tier": "retail"}).json()["count"] == 1
    assert sales_api.get("customers/", {"q": "重卡"}).json()["items"][0]["name"] == "华北重卡"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "C1", "name": "x", "tier": "gold"}, "tier"),
        ({"code": "C1", "tier": "retail"}, "name"),
        ({"code": "C1", "name": "x", "tier": "retail", "agent": 424242}, "agent"),
        (
            {
                "code": "C1",
                "name": "x",
                "tier": "retail",
                "contacts": [{"name": "a", "email": "bad"}],
            },
            "email",
        ),
    ],
)
def test_bad_customer_input_names_the_field_and_stores_nothing(sales_api, payload, field):
    before = AuditEntry.objects.count()
    r = sales_api.post("customers/", payload)
    assert r.status_code in (400, 422)
    assert field in fields_named(r)
    assert not Customer.objects.exists() and not Contact.objects.exists()
    assert AuditEntry.objects.count() == before


def test_duplicate_code_is_refused(sales_api):
    CustomerFactory(code="C1")
    r = sales_api.post("customers/", {"code": "C1", "name": "x", "tier": "retail"})
    assert r.status_code == 422 and "code" in fields_named(r)


def test_patch_is_audited_with_reason(sales_api):
    c = CustomerFactory(name="旧名")
    r = sales_api.patch(f"customers/{c.pk}", {"name": "新名", "reason": "更名"})
    assert r.status_code == 200 and r.json()["name"] == "新名"
    e = AuditEntry.objects.get(object_type="customers.customer", object_id=str(c.pk))
    assert e.before["name"] == "旧名" and e.reason == "更名"


def test_unknown_id_is_404(sales_api):
    assert sales_api.get("customers/999999").status_code == 404
    assert sales_api.get("service-agreements/999999").status_code == 404


def test_agent_sees_only_its_own_customers(api_as):
    agent_user = user_with("agent")
    mine = CustomerFactory(agent=agent_user.agent, tier="retail")
    other = CustomerFactory(tier="retail")
    api = api_as(agent_user)
    listing = api.get("customers/").json()
    assert [c["id"] for c in listing["items"]] == [mine.pk]
    assert api.get(f"customers/{other.pk}").status_code == 404
    assert api.get(f"customers/{mine.pk}").status_code == 200
    AgreementFactory(customer=other)
    assert api.get("service-agreements/").json()["count"] == 0


def test_agent_without_agency_sees_no_customer(api_as):
    """An agent login not (yet) tied to an agency sees nothing, not the customers that have
    no agency either (agent_id IS NULL must not match agent_id IS NULL)."""
    from serviceloop.core.permissions import scope_by_customer, visible_customers

    orphan = user_with("agent", agent=None)
    without_agency = CustomerFactory(tier="retail")
    CustomerFactory(agent=user_with("agent").agent, tier="retail")
    AgreementFactory(customer=without_agency)
    assert Customer.objects.filter(agent=None).exists()
    assert not visible_customers(orphan).exists()
    assert not scope_by_customer(orphan, ServiceAgreement.objects.all()).exists()
    api = api_as(orphan)
    assert api.get("customers/").json()["count"] == 0
    assert api.get(f"customers/{without_agency.pk}").status_code == 404
    assert api.get("service-agreements/").json()["count"] == 0


def test_agreement_create_and_validation(sales_api):
    c = CustomerFactory()
    r = sales_api.post(
        "service-agreements/",
        {
            "customer": c.pk,
            "valid_from": "2026-01-01",
            "valid_to": None,
            "warranty_months": 24,
            "warranty_km": None,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["customer"] == c.pk and body["valid_to"] is None and body["warranty_km"] is None
    assert sales_api.get(f"service-agreements/{body['id']}").json()["warranty_months"] == 24

    bad = [
        ({"customer": 999999, "valid_from": "2026-01-01"}, "customer"),
        ({"customer": c.pk, "valid_from": "2027-01-01", "valid_to": "2026-01-01"}, "valid_to"),
        ({"customer": c.pk, "valid_from": "2028-01-01", "warranty_months": 0}, "warranty_months"),
        ({"customer": c.pk, "valid_from": "2026-06-01"}, "valid_from"),  # overlaps the first
        ({"customer": c.pk, "valid_from": "not-a-date"}, "valid_from"),
    ]
    for payload, field in bad:
        r = sales_api.post("service-agreements/", payload)
        assert r.status_code in (400, 422), payload
        assert field in fields_named(r), (payload, r.json())
    assert ServiceAgreement.objects.count() == 1


def test_agreements_filter_in_force(sales_api):
    c = CustomerFactory()
    AgreementFactory(customer=c, valid_from="2024-01-01", valid_to="2024-12-31")
    AgreementFactory(customer=c, valid_from="2025-01-01", valid_to=None)
    r = sales_api.get("service-agreements/", {"customer": c.pk, "in_force_on": "2024-06-01"})
    assert [a["valid_from"] for a in r.json()["items"]] == ["2024-01-01"]
