"""The OpenAPI document is true (issue 9, finding 7): each schema name is defined once."""

from collections import defaultdict

from ninja import Schema

from config.api import api


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_schema_names_are_unique():
    components = set(api.get_openapi_schema()["components"]["schemas"])
    defined = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith(("serviceloop.", "config.")):
            defined[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {
        name: where for name, where in defined.items() if name in components and len(where) > 1
    }
    assert clashes == {}


def test_escalation_notes_documents_its_own_body():
    doc = api.get_openapi_schema()
    notes = next(
        op["post"]
        for path, op in doc["paths"].items()
        if path.endswith("/notes") and "escalation" in path
    )
    ref = notes["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/EscalationNoteIn")


def _operations(doc):
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_operation_documents_its_error_answers(client):
    doc = client.get("/api/v1/openapi.json").json()
    missing = {}
    for path, method, operation in _operations(doc):
        codes = set(operation["responses"])
        want = {"422"}
        if operation.get("security") or path.endswith("/auth/token"):
            want.add("401")
        if operation.get("security"):
            want.add("403")
        if "{" in path:
            want.add("404")
        if method != "get":
            want.add("413")
        if want - codes:
            missing[f"{method.upper()} {path}"] = sorted(want - codes)
    assert missing == {}
    assert len(list(_operations(doc))) > 200


def test_error_answers_share_one_schema_of_the_real_shape(client):
    doc = client.get("/api/v1/openapi.json").json()
    error = doc["components"]["schemas"]["ApiError"]
    assert error["required"] == ["detail"]
    customer = doc["paths"]["/api/v1/customers/{customer_id}"]["get"]["responses"]
    for code in ("401", "403", "404", "422"):
        schema = customer[code]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ApiError"}
    token = doc["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"401", "413", "422", "429"} <= set(token)
