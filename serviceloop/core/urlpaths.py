"""An app's URL patterns by its naming rules, so that a page's path, view and URL name are
written once (``urls.py``)::

    urlpatterns = [
        *record_urls(views, "claim"),  # "", "new/", "<int:pk>/", "<int:pk>/edit/"
        *action_urls(views, "<int:pk>/", OVERRIDE, "redecide", APPROVE, REJECT),
        path("<int:pk>/letter/", views.decision_letter, name="decision_letter"),
    ]

- ``record_urls(views, entity, at="")``: the pages of one kind of record — at ``at`` its list
  (``views.<entity>_list``), at ``at + "new/"`` the new-record form (``<entity>_create``), at
  ``at + "<int:pk>/"`` its page (``<entity>_detail``) and at ``at + "<int:pk>/edit/"`` the
  edit form (``<entity>_edit``); URL names ``list``, ``create``, ``detail``, ``edit`` (or
  with ``qualified=True`` the view's name: ``escalation_list``, …); ``pages=`` the ones the
  record has.
- ``action_urls(views, at, *actions, prefix="", view_prefix=None)``: one path per action on
  a record, ``at + "<segment>/"`` → ``views.<view_prefix><verb>`` named ``<prefix><verb>``;
  an action is a ``core.actions.Action`` (its name is the segment, as it is the page view's
  name) or a segment; the verb is the segment with ``-`` as ``_`` (``"flag-major"`` →
  ``flag_major``); ``view_prefix`` is ``prefix`` unless given.

A page that follows neither rule is a plain ``path(...)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from django.urls import URLPattern, path

from .actions import Action

PAGES = ("list", "create", "detail", "edit")
_ROUTES = {"list": "", "create": "new/", "detail": "<int:pk>/", "edit": "<int:pk>/edit/"}


def record_urls(
    views: ModuleType,
    entity: str,
    at: str = "",
    *,
    qualified: bool = False,
    pages: Iterable[str] = PAGES,
) -> list[URLPattern]:
    """The list, new, detail and edit pages of one kind of record (see the module's doc)."""
    return [
        path(
            at + _ROUTES[page],
            getattr(views, f"{entity}_{page}"),
            name=f"{entity}_{page}" if qualified else page,
        )
        for page in pages
    ]


def action_urls(
    views: ModuleType,
    at: str,
    *actions: Action | str,
    prefix: str = "",
    view_prefix: str | None = None,
) -> list[URLPattern]:
    """A path per action on the record named by ``at`` (see the module's doc)."""
    view_prefix = prefix if view_prefix is None else view_prefix
    patterns = []
    for action in actions:
        segment = action.name if isinstance(action, Action) else action
        verb = segment.replace("-", "_")
        patterns.append(
            path(f"{at}{segment}/", getattr(views, view_prefix + verb), name=prefix + verb)
        )
    return patterns
