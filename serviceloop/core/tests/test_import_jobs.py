"""Import jobs: check then store or wait, the two modes, idempotency (the same file, rows
already stored), the lease and the reaper (no job stays running), the kept checked rows."""

import dataclasses
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from serviceloop.core.audit import verify_chain
from serviceloop.core.importing import jobs, rowfile
from serviceloop.core.importing.kinds import KINDS
from serviceloop.core.importing.services import import_confirm, import_create, import_discard
from serviceloop.core.models import AuditEntry, ImportJob, Notification
from serviceloop.core.selectors import work_items
from serviceloop.core.testing.factories import user_with
from serviceloop.core.testing.imports import csv_upload, run_import, xlsx_upload
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language

from .import_kind import HEADERS, NAME, NOTES, STORE_CALLS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def boss():
    return user_with("admin")


def notes(*titles: str):
    return [[t, f"内容 {t}", "2026-01-02", 3] for t in titles]


def stored(user):
    return list(
        Notification.objects.filter(recipient=user, kind="note")
        .order_by("title")
        .values_list("title", flat=True)
    )


def test_a_clean_file_is_checked_then_stored_in_chunks(notes_kind, boss):
    audit = AuditEntry.objects.count()
    job = run_import(boss, NAME, xlsx_upload(notes("a", "b", "c"), HEADERS))
    assert (job.status, job.phase, job.rows_total, job.rows_valid, job.rows_done) == (
        "done",
        "store",
        3,
        3,
        3,
    )
    assert (job.rows_created, job.rows_failed, job.error_count) == (3, 0, 0)
    assert stored(boss) == ["a", "b", "c"]
    assert STORE_CALLS == [2, 1]  # chunks of the kind's store_chunk
    assert job.summary == {"short": 3} and job.preview[0]["cells"]["标题"] == "a"
    # one entry per record (its import in the reason), the job's creation and its end
    per_record = AuditEntry.objects.filter(object_type="core.notification")
    assert per_record.count() == 3 and {e.reason for e in per_record} == {f"import {job.number}"}
    assert AuditEntry.objects.count() - audit == 3 + 2
    assert verify_chain().ok
    assert not list(rowfile.folder().glob(f"{job.pk}-*"))  # the kept rows are gone


def test_all_or_nothing_with_errors_stores_nothing_and_waits(notes_kind, boss):
    job = run_import(boss, NAME, csv_upload(notes("a", "bad one", "c", "a"), HEADERS))
    assert job.status == "checked" and job.rows_failed == 2 and job.rows_valid == 2
    by_row = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert by_row == {(3, "标题"): "A bad title.", (5, "标题"): "The same as row 2."}
    assert "2 rows have errors" in job.message
    assert stored(boss) == []
    with pytest.raises(ValidationError, match="2 rows have errors"):
        import_confirm(actor=boss, job=job)
    assert stored(boss) == []
    job = import_confirm(actor=boss, job=job, mode="valid_rows")
    assert job.status == "queued"
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 2 and job.mode == "valid_rows"
    assert stored(boss) == ["a", "c"]
    with pytest.raises(ValidationError, match="only a checked import"):
        import_confirm(actor=boss, job=job, mode="valid_rows")


def test_valid_rows_mode_stores_the_good_rows_at_once(notes_kind, boss):
    job = run_import(boss, NAME, csv_upload(notes("a", "bad", "c"), HEADERS), mode="valid_rows")
    assert job.status == "done" and job.rows_done == 2 and job.rows_failed == 1
    assert stored(boss) == ["a", "c"]


def test_a_dry_run_keeps_the_checked_rows_and_confirm_does_not_read_the_file(notes_kind, boss):
    job = run_import(boss, NAME, xlsx_upload(notes("a", "b"), HEADERS), dry_run=True)
    assert job.status == "checked" and stored(boss) == []
    assert (rowfile.folder() / job.rows_file).exists()
    job.file.delete(save=False)  # confirm must not need the file again
    job = import_confirm(actor=boss, job=job)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and stored(boss) == ["a", "b"]
    assert job.confirmed_by == boss


def test_discard(notes_kind, boss):
    job = run_import(boss, NAME, xlsx_upload(notes("a"), HEADERS), dry_run=True)
    job = import_discard(actor=boss, job=job)
    assert job.status == "discarded" and stored(boss) == []
    with pytest.raises(ValidationError):
        import_confirm(actor=boss, job=job)


def test_the_same_file_twice_stores_nothing_the_second_time(notes_kind, boss):
    upload = xlsx_upload(notes("a", "b"), HEADERS)
    first = run_import(boss, NAME, upload)
    upload.seek(0)
    second = run_import(boss, NAME, upload)
    assert first.rows_done == 2
    assert second.status == "done" and second.rows_done == 0
    assert first.number in second.message
    assert stored(boss) == ["a", "b"]


def test_rows_already_on_record_are_errors_at_the_check(notes_kind, boss):
    run_import(boss, NAME, xlsx_upload(notes("a"), HEADERS))
    job = run_import(boss, NAME, csv_upload(notes("a", "b"), HEADERS), mode="valid_rows")
    assert job.rows_done == 1 and job.errors[0]["message"] == "Already there."
    assert stored(boss) == ["a", "b"]


def test_refused_files_fail_with_the_reason(notes_kind, boss, settings):
    settings.SERVICELOOP_IMPORT_LIMITS = {"max_rows": 3}
    job = run_import(boss, NAME, csv_upload(notes(*"abcdefgh"), HEADERS))
    assert job.status == "failed" and "more than 3 rows" in job.message
    assert job.errors[0]["message"] == job.message and stored(boss) == []
    job = run_import(boss, NAME, csv_upload([["x"]], ["内容"]))
    assert (
        job.status == "failed"
        and job.errors[0]["message"] == "The required column 标题 is missing."
    )
    job = run_import(boss, NAME, csv_upload([["bad"]], HEADERS[:1]))
    assert job.status == "failed" and "no valid rows" in job.message


def test_uploads_refused_at_once(notes_kind, boss):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for upload, field in (
        (None, "file"),
        (SimpleUploadedFile("a.txt", b"hello"), "file"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "file"),
        (SimpleUploadedFile("a.csv", b""), "file"),
    ):
        with pytest.raises(ValidationError) as caught:
            import_create(actor=boss, kind=NAME, upload=upload)
        assert field in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        import_create(actor=boss, kind="nope", upload=csv_upload(notes("a"), HEADERS))
    assert "kind" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        import_create(actor=boss, kind=NAME, upload=csv_upload(notes("a"), HEADERS), mode="x")
    assert "mode" in caught.value.error_dict
    assert not ImportJob.objects.exists()


def test_the_kinds_permission(notes_kind):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_create(actor=user_with("sales"), kind=NAME, upload=csv_upload(notes("a"), HEADERS))
    assert not ImportJob.objects.exists()


def test_finishing_tells_the_user(notes_kind, boss):
    job = run_import(boss, NAME, csv_upload(notes("a", "bad"), HEADERS))
    assert [i.url for i in work_items(boss)] == [job.get_absolute_url()]
    note = Notification.objects.get(recipient=boss, kind="import.checked")
    assert job.number in note.title
    job = import_confirm(actor=boss, job=job, mode="valid_rows")
    jobs.run(job.pk)
    assert Notification.objects.filter(recipient=boss, kind="import.done").count() == 1
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="import.done"))
    assert work_items(boss) == []


class Killed(BaseException):
    """What a kill -9 looks like from inside: the run stops in the middle of the store."""


def test_a_killed_worker_is_reaped_and_the_job_resumes_exactly_once(notes_kind, boss):
    calls = []

    def dying_store(ctx, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise Killed
        return NOTES.store(ctx, rows)

    KINDS[NAME] = dataclasses.replace(NOTES, store=dying_store)
    job = import_create(
        actor=boss, kind=NAME, upload=xlsx_upload(notes(*"abcde"), HEADERS), enqueue=False
    )
    with pytest.raises(Killed):
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "running" and job.rows_done == 2  # the first chunk was committed
    assert jobs.reap() == 0  # the lease has not expired yet
    later = timezone.now() + jobs.lease() + timedelta(seconds=1)
    KINDS[NAME] = NOTES
    assert jobs.reap(later) == 1  # queued again, and run (immediate backend, on commit)
    job.refresh_from_db()
    if job.status == "queued":  # the test transaction never commits: run it as the worker
        jobs.run(job.pk)
        job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 5 and job.attempts == 2
    assert stored(boss) == list("abcde")
    assert verify_chain().ok


def test_a_worker_that_lost_its_lease_stops(notes_kind, boss):
    job = import_create(
        actor=boss, kind=NAME, upload=xlsx_upload(notes("a", "b"), HEADERS), enqueue=False
    )
    ImportJob.objects.filter(pk=job.pk).update(status="running", lease_token="theirs")
    assert jobs.run(job.pk) == "not queued"
    lease = jobs.Lease(job.pk, "mine")
    with pytest.raises(jobs.LeaseLost):
        lease.beat(force=True)


def test_the_reaper_gives_up_after_three_attempts(notes_kind, boss):
    job = import_create(
        actor=boss, kind=NAME, upload=xlsx_upload(notes("a"), HEADERS), enqueue=False
    )
    old = timezone.now() - jobs.lease() - timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", lease_token="dead", heartbeat_at=old, attempts=3
    )
    assert jobs.reap() == 1
    job.refresh_from_db()
    assert job.status == "failed" and "3 attempts" in job.message


def test_a_queued_job_whose_task_was_lost_is_queued_again(
    notes_kind, boss, django_capture_on_commit_callbacks
):
    job = import_create(
        actor=boss, kind=NAME, upload=xlsx_upload(notes("a"), HEADERS), enqueue=False
    )
    old = timezone.now() - jobs.lease() - timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.reap() == 1
    job.refresh_from_db()
    assert job.status == "done" and stored(boss) == ["a"]


def test_the_reaper_is_a_registered_periodic_job():
    from serviceloop.core.importing.tasks import reap_imports_task
    from serviceloop.core.jobs import PERIODIC

    assert reap_imports_task in PERIODIC


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # roles seeded by migrations
def test_parsing_never_runs_inside_a_write_transaction(notes_kind, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seen = []

    def watching_clean(row, look):
        seen.append(connection.in_atomic_block)
        return NOTES.clean(row, look)

    KINDS[NAME] = dataclasses.replace(NOTES, clean=watching_clean)
    boss = user_with("admin")
    job = run_import(boss, NAME, xlsx_upload(notes("a", "b"), HEADERS))
    assert job.status == "done" and seen == [False, False]


def test_a_crafted_workbook_fails_the_job_and_stores_nothing(notes_kind, boss):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from serviceloop.core.testing.imports import raw_xlsx, sheet_xml

    bomb = raw_xlsx(sheet_xml([["标题"], ["a" * (5 * 1024 * 1024)]]))
    job = run_import(boss, NAME, SimpleUploadedFile("bomb.xlsx", bomb))
    assert job.status == "failed" and "zip bomb" in job.message
    assert job.rows_total == 0 and stored(boss) == []
    assert not list(rowfile.folder().glob(f"{job.pk}-*"))


def test_the_check_reports_progress_even_when_every_row_fails(notes_kind):
    """The progress callback also renews the lease: a file of errors must not look dead."""
    from serviceloop.core.importing.checking import Checker

    table = [(1, tuple(HEADERS))] + [(n, (f"bad {n}",)) for n in range(2, 2503)]
    calls = []
    result = Checker(NOTES, None, lambda rows: None, lambda r, f: calls.append(r.rows_total)).run(
        table
    )
    assert result.rows_failed == 2501 and calls[:2] == [1000, 2000] and len(calls) == 3
