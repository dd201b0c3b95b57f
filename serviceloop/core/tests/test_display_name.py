"""A person is named as the reader expects (issue 10): "张三" for a Chinese name (family
name first, no space), "John Smith" for a Latin one, the same on pages, in the history and
in the API."""

import pytest
from django.template import Context, Template

from serviceloop.core.audit import audit_create
from serviceloop.core.history import person
from serviceloop.core.people import display_name, full_name
from serviceloop.core.testing.factories import CustomerFactory, user_with

pytestmark = pytest.mark.django_db


def test_full_name_order():
    assert full_name("三", "张") == "张三"
    assert full_name("小明", "欧阳") == "欧阳小明"
    assert full_name("John", "Smith") == "John Smith"
    assert full_name("", "Smith") == "Smith"
    assert full_name("", "") == ""


def _named(first, last):
    u = user_with("sales", display_name="")
    u.first_name, u.last_name = first, last
    u.save()
    return u


def test_one_name_everywhere(api_as):
    u = _named("三", "张")
    assert str(u) == display_name(u) == u.get_full_name() == person(u) == "张三"
    tpl = Template("{% load serviceloop %}{{ u|person }}")
    assert tpl.render(Context({"u": u})) == "张三"
    assert api_as(u).get("me/").json()["display_name"] == "张三"
    latin = _named("John", "Smith")
    assert str(latin) == "John Smith"
    given = user_with("sales", display_name="王工")
    assert display_name(given) == "王工"
    login_only = _named("", "")
    assert display_name(login_only) == login_only.username


def test_history_names_the_actor():
    from serviceloop.core.history import actor_text
    from serviceloop.core.models import AuditEntry

    u = _named("三", "张")
    customer = CustomerFactory()
    audit_create(actor=u, obj=customer)
    entry = AuditEntry.objects.filter(actor=u).latest("pk")
    assert actor_text(entry) == "张三"
