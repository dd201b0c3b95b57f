"""Import kind `service-records` (R-5.9.4): Chinese headers, row-by-row validation,
all-or-nothing unless valid rows only, numbers by year, a record not imported twice."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from serviceloop.core.audit import snapshot, verify_chain
from serviceloop.core.importing import reports
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.testing.imports import csv_upload, run_import, xlsx_upload
from serviceloop.fieldservice.models import ServiceRecord

from .factories import PartFactory

pytestmark = pytest.mark.django_db
KIND = "service-records"
HEAD = [
    "日期",
    "服务人员",
    "客户编码",
    "配套厂家",
    "零件号",
    "车辆",
    "缺陷",
    "故障模式",
    "处理结果",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db):
    eng = user_with("service_engineer", display_name="徐鹏")
    customer = CustomerFactory(tier="oem_tier1", code="C001")
    part = PartFactory(part_number="SA-1001")
    return eng, customer, part


def _row(eng, day=None, **over):
    row = {
        "日期": (day or timezone.localdate() - timedelta(days=1)).isoformat(),
        "服务人员": eng.username,
        "客户编码": "C001",
        "配套厂家": "华北重汽",
        "零件号": "SA-1001",
        "车辆": "HN1090",
        "缺陷": "漏油",
        "故障模式": "漏油",
        "处理结果": "已更换",
    }
    row.update(over)
    return [row[h] for h in HEAD]


def _csv(rows, encoding="utf-8", name="w.csv"):
    return csv_upload(rows, HEAD, encoding=encoding, name=name)


def test_valid_csv_imports_every_row(world, sales):
    eng, _c, part = world
    rows = [_row(eng, 缺陷=f"漏油{i}") for i in range(3)] + [
        _row(eng, 服务人员="徐鹏", 故障模式="异响", 处理结果="修复")
    ]
    job = run_import(sales, KIND, _csv(rows))
    assert job.status == "done" and job.rows_created == 4 and job.errors == []
    recs = ServiceRecord.objects.filter(import_batch=job)
    assert recs.count() == 4 and {r.source for r in recs} == {"import"}
    assert recs.filter(failure_mode="noise", outcome="repaired").count() == 1
    record = recs.get(defect="漏油0")
    assert record.week_start == record.service_date - timedelta(days=record.service_date.weekday())
    assert record.number.startswith(f"FSR-{record.service_date.year}-")
    entry = AuditEntry.objects.get(object_type="fieldservice.servicerecord", object_id=record.pk)
    assert entry.after == snapshot(record) and entry.object_repr == str(record)
    assert verify_chain().ok


def test_xlsx_and_gb18030(world, sales):
    eng, _c, _p = world
    job = run_import(sales, KIND, xlsx_upload([_row(eng)], HEAD))
    assert job.rows_created == 1
    job = run_import(sales, KIND, _csv([_row(eng, 缺陷="异响")], "gb18030"))
    assert job.rows_created == 1


def test_numbers_follow_the_year_of_the_service(world, sales):
    eng, _c, _p = world
    last_year = timezone.localdate().replace(month=1, day=1) - timedelta(days=1)
    job = run_import(sales, KIND, _csv([_row(eng), _row(eng, day=last_year, 缺陷="旧")]))
    numbers = dict(ServiceRecord.objects.values_list("defect", "number"))
    assert numbers["旧"] == f"FSR-{last_year.year}-00001"
    assert numbers["漏油"] == f"FSR-{timezone.localdate().year}-00001"
    assert job.rows_created == 2


def test_a_file_with_errors_imports_nothing(world, sales):
    eng, _c, _p = world
    future = timezone.localdate() + timedelta(days=3)
    rows = [
        _row(eng),
        _row(eng, day=future),
        _row(eng, 服务人员="nobody"),
        _row(eng, 客户编码="C999"),
        _row(eng, 零件号="XX-1"),
        _row(eng, 故障模式="融化"),
        _row(eng, 缺陷=""),
    ]
    job = run_import(sales, KIND, _csv(rows))
    assert job.status == "checked" and job.rows_done == 0
    assert not ServiceRecord.objects.exists()
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (3, "日期"),
        (4, "服务人员"),
        (5, "客户编码"),
        (6, "零件号"),
        (7, "故障模式"),
        (8, "缺陷"),
    }
    report = load_workbook(BytesIO(reports.error_report_xlsx(job))).active
    values = [[c.value for c in r] for r in report.iter_rows()]
    assert values[0] == ["Row", "Column", "Value", "Message"] and len(values) == 7
    assert values[1][:2] == [3, "日期"] and "future" in values[1][3]


def test_valid_rows_only(world, sales):
    eng, _c, _p = world
    rows = [_row(eng), _row(eng, 客户编码="C999"), _row(eng, 缺陷="异响")]
    job = run_import(sales, KIND, _csv(rows), mode="valid_rows")
    assert job.status == "done" and job.rows_created == 2 and len(job.errors) == 1
    assert ServiceRecord.objects.count() == 2


def test_duplicates_in_the_file_and_already_recorded(world, sales):
    eng, _c, _p = world
    run_import(sales, KIND, _csv([_row(eng)], name="a.csv"))
    job = run_import(
        sales, KIND, _csv([_row(eng), _row(eng, 缺陷="新"), _row(eng, 缺陷="新")], name="b.csv")
    )
    assert job.status == "checked"
    messages = sorted(e["message"] for e in job.errors)
    assert (
        messages[0].startswith("Already recorded as FSR-") and messages[1] == "The same as row 3."
    )
    assert ServiceRecord.objects.count() == 1


def test_file_level_problems(world, sales):
    job = run_import(sales, KIND, csv_upload([["2026-01-01", "eng"]], ["日期", "服务人员"]))
    assert job.status == "failed" and {e["row"] for e in job.errors} == {1}
    assert "客户编码" in {e["column"] for e in job.errors}
    job = run_import(sales, KIND, _csv([]))
    assert job.status == "failed" and "no data rows" in job.message


def test_quantities_and_who_may_import(world, sales):
    eng, _c, _p = world
    job = run_import(sales, KIND, csv_upload([[*_row(eng), "0"]], [*HEAD, "数量"]))
    assert job.errors[0]["column"] == "数量"
    other = user_with("service_engineer")
    job = run_import(other, KIND, _csv([_row(eng)]))
    assert job.errors[0]["column"] == "服务人员"
    assert "your own" in job.errors[0]["message"]
    job = run_import(eng, KIND, _csv([_row(eng, 缺陷="own")]))
    assert job.status == "done"
    with pytest.raises(PermissionDenied):
        run_import(user_with("agent"), KIND, _csv([_row(eng)]))


def test_a_committed_import_announces_the_field_data(
    world, sales, django_capture_on_commit_callbacks
):
    from serviceloop.core.signals import field_data_imported

    eng, _c, _p = world
    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["source"], kwargs["count"]))

    field_data_imported.connect(receiver, dispatch_uid="fs-test-import")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_import(sales, KIND, _csv([_row(eng), _row(eng, 缺陷="异响")], name="a.csv"))
        with django_capture_on_commit_callbacks(execute=True):
            run_import(sales, KIND, _csv([_row(eng, 客户编码="X")], name="b.csv"))
    finally:
        field_data_imported.disconnect(dispatch_uid="fs-test-import")
    assert seen == [("service_records", 2)]


def test_the_sweep_is_a_registered_periodic_job():
    from serviceloop.core.jobs import PERIODIC
    from serviceloop.fieldservice.tasks import sweep_fieldservice_task

    assert sweep_fieldservice_task in PERIODIC
