"""Another agent's customer is a 404 on every pre-sale endpoint and page (design rule 2);
an agent sees its own customers' orders."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from config.api import api
from conftest import ApiClient
from serviceloop.core.testing.factories import AgentFactory, CustomerFactory, user_with

from . import matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """The matrix world built on a customer served by another agency."""
    w = {"customer": CustomerFactory(agent=AgentFactory())}
    matrix.build(w)
    return w


def _detail_paths():
    for (method, path), (_action, body) in matrix.API.items():
        if "{" in path:
            yield method, path, body


def test_every_api_record_endpoint_is_404_for_another_agents_customer(scene):
    agent = user_with("agent")
    admin_view = ApiClient(user_with("admin"))
    client = ApiClient(agent)
    for method, path, body in _detail_paths():
        url = re.sub(r"\{(\w+)\}", lambda m: str(scene[matrix.ALIASES[m.group(1)]]), path)
        data = body(scene)
        r = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert r.status_code in (403, 404), (method, path, r.status_code)
        if method == "get" and path.startswith(matrix.ORD):  # agents may view orders
            assert r.status_code == 404, (path, r.status_code)
    assert admin_view.get(f"orders/{scene['ps_order_id']}").status_code == 200


def test_every_page_of_a_record_is_404_for_another_agents_customer(scene):
    agent = user_with("agent")
    client = Client()
    client.force_login(agent)
    for name, (_action, method, args) in matrix.UI.items():
        try:
            values = args(scene)
        except KeyError:  # a record of another app (a communication)
            continue
        if not values:
            continue
        r = getattr(client, method)(reverse(name, args=values))
        assert r.status_code in (403, 404), (name, r.status_code)
        if name == "presales:order":
            assert r.status_code == 404


def test_an_agent_sees_its_own_customers_orders_only(scene):
    agent = user_with("agent")
    own = CustomerFactory(agent=agent.agent)
    from django.utils import timezone

    from serviceloop.presales import services

    services.order_create(
        actor=user_with("sales"),
        customer=own,
        order_number="SO-OWN",
        part_number="P",
        quantity=1,
        promised_date=timezone.localdate(),
    )
    items = ApiClient(agent).get("orders/").json()["items"]
    assert [o["order_number"] for o in items] == ["SO-OWN"]


def test_openapi_lists_the_fixed_resource_names():
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    for name in ("customer-requirements", "sample-requests", "special-requests", "orders"):
        assert f"/api/v1/{name}/" in paths
