"""core.actions: one declared action makes the page view and the API endpoint."""

import enum
import inspect

import pytest
from ninja import Router, Schema

from serviceloop.core.actions import Action, api_actions, api_data, page_action, service_call


class Colour(enum.StrEnum):
    RED = "red"


class ColourIn(Schema):
    colour: Colour | None = None
    note: str = ""


PAINT = Action(
    "paint",
    permission="warranty.change",
    schema=ColourIn,
    call=lambda actor, obj, d: (actor, obj, d),
)


def test_api_data_gives_enum_values_and_empty_without_body():
    assert api_data(ColourIn(colour=Colour.RED, note="x")) == {"colour": "red", "note": "x"}
    assert type(api_data(ColourIn(colour=Colour.RED))["colour"]) is str
    assert api_data(None) == {}


def test_api_endpoint_has_the_hand_written_signature_name_and_path():
    router = Router()
    post = api_actions(
        router, "some.app.api", get=lambda u, pk: pk, path="/{int:thing_id}", response=ColourIn
    )
    endpoint = post(PAINT, name="paint_thing")
    assert endpoint.__name__ == "paint_thing"
    assert endpoint.__module__ == "some.app.api"
    assert list(inspect.signature(endpoint).parameters) == ["request", "thing_id", "data"]
    assert inspect.signature(endpoint).parameters["data"].annotation is ColourIn
    paths = list(router.path_operations)
    assert paths == ["/{int:thing_id}/paint"]
    assert router.path_operations[paths[0]].operations[0].methods == ["POST"]


def test_an_action_path_names_one_record():
    with pytest.raises(ValueError):
        api_actions(Router(), __name__, get=lambda u, pk: pk, path="/{a}/{b}", response=None)


def test_a_page_action_needs_a_form():
    with pytest.raises(TypeError):
        page_action(lambda u, pk: pk, lambda *a: None, PAINT)


def test_service_call_hands_the_fields_to_the_service_by_name():
    def approve(*, actor, sample, department):
        return (actor, sample, department)

    call = service_call(approve, "sample")
    assert call("u", "s", {"department": "rnd"}) == ("u", "s", "rnd")


def test_an_action_without_a_permission_leaves_the_check_to_its_service():
    action = Action("read", "", call=lambda actor, obj, d: (actor, obj, d))
    assert action.run(None, 1, {}) == (None, 1, {})  # no require() on an anonymous actor


def test_more_path_parameters_reach_the_call_and_answer_shapes_the_body():
    router = Router()
    seen = {}
    reopen = Action(
        "reopen", "", schema=ColourIn, call=lambda actor, obj, d: seen.update(obj=obj, **d)
    )
    post = api_actions(router, "m", get=lambda u, pk: pk, path="/{int:thing_id}", response=dict)
    endpoint = post(reopen, "parts/{code}/reopen", name="reopen_part", answer=lambda o, r: [o])
    params = inspect.signature(endpoint).parameters
    assert list(params) == ["request", "thing_id", "code", "data"]
    assert params["code"].annotation is str
    assert list(router.path_operations) == ["/{int:thing_id}/parts/{code}/reopen"]

    class Request:
        auth = None
        user = object()

    assert endpoint(Request(), thing_id=7, code="d2", data=ColourIn(note="x")) == [7]
    assert seen == {"obj": 7, "code": "d2", "colour": None, "note": "x"}
