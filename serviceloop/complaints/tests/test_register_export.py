"""Issue 15: the complaint register (every complaint with its 8D state) streams through
core.exports and, when large, is made by a background job as the user who asked."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from serviceloop.complaints.documents.xlsx import REGISTER_COLUMNS
from serviceloop.complaints.tests.factories import open_report, register_complaint
from serviceloop.core import export_jobs
from serviceloop.core.models import ExportJob, ExportStatus
from serviceloop.core.testing.factories import user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    quality = user_with("quality")
    report = open_report(leader=quality)
    for i in range(3):
        register_complaint(part_number=f"=SB-{i}")
    return quality, report


def _sheet(content: bytes) -> list[tuple]:
    ws = load_workbook(BytesIO(content)).active
    assert ws.title == "顾客投诉登记表" and ws.freeze_panes == "C4"
    return list(ws.iter_rows(values_only=True))


def _check(rows: list[tuple], report) -> None:
    assert rows[0][0] == "顾客投诉登记表" and rows[1][0].startswith("导出时间")
    headers = list(rows[2])
    assert headers == [h for h, _ in REGISTER_COLUMNS]
    body = {r[1]: r for r in rows[3:]}
    assert len(body) == 4
    row = body[report.complaint.number]
    assert row[headers.index("8D编号")] == report.number
    with translation.override("zh-hans"):
        assert row[headers.index("8D状态")] == report.get_status_display()
    assert {r[headers.index("零件号")] for r in rows[3:]} >= {"=SB-0", "=SB-1"}  # text


def test_a_small_register_is_answered_at_once(client, register):
    quality, report = register
    client.force_login(quality)
    response = client.get(reverse("complaints:list"), {"export": "xlsx"})
    assert response.status_code == 200
    _check(_sheet(response.content), report)


def test_a_large_register_is_made_by_a_job(client, register, settings):
    settings.SERVICELOOP_EXPORT_JOB_ROWS = 2
    quality, report = register
    client.force_login(quality)
    response = client.get(reverse("complaints:list"), {"export": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.rows_total == 3  # counted up to limit + 1
    assert export_jobs.run(job.pk) == ExportStatus.DONE
    job.refresh_from_db()
    assert job.rows_done == 4 and job.filename.startswith("complaint-register-")
    download = client.get(reverse("core:export_file", args=[job.pk]))
    _check(_sheet(b"".join(download.streaming_content)), report)
