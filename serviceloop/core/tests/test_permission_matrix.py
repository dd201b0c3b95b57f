"""Every endpoint × every role (design rule 4): the API and the UI ask the same permission
table (core/permissions.py). Each app lists its endpoints in `<app>/tests/matrix.py`; an
endpoint missing there fails `test_every_*_is_in_the_matrix`.

An allowed call declared in the app's `EXPECT` (API: (method, path) -> status) or
`UI_EXPECT` (pages: URL name -> status) must answer exactly that status: the operation's
success (a create's 201) or the validation the matrix world triggers (422, 409, 400, 302 …);
a value may be a dict {role: status, "*": status} when the roles meet different rules. An
allowed call not (yet) declared only has to be neither refused nor a server error."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from conftest import ApiClient
from serviceloop.core.permissions import ACTIONS
from serviceloop.core.roles import RoleCode
from serviceloop.core.testing.factories import AgentFactory, user_with

pytestmark = pytest.mark.django_db
ROLES = list(RoleCode.values)


def _matrix_modules():
    mods = []
    for cfg in apps.get_app_configs():
        if cfg.name.startswith("serviceloop."):
            try:
                mods.append(importlib.import_module(f"{cfg.name}.tests.matrix"))
            except ModuleNotFoundError:
                continue
    return mods


MODULES = _matrix_modules()
API = {k: v for m in MODULES for k, v in m.API.items()}
PUBLIC_API = set().union(*(getattr(m, "PUBLIC_API", set()) for m in MODULES))
UI = {k: v for m in MODULES for k, v in m.UI.items()}
EXPORTS = {k: v for m in MODULES for k, v in getattr(m, "EXPORTS", {}).items()}
EXPECT = {k: v for m in MODULES for k, v in getattr(m, "EXPECT", {}).items()}
UI_EXPECT = {k: v for m in MODULES for k, v in getattr(m, "UI_EXPECT", {}).items()}


def _expected(table, key, role):
    want = table.get(key)
    return want.get(role, want["*"]) if isinstance(want, dict) else want


def build_world() -> dict:
    """One record of each kind, served by one agency, so agents can see them too."""
    w = {"agency": AgentFactory()}
    for m in MODULES:
        before = dict(w)
        m.build(w)
        clobbered = [k for k in before if w[k] is not before[k]]
        assert not clobbered, f"{m.__name__} overwrote world keys {clobbered}; name them apart"
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once per test module inside a transaction that is rolled back after
    the module's last test. Each test runs in its own savepoint inside it (pytest-django's `db`),
    so what one role's requests change is gone before the next role's test starts."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            w = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield w
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


class _NoLayout:
    """Stands in for WeasyPrint's layout in the matrix: the document's HTML is still rendered
    (a template error still fails), the page layout is not; the documents' own tests read the
    real PDFs."""

    pages: list = []

    def __init__(self, html: str) -> None:
        self.html = html

    def render(self) -> "_NoLayout":
        return self

    def copy(self, pages: list) -> "_NoLayout":
        return self

    def write_pdf(self) -> bytes:
        return b"%PDF-1.7\n% layout skipped by the permission matrix\n%%EOF\n"


@pytest.fixture(autouse=True, scope="module")
def _no_pdf_layout():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("serviceloop.core.documents._html", _NoLayout)
        yield


# Each API path -> the world-key aliases of the app that declared it; an app's `KEY_ALIASES`
# ({(method, path): {placeholder: world key}}) points one call at a record of its own, in the
# state that call starts from (a transition the world or an earlier call already made would
# otherwise answer 422).
ALIASES = {
    k: {**getattr(m, "ALIASES", {}), **getattr(m, "KEY_ALIASES", {}).get(k, {})}
    for m in MODULES
    for k in m.API
}


def _fill(path, w, key=None):
    aliases = ALIASES.get(key, {}) if key else {}
    return re.sub(r"\{(\w+)\}", lambda m: str(w[aliases.get(m.group(1), m.group(1))]), path)


def _allowed(role, action):
    return action is None or role in ACTIONS[action] or role == "admin"


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {(m, p) for p, ops in schema["paths"].items() for m in ops}
    assert operations == set(API) | PUBLIC_API


def test_every_action_is_used():
    used = {a for a, _ in API.values()} | {a for a, *_ in UI.values()} | set(EXPORTS.values())
    assert set(ACTIONS) == used - {None}


def _app_url_names():
    names = set()
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace and p.namespace not in {"api", "admin"}:
            names |= {
                f"{p.namespace}:{q.name}" for q in p.url_patterns if isinstance(q, URLPattern)
            }
    return names


def test_every_page_is_in_the_matrix():
    assert _app_url_names() == set(UI)


def _user(role, w):
    return user_with(role, **({"agent": w["agency"]} if role == "agent" else {}))


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(world, role):
    client = ApiClient(_user(role, world))
    for (method, path), (action, build) in API.items():
        body = build(world)
        url = _fill(path, world, (method, path))
        r = getattr(client, method)(url, body) if body is not None else client.get(url)
        if _allowed(role, action):
            want = _expected(EXPECT, (method, path), role)
            assert r.status_code not in (401, 403), (role, method, path, r.content)
            assert r.status_code < 500, (role, method, path)
            assert want is None or r.status_code == want, (role, method, path, r.content[:300])
        else:
            assert r.status_code == 403, (role, method, path, r.status_code)


def test_api_without_credentials_is_401(world):
    client = ApiClient()
    for (method, path), (_, build) in API.items():
        body = build(world)
        url = _fill(path, world, (method, path))
        r = getattr(client, method)(url, body) if body is not None else client.get(url)
        assert r.status_code == 401, (method, path)
    bad = ApiClient()
    bad.headers = {"Authorization": "Bearer not-a-token"}
    assert bad.get("customers/").status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_ui_matrix(world, role):
    client = Client()
    client.force_login(_user(role, world))
    for name, (action, method, args) in UI.items():
        r = getattr(client, method)(reverse(name, args=args(world)))
        if _allowed(role, action):
            want = _expected(UI_EXPECT, name, role)
            # A record only its owner may see answers the expected 404 to the others.
            assert r.status_code in (200, 302, 400) or r.status_code == want == 404, (
                role,
                name,
                r.status_code,
            )
            assert want is None or r.status_code == want, (role, name, r.status_code)
        else:
            assert r.status_code == 403, (role, name, r.status_code)
    for name, action in EXPORTS.items():
        r = client.get(reverse(name), {"export": "xlsx"})
        assert r.status_code == (200 if _allowed(role, action) else 403), (role, name)


def test_pages_need_a_login(world):
    client = Client()
    for name, (_, method, args) in UI.items():
        r = getattr(client, method)(reverse(name, args=args(world)))
        assert r.status_code == 302 and "/login/" in r["Location"], name


def _customer_ids(item):
    for key in ("customer", "customer_id"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("id")
        if value is not None:
            yield value


def test_an_agent_without_an_agency_sees_no_customer(world):
    """An agent login not tied to an agency: every list it may read leaves out the world's
    customer (and the customers without an agency), every record of that customer is a 404."""
    from serviceloop.core.testing.factories import CustomerFactory

    CustomerFactory(tier="retail")  # a customer without an agency must stay out of sight too
    client = ApiClient(user_with("agent", agent=None))
    assert client.get("customers/").json()["count"] == 0
    assert client.get(f"customers/{world['customer'].pk}").status_code == 404
    for (method, path), (action, _build) in API.items():
        if method != "get" or not _allowed("agent", action):
            continue
        r = client.get(_fill(path, world, (method, path)))
        assert r.status_code in (200, 404), (path, r.status_code)
        if r.status_code == 200 and "items" in (body := r.json()):
            seen = {c for item in body["items"] for c in _customer_ids(item)}
            assert world["customer"].pk not in seen, path


# Object routes an agent may reach whatever the agency: records that belong to no customer.
NOT_A_CUSTOMERS_RECORD = {
    ("get", "/api/v1/parts/{spare_part_id}"),  # the spare-parts catalogue
}


def test_another_agencys_agent_gets_404_for_every_record(world):
    """An agent of another agency names the world's records by their ids: each object route
    it may use at all (API, pages, htmx fragments, downloads) answers 404, as if the record did
    not exist; those it may not use answer 403 or, where the record is looked up first, 404
    (neither tells whether the record exists)."""
    other = user_with("agent", agent=AgentFactory())
    api_client = ApiClient(other)
    seen = []
    for (method, path), (action, build) in API.items():
        if "{" not in path or (method, path) in NOT_A_CUSTOMERS_RECORD:
            continue
        body = build(world)
        url = _fill(path, world, (method, path))
        r = getattr(api_client, method)(url, body) if body is not None else api_client.get(url)
        want = {404} if _allowed("agent", action) else {403, 404}
        if r.status_code not in want:
            seen.append((method, path, r.status_code))
    client = Client()
    client.force_login(other)
    for name, (action, method, args) in UI.items():
        if not args(world) or name in NOT_A_CUSTOMERS_RECORD:
            continue
        r = getattr(client, method)(reverse(name, args=args(world)))
        want = {404} if _allowed("agent", action) else {403, 404}
        if r.status_code not in want:
            seen.append((method, name, r.status_code))
    # Exports are lists: the other agency's agent gets its own rows only, none of the world's.
    customer = world["customer"]
    for name, action in EXPORTS.items():
        if not _allowed("agent", action):
            continue
        r = client.get(reverse(name), {"export": "xlsx"})
        if r.status_code != 200 or _xlsx_mentions(r, {customer.code, customer.name}):
            seen.append(("export", name, r.status_code))
    assert seen == [], "\n".join(map(str, seen))


def _xlsx_mentions(response, words: set) -> bool:
    import io

    from openpyxl import load_workbook

    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(content), read_only=True)
    return any(
        any(w in str(v) for w in words)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
