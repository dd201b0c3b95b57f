"""Issue 10, item 10: a page shows no link or button its reader may not use. Every page of
the matrix (lists and detail pages) is rendered as each main role; each link (``href``), form
(``action``) and htmx request on it that leads to a page of the matrix must be one the role's
permissions allow (otherwise the user would meet a 403). Templates ask the permission table
with ``user|may:"action"`` (or the view's ``can_…`` flags)."""

import re

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from serviceloop.core.tests.test_permission_matrix import (  # noqa: F401
    ROLES,
    UI,
    _allowed,
    _no_pdf_layout,
    _user,
    world,
)

pytestmark = pytest.mark.django_db
__all__ = ["world"]

_TARGET = re.compile(r'(?:href|action|hx-get|hx-post)="(/[^"#?]*)')


def _shown_targets(html: str) -> set[str]:
    return {m for m in _TARGET.findall(html) if not m.startswith(("/static/", "/media/"))}


# Targets whose permission depends on the path: the matrix row names one case (the template of
# the warranty import), while the page links only the kinds the reader may import.
PER_ARGUMENT = {"imports:template"}


def _forbidden_links(role: str, w: dict) -> list[tuple[str, str, str]]:
    client = Client()
    client.force_login(_user(role, w))
    bad = []
    for name, (action, method, args) in UI.items():
        if method != "get" or not _allowed(role, action):
            continue
        r = client.get(reverse(name, args=args(w)))
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        for path in _shown_targets(r.content.decode()):
            try:
                match = resolve(path)
            except Resolver404:
                continue
            target = match.view_name
            if target in PER_ARGUMENT:
                continue
            if target in UI and not _allowed(role, UI[target][0]):
                bad.append((name, target, UI[target][0]))
    return bad


# the main roles; the matrix itself covers every role's 403s
MAIN_ROLES = [
    r
    for r in ROLES
    if r in {"sales", "sales_leader", "quality", "warehouse", "service_engineer", "agent"}
]


@pytest.mark.slow
@pytest.mark.db_independent
@pytest.mark.parametrize("role", MAIN_ROLES)
def test_no_page_shows_a_link_its_reader_may_not_follow(world, role):
    assert sorted(set(_forbidden_links(role, world))) == []


def test_may_filter_asks_the_permission_table(world):
    from django.template import Context, Template, TemplateSyntaxError

    tpl = Template('{% load serviceloop %}{% if u|may:"communication.create" %}yes{% endif %}')
    assert tpl.render(Context({"u": _user("sales", world)})) == "yes"
    assert tpl.render(Context({"u": _user("warehouse", world)})) == ""
    with pytest.raises(TemplateSyntaxError):
        Template('{% load serviceloop %}{{ u|may:"no.such.action" }}').render(
            Context({"u": _user("sales", world)})
        )
