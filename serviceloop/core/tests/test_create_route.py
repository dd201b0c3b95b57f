"""core.api_read.create_route: a POST hands the body's fields to the service and answers 201."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from serviceloop.core.api_read import create_route


class ThingIn(Schema):
    name: str
    owner: int | None = None


class Request:
    auth = "user"


def test_the_body_reaches_the_service_and_the_answer_is_201():
    seen = []
    router = Router()
    view = create_route(
        router,
        ThingIn,
        "some.app.api",
        "create_thing",
        ThingIn,
        lambda **kw: seen.append(kw) or "made",
        api_in=lambda fields: {**fields, "owner": f"user {fields['owner']}"},
        doc="Make a thing.",
    )
    assert view.__name__ == "create_thing" and view.__module__ == "some.app.api"
    assert view.__doc__ == "Make a thing."
    assert list(inspect.signature(view).parameters) == ["request", "data"]
    assert list(router.path_operations) == ["/"]

    answer = view(Request(), data=ThingIn.model_validate({"name": "x", "owner": 4}))
    assert (answer.status_code, answer.value) == (201, "made")
    assert seen == [{"actor": "user", "name": "x", "owner": "user 4"}]


def test_the_permission_is_checked_before_the_service(monkeypatch):
    from serviceloop.core import permissions

    def deny(user, action):
        assert action == "thing.create"
        raise PermissionDenied

    monkeypatch.setattr(permissions, "require", deny)
    called = []
    view = create_route(
        Router(),
        ThingIn,
        "some.app.api",
        "create_thing",
        ThingIn,
        lambda **kw: called.append(kw),
        permission="thing.create",
    )
    with pytest.raises(PermissionDenied):
        view(Request(), data=ThingIn.model_validate({"name": "x"}))
    assert called == []
