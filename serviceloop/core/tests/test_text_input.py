"""Control characters are refused everywhere, before anything is stored (issue 9, finding 3).
Runs on SQLite and PostgreSQL (where NUL used to be a 500)."""

import json

import pytest
from django.test import Client

from serviceloop.core.models import ApiToken
from serviceloop.core.testing.factories import CustomerFactory, UserFactory, user_with
from serviceloop.core.text_input import has_control_characters
from serviceloop.customers.models import Customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb", "\x7f", "a\x0bb", "\ud800"])
def test_control_characters_found(text):
    assert has_control_characters(text)


@pytest.mark.parametrize("text", ["长江\t汽车", "line 1\r\nline 2", "plain", "é ß 中"])
def test_tab_and_newlines_allowed(text):
    assert not has_control_characters(text)


def test_api_create_refuses_nul_naming_the_field(sales_api):
    r = sales_api.post("customers/", {"code": "C1", "name": "a\x00b", "tier": "retail"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "name"]
    assert r.json()["detail"][0]["field"] == "name"
    assert not Customer.objects.exists()


def test_api_nested_field_is_named(sales_api):
    r = sales_api.post(
        "customers/",
        {"code": "C1", "name": "x", "tier": "retail", "contacts": [{"name": "赵\x01明"}]},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "contacts", 0, "name"]
    assert not Customer.objects.exists()


def test_api_long_text_keeps_tab_and_newline(sales_api):
    r = sales_api.post(
        "customers/",
        {"code": "C1", "name": "x", "tier": "retail", "mailing_address": "a\tb\r\nc"},
    )
    assert r.status_code == 201, r.content


def test_api_search_parameter_refused(sales_api):
    CustomerFactory()
    r = sales_api.get("customers/", {"q": "a\x00"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "q"]


def test_unauthenticated_token_endpoint_refuses_nul():
    UserFactory(username="alice")
    r = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": "ali\x00ce", "password": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "username"
    assert not ApiToken.objects.exists()


def test_page_form_refuses_control_characters_naming_the_field():
    client = Client()
    client.force_login(user_with("sales"))
    r = client.post("/customers/new/", {"code": "C1", "name": "a\x00b", "tier": "retail"})
    assert r.status_code == 422
    assert b"name" in r.content
    assert not Customer.objects.exists()


def test_page_search_and_login_refuse_nul():
    client = Client()
    assert client.post("/login/", {"username": "a\x00", "password": "x"}).status_code == 422
    client.force_login(user_with("sales"))
    assert client.get("/customers/", {"q": "\x00"}).status_code == 422


def test_large_json_body_is_a_json_error(sales_api):
    r = sales_api.post("customers/", {"code": "C1", "name": "x" * (10 * 1024 * 1024)})
    assert 400 <= r.status_code < 500
    assert "detail" in r.json()
