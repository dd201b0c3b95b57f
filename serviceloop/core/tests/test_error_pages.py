"""403/404/500 pages in the product's style and language (issue 10, item 10)."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from serviceloop.core.testing.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def zh(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_403_and_404_are_chinese_pages_of_the_product(zh):
    client = Client()
    client.force_login(user_with("sales"))
    r = client.get("/settings/company/")
    body = r.content.decode()
    assert r.status_code == 403 and "无权访问" in body and 'class="top"' in body
    assert "403 Forbidden" not in body and "/my-work/" in body
    r = client.get("/complaints/999999/")
    body = r.content.decode()
    assert r.status_code == 404 and "页面不存在" in body and 'class="top"' in body


def test_500_page_renders_without_a_request_context(zh):
    from django.utils import translation

    with translation.override("zh-hans"):
        r = server_error(RequestFactory().get("/"))
    body = r.content.decode()
    assert r.status_code == 500 and "系统出错" in body and "app.css" in body


def test_links_the_user_may_not_follow_are_hidden(zh):
    client = Client()
    client.force_login(user_with("sales"))
    assert "/settings/company/" not in client.get("/my-work/").content.decode()
    client.force_login(user_with("admin"))
    assert "/settings/company/" in client.get("/my-work/").content.decode()
