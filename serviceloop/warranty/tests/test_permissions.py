"""This app's rows of the permission matrix, for every role (the same checks as
core/tests/test_permission_matrix.py, limited to warranty so they run while other apps are
being built): allowed roles are never refused, others get 403; pages need a login."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ApiClient
from serviceloop.core.permissions import ACTIONS
from serviceloop.core.roles import RoleCode
from serviceloop.core.testing.factories import AgentFactory, user_with
from serviceloop.customers.tests import matrix as customers_matrix
from serviceloop.warranty.tests import matrix

pytestmark = pytest.mark.django_db
ROLES = list(RoleCode.values)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = {"agency": AgentFactory()}
    customers_matrix.build(w)
    matrix.build(w)
    return w


def _allowed(role, action):
    return action is None or role in ACTIONS[action] or role == "admin"


def _user(role, w):
    return user_with(role, **({"agent": w["agency"]} if role == "agent" else {}))


def _fill(path, w):
    import re

    return re.sub(r"\{(\w+)\}", lambda m: str(w[m.group(1)]), path)


def test_every_warranty_action_is_in_the_matrix():
    used = {a for a, _ in matrix.API.values()} | {a for a, *_ in matrix.UI.values()}
    used |= set(matrix.EXPORTS.values())
    assert {a for a in ACTIONS if a.startswith("warranty.")} == used


@pytest.mark.parametrize("role", ROLES)
def test_api_rows(world, role):
    client = ApiClient(_user(role, world))
    for (method, path), (action, build) in matrix.API.items():
        body = build(world)
        url = _fill(path, world)
        r = getattr(client, method)(url, body) if body is not None else client.get(url)
        if _allowed(role, action):
            assert r.status_code not in (401, 403), (role, method, path, r.content)
            assert r.status_code < 500, (role, method, path)
        else:
            assert r.status_code == 403, (role, method, path, r.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_ui_rows(world, role):
    client = Client()
    client.force_login(_user(role, world))
    for name, (action, method, args) in matrix.UI.items():
        r = getattr(client, method)(reverse(name, args=args(world)))
        if _allowed(role, action):
            assert r.status_code in (200, 302, 400), (role, name, r.status_code)
        else:
            assert r.status_code == 403, (role, name, r.status_code)
    for name, action in matrix.EXPORTS.items():
        r = client.get(reverse(name), {"export": "xlsx"})
        assert r.status_code == (200 if _allowed(role, action) else 403), (role, name)


def test_without_credentials(world):
    client = ApiClient()
    for (method, path), (_, build) in matrix.API.items():
        body = build(world)
        url = _fill(path, world)
        r = getattr(client, method)(url, body) if body is not None else client.get(url)
        assert r.status_code == 401, (method, path)
    browser = Client()
    for name, (_, method, args) in matrix.UI.items():
        r = getattr(browser, method)(reverse(name, args=args(world)))
        assert r.status_code == 302 and "/login/" in r["Location"], name


def test_every_warranty_endpoint_is_in_the_matrix():
    from django.urls import URLPattern

    from config.api import api
    from serviceloop.warranty import urls

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {(m, p) for p, ops in schema["paths"].items() if "/warranty-" in p for m in ops}
    assert operations == set(matrix.API)
    pages = {f"warranty:{p.name}" for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert pages == set(matrix.UI)
