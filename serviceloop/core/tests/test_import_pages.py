"""The import pages: upload, the job page (progress polled by htmx while it runs, then the
result), confirm, discard, the error report, templates; the old per-app URLs redirect."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from serviceloop.core.importing.services import import_create
from serviceloop.core.models import ImportJob, Notification
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.imports import csv_upload, run_import, xlsx_upload

from .import_kind import HEADERS, NAME

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def boss(client):
    user = user_with("admin")
    client.force_login(user)
    return user


def notes(*titles):
    return [[t, "", "", ""] for t in titles]


def test_the_page_offers_the_kinds_the_user_may_import(client):
    client.force_login(user_with("quality"))
    page = client.get(reverse("imports:index") + "?kind=surveys").content.decode()
    assert 'value="surveys" selected' in page
    assert reverse("imports:template", args=["warranty-claims"]) in page
    assert "service-records" not in page


def test_upload_then_follow_then_confirm(
    notes_kind, client, boss, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("imports:index"),
            {
                "kind": NAME,
                "file": csv_upload(notes("a", "bad"), HEADERS),
                "mode": "valid_rows",
                "dry_run": "on",
            },
        )
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("imports:detail", args=[job.pk])
    page = client.get(r["Location"]).content.decode()
    assert "A bad title." in page and "Preview" in page
    assert "hx-trigger" not in page  # checked: nothing to poll
    assert reverse("imports:confirm", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("imports:confirm", args=[job.pk]), {"mode": "valid_rows"})
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and Notification.objects.filter(kind="note").count() == 1
    report = client.get(reverse("imports:errors", args=[job.pk]))
    assert list(load_workbook(io.BytesIO(report.content)).active.values)[1][:2] == (3, "标题")


def test_a_running_job_is_polled_with_its_progress(notes_kind, client, boss):
    job = import_create(
        actor=boss, kind=NAME, upload=xlsx_upload(notes("a"), HEADERS), enqueue=False
    )
    ImportJob.objects.filter(pk=job.pk).update(status="running", progress=0.4, rows_total=40)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="40"' in page
    partial = client.get(reverse("imports:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert partial.content.decode().startswith('<div id="job"') and b"<html" not in partial.content


def test_discard_and_refusals(notes_kind, client, boss):
    job = run_import(boss, NAME, xlsx_upload(notes("a"), HEADERS), dry_run=True)
    r = client.post(reverse("imports:discard", args=[job.pk]))
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == "discarded"
    r = client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "only a checked import" in r.content.decode()
    r = client.post(reverse("imports:index"), {"kind": NAME})
    assert r.status_code == 400 and ImportJob.objects.count() == 1


def test_other_kinds_jobs_are_forbidden(notes_kind, client):
    job = run_import(user_with("admin"), NAME, xlsx_upload(notes("a"), HEADERS))
    client.force_login(user_with("sales"))
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 403
    client.force_login(user_with("agent"))
    page = client.get(reverse("imports:index")).content.decode()
    assert "may not import" in page and job.number not in page


def test_templates(client):
    client.force_login(user_with("sales"))
    r = client.get(reverse("imports:template", args=["service-records"]))
    headers = [c.value for c in load_workbook(io.BytesIO(r.content)).worksheets[0][1]]
    assert headers[:3] == ["日期", "服务人员", "客户编码"]
    r = client.get(reverse("imports:template", args=["service-records"]) + "?format=csv")
    assert r.content.decode("utf-8-sig").startswith("日期,服务人员")
    assert client.get(reverse("imports:template", args=["nope"])).status_code == 404
    client.force_login(user_with("service_engineer"))
    assert client.get(reverse("imports:template", args=["warranty-claims"])).status_code == 403


@pytest.mark.parametrize(
    ("old", "kind"),
    [
        ("warranty:imports", "warranty-claims"),
        ("fieldservice:record_import", "service-records"),
        ("earlywarning:import_list", ""),
    ],
)
def test_the_old_import_pages_lead_to_the_new_one(client, old, kind):
    client.force_login(user_with("sales"))
    r = client.get(reverse(old))
    assert r.status_code == 302
    assert r["Location"] == reverse("imports:index") + (f"?kind={kind}" if kind else "")
    r = client.get(reverse("earlywarning:import_create") + "?kind=survey_responses")
    assert r["Location"] == reverse("imports:index") + "?kind=surveys"
