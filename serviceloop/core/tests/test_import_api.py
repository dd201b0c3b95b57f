"""The `imports` API resource (interface.md): 202 at once, the job followed by GET, confirm,
discard, error report, templates, kinds; a kind's import permission; unknown jobs 404."""

import io

import pytest
from openpyxl import load_workbook

from serviceloop.core.models import ImportJob, Notification
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.imports import csv_upload, xlsx_upload

from .import_kind import HEADERS, NAME

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api(api_as):
    return api_as(user_with("admin"))


def upload(api, file, capture, **fields):
    """POST a file; the job runs when the request's transaction commits (captured here)."""
    with capture(execute=True):
        return api.client.post(URL, {"file": file, **fields}, headers=api.headers)


def notes(*titles):
    return [[t, "", "", ""] for t in titles]


def test_upload_answers_202_then_the_job_can_be_followed(
    notes_kind, api, django_capture_on_commit_callbacks
):
    r = upload(
        api, xlsx_upload(notes("a", "b"), HEADERS), django_capture_on_commit_callbacks, kind=NAME
    )
    assert r.status_code == 202, r.content
    body = r.json()
    assert set(body) == {"id", "number", "status"} and body["status"] == "queued"
    job = api.get(f"imports/{body['id']}").json()
    assert job["status"] == "done"
    assert (job["rows_total"], job["rows_done"], job["rows_failed"]) == (2, 2, 0)
    assert job["errors"] == [] and job["progress"] == 1.0 and job["eta_seconds"] is None
    listed = api.get("imports/").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == body["number"]


def test_errors_confirm_with_valid_rows_and_the_report(
    notes_kind, api, django_capture_on_commit_callbacks
):
    r = upload(
        api,
        csv_upload(notes("a", "bad", "bad2"), HEADERS),
        django_capture_on_commit_callbacks,
        kind=NAME,
        mode="all_or_nothing",
    )
    pk = r.json()["id"]
    job = api.get(f"imports/{pk}").json()
    assert job["status"] == "checked" and job["rows_failed"] == 2
    assert job["errors"][0] == {
        "row": 3,
        "column": "标题",
        "message": "A bad title.",
        "value": "bad",
    }
    refused = api.post(f"imports/{pk}/confirm", {"mode": "all_or_nothing"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "mode"
    report = api.client.get(job["error_report_url"], headers=api.headers)
    assert report.status_code == 200
    assert list(load_workbook(io.BytesIO(report.content)).active.values)[1][:3] == (
        3,
        "标题",
        "bad",
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"imports/{pk}/confirm", {"mode": "valid_rows"})
    assert r.status_code == 202 and r.json()["status"] == "queued"
    assert api.get(f"imports/{pk}").json()["status"] == "done"
    assert Notification.objects.filter(kind="note").count() == 1


def test_dry_run_then_discard(notes_kind, api, django_capture_on_commit_callbacks):
    r = upload(
        api,
        xlsx_upload(notes("a"), HEADERS),
        django_capture_on_commit_callbacks,
        kind=NAME,
        dry_run="true",
    )
    pk = r.json()["id"]
    job = api.get(f"imports/{pk}").json()
    assert job["status"] == "checked" and job["dry_run"] and job["preview"][0]["row"] == 2
    r = api.post(f"imports/{pk}/discard")
    assert r.status_code == 200 and r.json()["status"] == "discarded"
    assert api.post(f"imports/{pk}/confirm", {}).status_code == 422
    assert not Notification.objects.filter(kind="note").exists()


def test_refusals_store_nothing(notes_kind, api):
    r = api.client.post(URL, {"kind": NAME}, headers=api.headers)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "file"
    r = api.client.post(
        URL, {"kind": "nope", "file": csv_upload(notes("a"), HEADERS)}, headers=api.headers
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "kind"
    r = api.client.post(URL, {}, headers=api.headers)
    assert r.status_code == 422
    assert not ImportJob.objects.exists()
    assert api.get("imports/999999").status_code == 404


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        ("quality", "warranty-claims", True),
        ("sales", "warranty-claims", True),
        ("service_engineer", "warranty-claims", False),
        ("service_engineer", "service-records", True),
        ("quality", "service-records", False),
        ("quality", "production-volumes", True),
        ("technical", "production-volumes", False),
        ("agent", "surveys", False),
    ],
)
def test_importing_a_kind_needs_its_import_permission(api_as, role, kind, allowed):
    api = api_as(user_with(role))
    r = api.client.post(
        URL, {"kind": kind, "file": csv_upload([["x"]], ["y"])}, headers=api.headers
    )
    assert r.status_code == (202 if allowed else 403), r.content
    assert ImportJob.objects.exists() == allowed


def test_jobs_of_kinds_the_user_may_not_see(notes_kind, api, api_as):
    r = api.client.post(
        URL, {"kind": NAME, "file": csv_upload(notes("a"), HEADERS)}, headers=api.headers
    )
    pk = r.json()["id"]
    sales = api_as(user_with("sales"))
    assert sales.get(f"imports/{pk}").status_code == 403
    assert sales.get("imports/").json()["count"] == 0
    agent = api_as(user_with("agent"))
    assert agent.get("imports/").json() == {"items": [], "count": 0}
    assert agent.get("imports/kinds").json() == []


def test_kinds_and_templates(api_as):
    api = api_as(user_with("quality"))
    kinds = {k["name"]: k for k in api.get("imports/kinds").json()}
    assert set(kinds) == {"warranty-claims", "production-volumes", "purchase-volumes", "surveys"}
    claims = kinds["warranty-claims"]
    assert claims["columns"][0] == {
        "field": "customer",
        "header": "客户编码",
        "type": "text",
        "required": True,
        "aliases": ["客户代码", "customer", "customer code"],
        "example": "C001",
        "help": "",
    }
    r = api.get(claims["template_url"])
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = api.get(claims["template_url"] + "?format=csv")
    assert r.content.startswith("\ufeff客户编码".encode())
    assert api.get("imports/templates/service-records").status_code == 403
    assert api.get("imports/templates/nope").status_code == 422


def test_an_upload_past_the_limit_is_cut_off_while_it_streams(notes_kind, api, client, settings):
    """The size handler skips the file at the limit: nothing of it is kept, the answer
    names the limit (issue 9)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SERVICELOOP_IMPORT_LIMITS = {"max_bytes": 1000}
    big = SimpleUploadedFile("big.csv", b"x" * 100_000)
    r = api.client.post(URL, {"kind": NAME, "file": big}, headers=api.headers)
    assert r.status_code == 422
    assert "too large" in r.json()["detail"][0]["msg"] and r.json()["detail"][0]["field"] == "file"
    client.force_login(user_with("admin"))
    big.seek(0)
    r = client.post("/imports/", {"kind": NAME, "file": big, "mode": "all_or_nothing"})
    assert r.status_code == 400 and "too large" in r.content.decode()
    assert not ImportJob.objects.exists()
