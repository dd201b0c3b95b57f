"""Every endpoint × every role (design rule 4): the API and the UI ask the same permission
table (core/permissions.py). A new endpoint fails this test until it is added here."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from config.api import api
from conftest import ApiClient
from serviceloop.core.permissions import ACTIONS
from serviceloop.core.roles import RoleCode
from serviceloop.core.testing.factories import (
    AgentFactory,
    AgreementFactory,
    ContactFactory,
    CustomerFactory,
    register_communication,
    user_with,
)

pytestmark = pytest.mark.django_db
ROLES = list(RoleCode.values)


@pytest.fixture
def world(db):
    """One record of each kind, served by one agency, so agents can see them too."""
    agency = AgentFactory()
    owner = user_with("sales")
    customer = CustomerFactory(agent=agency, tier="retail")
    comm = register_communication(owner, customer)
    from serviceloop.core.models import Department

    dept = Department.objects.get(code="technical")
    from serviceloop.communications.services import communication_route

    routing = communication_route(actor=owner, communication=comm, departments=[dept])[0]
    return {
        "agency": agency,
        "customer": customer,
        "contact": ContactFactory(customer=customer),
        "agreement": AgreementFactory(customer=customer),
        "comm": comm,
        "routing": routing,
        "dept": dept,
        "owner": owner,
    }


def _now(**delta):
    return (timezone.now() + timedelta(**delta)).isoformat()


# (method, OpenAPI path) -> (action or None for "any signed-in user", request builder)
API = {
    ("get", "/api/v1/me/"): (None, lambda w: None),
    ("get", "/api/v1/me/work"): (None, lambda w: None),
    ("get", "/api/v1/customers/"): ("customer.view", lambda w: None),
    ("post", "/api/v1/customers/"): (
        "customer.create",
        lambda w: {"code": "NEW1", "name": "新客户", "tier": "retail"},
    ),
    ("get", "/api/v1/customers/{customer_id}"): ("customer.view", lambda w: None),
    ("patch", "/api/v1/customers/{customer_id}"): ("customer.change", lambda w: {"city": "武汉"}),
    ("post", "/api/v1/customers/{customer_id}/contacts"): (
        "customer.change",
        lambda w: {"name": "钱华"},
    ),
    ("get", "/api/v1/service-agreements/"): ("agreement.view", lambda w: None),
    ("post", "/api/v1/service-agreements/"): (
        "agreement.change",
        lambda w: {
            "customer": w["customer"].pk,
            "valid_from": "2020-01-01",
            "valid_to": "2020-12-31",
        },
    ),
    ("get", "/api/v1/service-agreements/{agreement_id}"): ("agreement.view", lambda w: None),
    ("patch", "/api/v1/service-agreements/{agreement_id}"): (
        "agreement.change",
        lambda w: {"notes": "n"},
    ),
    ("get", "/api/v1/communications/"): ("communication.view", lambda w: None),
    ("post", "/api/v1/communications/"): (
        "communication.create",
        lambda w: {
            "customer": w["customer"].pk,
            "channel": "call",
            "received_at": _now(),
            "subject": "s",
            "body": "b",
        },
    ),
    ("get", "/api/v1/communications/{comm_id}"): ("communication.view", lambda w: None),
    ("patch", "/api/v1/communications/{comm_id}"): (
        "communication.change",
        lambda w: {"subject": "新主题"},
    ),
    ("post", "/api/v1/communications/{comm_id}/answer"): (
        "communication.respond",
        lambda w: {"text": "t"},
    ),
    ("post", "/api/v1/communications/{comm_id}/feedback"): (
        "communication.respond",
        lambda w: {"text": "t"},
    ),
    ("post", "/api/v1/communications/{comm_id}/extend"): (
        "communication.extend",
        lambda w: {
            "new_due": (w["comm"].feedback_due_at + timedelta(days=2)).isoformat(),
            "reason": "r",
        },
    ),
    ("post", "/api/v1/communications/{comm_id}/route"): (
        "communication.route",
        lambda w: {"departments": [w["dept"].pk]},
    ),
    ("post", "/api/v1/communications/{comm_id}/flag-major"): (
        "communication.change",
        lambda w: {"reason": "r"},
    ),
    ("post", "/api/v1/communications/routings/{routing_id}/respond"): (
        "communication.respond",
        lambda w: {"text": "t"},
    ),
}
PUBLIC_API = {("post", "/api/v1/auth/token")}


def _fill(path, w):
    return (
        path.replace("{customer_id}", str(w["customer"].pk))
        .replace("{agreement_id}", str(w["agreement"].pk))
        .replace("{comm_id}", str(w["comm"].pk))
        .replace("{routing_id}", str(w["routing"].pk))
    )


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    assert operations == set(API) | PUBLIC_API


def test_every_action_is_used():
    used = {a for a, _ in API.values()} | {a for a, *_ in UI.values()} | set(EXPORTS.values())
    assert set(ACTIONS) == used - {None}


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(world, role):
    kwargs = {"agent": world["agency"]} if role == "agent" else {}
    client = ApiClient(user_with(role, **kwargs))
    for (method, path), (action, build) in API.items():
        allowed = action is None or role in ACTIONS[action] or role == "admin"
        body = build(world)
        url = _fill(path, world)
        r = getattr(client, method)(url, body) if body is not None else client.get(url)
        if allowed:
            assert r.status_code not in (401, 403), (role, method, path, r.content)
            assert r.status_code < 500, (role, method, path)
        else:
            assert r.status_code == 403, (role, method, path, r.status_code)


def test_api_without_credentials_is_401(world):
    client = ApiClient()
    for (method, path), (_, build) in API.items():
        body = build(world)
        url = _fill(path, world)
        r = getattr(client, method)(url, body) if body is not None else client.get(url)
        assert r.status_code == 401, (method, path)
    bad = ApiClient()
    bad.headers = {"Authorization": "Bearer not-a-token"}
    assert bad.get("customers/").status_code == 401


# URL name -> (action or None, method, args builder)
UI = {
    "core:home": (None, "get", lambda w: []),
    "core:my_work": (None, "get", lambda w: []),
    "core:notifications": (None, "get", lambda w: []),
    "core:notifications_read": (None, "post", lambda w: []),
    "core:audit": ("audit.view", "get", lambda w: []),
    "core:profile": (None, "get", lambda w: []),
    "customers:list": ("customer.view", "get", lambda w: []),
    "customers:create": ("customer.create", "get", lambda w: []),
    "customers:detail": ("customer.view", "get", lambda w: [w["customer"].pk]),
    "customers:edit": ("customer.change", "get", lambda w: [w["customer"].pk]),
    "customers:contact_create": ("customer.change", "get", lambda w: [w["customer"].pk]),
    "customers:contact_edit": ("customer.change", "get", lambda w: [w["contact"].pk]),
    "customers:agreement_list": ("agreement.view", "get", lambda w: []),
    "customers:agreement_create": ("agreement.change", "get", lambda w: [w["customer"].pk]),
    "customers:agreement_edit": ("agreement.change", "get", lambda w: [w["agreement"].pk]),
    "communications:list": ("communication.view", "get", lambda w: []),
    "communications:create": ("communication.create", "get", lambda w: []),
    "communications:detail": ("communication.view", "get", lambda w: [w["comm"].pk]),
    "communications:edit": ("communication.change", "get", lambda w: [w["comm"].pk]),
    "communications:answer": ("communication.respond", "post", lambda w: [w["comm"].pk]),
    "communications:feedback": ("communication.respond", "post", lambda w: [w["comm"].pk]),
    "communications:extend": ("communication.extend", "post", lambda w: [w["comm"].pk]),
    "communications:route": ("communication.route", "post", lambda w: [w["comm"].pk]),
    "communications:flag_major": ("communication.change", "post", lambda w: [w["comm"].pk]),
    "communications:respond": ("communication.respond", "post", lambda w: [w["routing"].pk]),
}
EXPORTS = {"customers:list": "customer.export", "communications:list": "communication.export"}


def _app_url_names():
    names = set()
    for ns in ("core", "customers", "communications"):
        resolver = next(
            p
            for p in get_resolver().url_patterns
            if isinstance(p, URLResolver) and p.namespace == ns
        )
        names |= {f"{ns}:{p.name}" for p in resolver.url_patterns if isinstance(p, URLPattern)}
    return names


def test_every_page_is_in_the_matrix():
    assert _app_url_names() == set(UI)


@pytest.mark.parametrize("role", ROLES)
def test_ui_matrix(world, role):
    from django.urls import reverse

    kwargs = {"agent": world["agency"]} if role == "agent" else {}
    client = Client()
    client.force_login(user_with(role, **kwargs))
    for name, (action, method, args) in UI.items():
        allowed = action is None or role in ACTIONS[action] or role == "admin"
        url = reverse(name, args=args(world))
        r = getattr(client, method)(url)
        if allowed:
            assert r.status_code in (200, 302, 400), (role, name, r.status_code)
        else:
            assert r.status_code == 403, (role, name, r.status_code)
    for name, action in EXPORTS.items():
        r = client.get(reverse(name), {"export": "xlsx"})
        expected = 200 if role in ACTIONS[action] else 403
        assert r.status_code == expected, (role, name)


def test_pages_need_a_login(world):
    from django.urls import reverse

    client = Client()
    for name, (_, method, args) in UI.items():
        r = getattr(client, method)(reverse(name, args=args(world)))
        assert r.status_code == 302 and "/login/" in r["Location"], name
