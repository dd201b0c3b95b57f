"""The UI language follows the signed-in user's stored choice (`User.language`), then the
language cookie, then the company default (Simplified Chinese)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from serviceloop.core.testing.factories import user_with

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture(autouse=True)
def zh_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _page(client, path="/my-work/") -> str:
    r = client.get(path)
    assert r.status_code == 200
    return r.content.decode()


def test_stored_english_wins_without_a_cookie():
    user = user_with("sales")
    get_user_model().objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    assert COOKIE not in client.cookies
    body = _page(client)
    assert "My work" in body and "我的待办" not in body


def test_stored_language_wins_over_the_cookie():
    user = user_with("sales")
    get_user_model().objects.filter(pk=user.pk).update(language="zh-hans")
    client = Client()
    client.cookies[COOKIE] = "en"
    client.force_login(user)
    assert "我的待办" in _page(client)


def test_no_stored_language_follows_the_cookie_then_the_default():
    client = Client()
    client.force_login(user_with("sales"))
    assert "我的待办" in _page(client)
    client.cookies[COOKIE] = "en"
    assert "My work" in _page(client)


def test_switch_persists_on_the_user_and_the_cookie():
    user = user_with("sales")
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/my-work/"})
    user.refresh_from_db()
    assert user.language == "en" and client.cookies[COOKIE].value == "en"
    # A new browser (no cookie) of the same user is in English too.
    other = Client()
    other.force_login(user)
    assert "My work" in _page(other)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/my-work/"})
    user.refresh_from_db()
    assert user.language == "zh-hans" and client.cookies[COOKIE].value == "zh-hans"
    assert "我的待办" in _page(client) and "我的待办" in _page(other)


def test_anonymous_login_page_is_chinese_by_default():
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    body = _page(client, "/login/")
    assert "登录" in body and "Log in" not in body
    client.cookies[COOKIE] = "en"
    assert "Log in" in _page(client, "/login/")


def test_content_language_header_names_the_users_language():
    user = user_with("sales")
    get_user_model().objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    assert client.get("/my-work/").headers["Content-Language"] == "en"
