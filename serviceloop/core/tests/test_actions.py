"""core.actions: one declared action makes the page view and the API endpoint."""

import enum
import inspect

import pytest
from ninja import Router, Schema

from serviceloop.core.actions import Action, api_actions, api_data, page_action


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
