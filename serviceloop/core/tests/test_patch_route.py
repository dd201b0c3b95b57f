"""core.api_read.patch_route: a PATCH hands the service only the fields the caller sent."""

import inspect

from ninja import Router, Schema

from serviceloop.core.api_read import patch_route


class ThingPatch(Schema):
    reason: str | None = None  # a field of the record here, not the audit reason
    note: str | None = None


class Thing:
    pk = 3


def test_only_the_fields_sent_reach_the_service():
    seen = []
    router = Router()
    view = patch_route(
        router,
        ThingPatch,
        "some.app.api",
        "update_thing",
        "thing_id",
        lambda user, pk: Thing(),
        ThingPatch,
        lambda **kw: seen.append(kw) or "done",
        "thing",
    )
    assert view.__name__ == "update_thing" and view.__module__ == "some.app.api"
    assert list(inspect.signature(view).parameters) == ["request", "thing_id", "data"]
    assert list(router.path_operations) == ["/{int:thing_id}"]

    class Request:
        auth = "user"

    data = ThingPatch.model_validate({"note": "x"})
    assert view(Request(), thing_id=3, data=data) == "done"
    assert seen[0]["note"] == "x" and "reason" not in seen[0]
    assert seen[0]["actor"] == "user" and isinstance(seen[0]["thing"], Thing)
