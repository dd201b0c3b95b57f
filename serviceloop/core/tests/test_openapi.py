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
