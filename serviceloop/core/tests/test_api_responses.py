"""Every API answer is what the OpenAPI document says (issue 9, "the OpenAPI document is
true"): the permission-matrix world is walked through every operation as several roles and
without credentials, and each answer's status must be documented for that operation and its
JSON body must validate against the documented schema."""

import json

import jsonschema_rs
import pytest

from conftest import ApiClient
from serviceloop.core.tests.test_permission_matrix import (  # noqa: F401
    API,
    _fill,
    _no_pdf_layout,
    _user,
    world,
)

pytestmark = [pytest.mark.django_db, pytest.mark.db_independent]
# The roles that reach the most: everything, the quality office, an outside agency, and a
# role allowed little (most answers 403).
ROLES = ["admin", "quality", "agent", "warehouse", None]


@pytest.fixture(scope="module")
def document():
    from config.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def _validator(doc, schema):
    return jsonschema_rs.validator_for({"allOf": [schema], "components": doc["components"]})


def problems(doc, method, path, response):
    """What is wrong with one answer, as text (an empty list when it is as documented)."""
    where = f"{method.upper()} {path} -> {response.status_code}"
    operation = doc["paths"][path][method]
    documented = operation["responses"].get(
        response.status_code, operation["responses"].get(str(response.status_code))
    )
    if documented is None:
        return [f"{where}: status not documented ({sorted(map(str, operation['responses']))})"]
    if response.status_code == 204 or not response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return []
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return [f"{where}: JSON answer, no JSON schema documented"]
    body = json.loads(response.content)
    return [
        f"{where}: {e.message} at {list(e.instance_path)}"
        for e in _validator(doc, schema).iter_errors(body)
    ][:3]


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_is_as_documented(world, document, role):  # noqa: F811
    client = ApiClient(_user(role, world) if role else None)
    found = []
    for (method, path), (_, build) in API.items():
        body = build(world)
        url = _fill(path, world, (method, path))
        r = getattr(client, method)(url, body) if body is not None else client.get(url)
        found += problems(document, method, path, r)
    assert found == [], "\n".join(found)


def test_a_wrong_answer_is_caught(document):
    """The check itself: an undocumented status and a body of the wrong shape are reported."""
    from django.http import JsonResponse

    path = "/api/v1/customers/{customer_id}"
    assert problems(document, "get", path, JsonResponse({"detail": "x"}, status=404)) == []
    assert problems(document, "get", path, JsonResponse({"detail": "x"}, status=418))
    assert problems(document, "get", path, JsonResponse({"id": "not a number"}, status=200))
    assert problems(document, "get", path, JsonResponse({"nodetail": 1}, status=403))
