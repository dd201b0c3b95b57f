"""Large exports become background jobs (issue 15): the request answers at once with the
job's page, a worker replays the page as its user into a file, the file is for that user
(and administrators) until it expires, "my work" and a notification say when it is ready."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from serviceloop.core import export_jobs
from serviceloop.core.models import ExportJob, ExportStatus, Notification
from serviceloop.core.my_work import PROVIDERS
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with

pytestmark = pytest.mark.django_db
LIST = "/communications/"


@pytest.fixture
def five(settings):
    settings.SERVICELOOP_EXPORT_JOB_ROWS = 3
    sales = user_with("sales")
    customer = CustomerFactory()
    for i in range(5):
        register_communication(sales, customer, subject=f"=cmd{i}")
    return sales


def _rows(content: bytes) -> list[tuple]:
    ws = load_workbook(BytesIO(content), read_only=True).active
    return list(ws.iter_rows(values_only=True))


def _ask(client, user, query="export=xlsx"):
    client.force_login(user)
    return client.get(f"{LIST}?{query}")


def test_a_small_export_is_answered_at_once(client, five, settings):
    settings.SERVICELOOP_EXPORT_JOB_ROWS = 5
    response = _ask(client, five)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(_rows(response.content)) == 6
    assert not ExportJob.objects.exists()


def test_a_large_export_becomes_a_job_and_its_file_is_for_its_user(
    client, five, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _ask(client, five, "export=xlsx&page=2")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == ExportStatus.QUEUED and job.created_by == five
    assert job.params == {"export": ["xlsx"]} and job.path == LIST
    assert len(queued) == 1
    page = client.get(job.get_absolute_url())
    assert b"hx-trigger" in page.content  # polls while it waits

    assert export_jobs.run(job.pk) == ExportStatus.DONE
    job.refresh_from_db()
    assert job.rows_done == 5 and job.progress == 1.0
    assert job.expires_at > timezone.now() + timedelta(hours=23)
    page = client.get(job.get_absolute_url())
    assert b"hx-trigger" not in page.content
    download = client.get(reverse("core:export_file", args=[job.pk]))
    rows = _rows(b"".join(download.streaming_content))
    assert len(rows) == 6 and rows[1][4].startswith("=cmd")  # text stays text

    note = Notification.objects.get(recipient=five, kind="export.done")
    assert job.number in note.title and note.url == job.get_absolute_url()
    work = [i for p in PROVIDERS for i in p(five) if getattr(i, "kind", "") == "export.ready"]
    assert [i.url for i in work] == [job.get_absolute_url()]

    other = user_with("sales")
    client.force_login(other)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("core:export_file", args=[job.pk])).status_code == 404
    client.force_login(user_with("admin"))
    assert client.get(reverse("core:export_file", args=[job.pk])).status_code == 200


def test_the_worker_sees_only_what_the_user_may_see_at_run_time(client, five):
    _ask(client, five)
    job = ExportJob.objects.get()
    five.roles.set([])
    assert export_jobs.run(job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert not job.file and job.message
    assert Notification.objects.filter(recipient=five, kind="export.failed").exists()


def test_the_sweep_removes_expired_files_and_takes_back_dead_jobs(client, five):
    _ask(client, five)
    job = ExportJob.objects.get()
    export_jobs.run(job.pk)
    job.refresh_from_db()
    name = job.file.name
    assert job.file.storage.exists(name)
    assert export_jobs.sweep(job.expires_at + timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not job.file
    assert not job.file.storage.exists(name)
    client.force_login(five)
    assert client.get(reverse("core:export_file", args=[job.pk])).status_code == 404

    _ask(client, five)
    dead = ExportJob.objects.filter(status=ExportStatus.QUEUED).get()
    ExportJob.objects.filter(pk=dead.pk).update(status=ExportStatus.RUNNING, lease_token="x")
    later = timezone.now() + timedelta(hours=1)
    assert export_jobs.reap(later) == 1
    dead.refresh_from_db()
    assert dead.status == ExportStatus.QUEUED
    assert export_jobs.run(dead.pk) == ExportStatus.DONE
