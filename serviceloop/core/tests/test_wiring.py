"""core.urlpaths (an app's URL patterns by naming rule) and core.wiring (an app's
registrations as class attributes)."""

from types import SimpleNamespace

from django.apps import apps
from django.urls import reverse

from serviceloop.core import history, jobs, nav
from serviceloop.core.actions import Action
from serviceloop.core.urlpaths import action_urls, record_urls


def _view(name):
    def view(request, pk=None):  # pragma: no cover - never called
        raise AssertionError(name)

    view.__name__ = name
    return view


VIEWS = SimpleNamespace(
    **{
        n: _view(n)
        for n in (
            "claim_list",
            "claim_create",
            "claim_detail",
            "claim_edit",
            "approve",
            "flag_major",
            "escalation_agree",
            "escalation_list",
        )
    }
)


def _rows(patterns):
    return [(str(p.pattern), p.callback.__name__, p.name) for p in patterns]


def test_record_urls_are_the_list_new_detail_and_edit_pages():
    assert _rows(record_urls(VIEWS, "claim")) == [
        ("", "claim_list", "list"),
        ("new/", "claim_create", "create"),
        ("<int:pk>/", "claim_detail", "detail"),
        ("<int:pk>/edit/", "claim_edit", "edit"),
    ]


def test_record_urls_under_a_path_with_qualified_names_and_only_some_pages():
    rows = _rows(record_urls(VIEWS, "escalation", "escalations/", qualified=True, pages=["list"]))
    assert rows == [("escalations/", "escalation_list", "escalation_list")]


def test_action_urls_take_the_segment_from_a_declaration_or_a_string():
    approve = Action("approve", "x.approve", lambda actor, obj, data: None)
    rows = _rows(action_urls(VIEWS, "<int:pk>/", approve, "flag-major"))
    assert rows == [
        ("<int:pk>/approve/", "approve", "approve"),
        ("<int:pk>/flag-major/", "flag_major", "flag_major"),
    ]
    rows = _rows(action_urls(VIEWS, "escalations/<int:pk>/", "agree", prefix="escalation_"))
    assert rows == [("escalations/<int:pk>/agree/", "escalation_agree", "escalation_agree")]
    rows = _rows(action_urls(VIEWS, "<int:pk>/", "agree", view_prefix="escalation_"))
    assert rows == [("<int:pk>/agree/", "escalation_agree", "agree")]


def test_the_apps_declarations_are_registered():
    config = apps.get_app_config("fieldservice")
    assert config.label == "fieldservice"
    assert history.LINKS["fieldservice.servicerecord"] == "fieldservice:record_detail"
    assert ("fieldservice.escalationnote", "escalation") in history.CHILDREN[
        "fieldservice.escalation"
    ]
    entries = [e for e in nav.ENTRIES if e.url_name.startswith("fieldservice:")]
    assert [(e.url_name, e.action, e.order) for e in entries] == [
        ("fieldservice:home", "fieldservice.view", 50),
        ("fieldservice:record_quick", "record.create", 51),
        ("fieldservice:warehouse", "warehouse.handle", 52),
    ]
    for e in entries:
        reverse(e.url_name)
    from serviceloop.fieldservice.tasks import sweep_fieldservice_task

    assert sweep_fieldservice_task in jobs.PERIODIC
    assert str(history.SYSTEM_ACTORS["retention_review"]) == "disposal review"
