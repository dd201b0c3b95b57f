"""Bulk import of service records from XLSX/CSV with Chinese headers: row-by-row validation,
all-or-nothing unless "valid rows only", downloadable error report."""

import base64
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.fieldservice import importing
from serviceloop.fieldservice.models import ImportBatch, ServiceRecord

from .factories import PartFactory

pytestmark = pytest.mark.django_db
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


def _csv(rows, encoding="utf-8") -> bytes:
    lines = [",".join(HEAD)] + [",".join(str(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_valid_csv_imports_every_row(world, sales):
    eng, _c, _p = world
    rows = [_row(eng, 缺陷=f"漏油{i}") for i in range(3)] + [
        _row(eng, 服务人员="徐鹏", 故障模式="异响", 处理结果="修复")
    ]
    batch = importing.service_records_import(actor=sales, filename="w.csv", content=_csv(rows))
    assert batch.status == "imported" and batch.imported_rows == 4 and batch.errors == []
    recs = ServiceRecord.objects.filter(import_batch=batch)
    assert recs.count() == 4 and {r.source for r in recs} == {"import"}
    assert recs.filter(failure_mode="noise", outcome="repaired").count() == 1


def test_xlsx_and_gb18030(world, sales):
    eng, _c, _p = world
    batch = importing.service_records_import(
        actor=sales, filename="w.xlsx", content=_xlsx([_row(eng)])
    )
    assert batch.imported_rows == 1
    batch = importing.service_records_import(
        actor=sales, filename="w.csv", content=_csv([_row(eng, 缺陷="异响")], "gb18030")
    )
    assert batch.imported_rows == 1


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
    audit = AuditEntry.objects.count()
    batch = importing.service_records_import(actor=sales, filename="bad.csv", content=_csv(rows))
    assert batch.status == "rejected" and batch.imported_rows == 0
    assert not ServiceRecord.objects.exists()
    assert AuditEntry.objects.count() == audit + 1  # the batch only
    errs = {(e["row"], e["column"]) for e in batch.errors}
    assert errs == {
        (3, "日期"),
        (4, "服务人员"),
        (5, "客户编码"),
        (6, "零件号"),
        (7, "故障模式"),
        (8, "缺陷"),
    }
    report = load_workbook(BytesIO(importing.error_report(batch))).active
    values = [[c.value for c in r] for r in report.iter_rows()]
    assert values[0] == ["Row", "Column", "Message"] and len(values) == 7
    assert values[1][:2] == [3, "日期"] and "future" in values[1][2]


def test_valid_rows_only(world, sales):
    eng, _c, _p = world
    rows = [_row(eng), _row(eng, 客户编码="C999"), _row(eng, 缺陷="异响")]
    batch = importing.service_records_import(
        actor=sales, filename="m.csv", content=_csv(rows), valid_only=True
    )
    assert batch.status == "partial" and batch.imported_rows == 2 and len(batch.errors) == 1
    assert ServiceRecord.objects.count() == 2


def test_duplicates_in_the_file_and_already_recorded(world, sales):
    eng, _c, _p = world
    importing.service_records_import(actor=sales, filename="a.csv", content=_csv([_row(eng)]))
    batch = importing.service_records_import(
        actor=sales,
        filename="b.csv",
        content=_csv([_row(eng), _row(eng, 缺陷="新"), _row(eng, 缺陷="新")]),
    )
    assert batch.status == "rejected"
    messages = sorted(e["message"] for e in batch.errors)
    assert messages[0].startswith("Already recorded as FSR-") and messages[1] == "Same as row 3."
    assert ServiceRecord.objects.count() == 1


def test_file_level_problems(world, sales):
    eng, _c, _p = world
    batch = importing.service_records_import(
        actor=sales, filename="h.csv", content="日期,服务人员\n2026-01-01,eng\n".encode()
    )
    assert batch.status == "rejected" and {e["row"] for e in batch.errors} == {1}
    assert "客户编码" in {e["column"] for e in batch.errors}
    for name, content in (
        ("x.pdf", b"%PDF"),
        ("x.xlsx", b"not a zip"),
        ("x.csv", b""),
        ("x.csv", ",".join(HEAD).encode()),
    ):
        with pytest.raises(ValidationError) as e:
            importing.service_records_import(actor=sales, filename=name, content=content)
        assert "file" in e.value.error_dict


def test_quantities_and_who_may_import(world, sales):
    eng, _c, _p = world
    head = HEAD + ["数量"]
    content = (",".join(head) + "\n" + ",".join(_row(eng) + ["0"]) + "\n").encode()
    batch = importing.service_records_import(actor=sales, filename="q.csv", content=content)
    assert batch.errors[0]["column"] == "数量"
    other = user_with("service_engineer")
    batch = importing.service_records_import(
        actor=other, filename="o.csv", content=_csv([_row(eng)])
    )
    assert batch.errors[0]["column"] == "服务人员"
    batch = importing.service_records_import(
        actor=eng, filename="own.csv", content=_csv([_row(eng)])
    )
    assert batch.status == "imported"
    with pytest.raises(PermissionDenied):
        importing.service_records_import(
            actor=user_with("agent"), filename="a.csv", content=_csv([_row(eng)])
        )


def test_api_import(world, api_as, sales):
    eng, _c, _p = world
    api = api_as(sales)
    bad = base64.b64encode(_csv([_row(eng), _row(eng, 零件号="XX")])).decode()
    r = api.post("service-records/import", {"filename": "b.csv", "content_base64": bad})
    assert r.status_code == 422 and r.json()["status"] == "rejected"
    assert r.json()["errors"] == [
        {"row": 3, "column": "零件号", "message": "Unknown part number XX."}
    ]
    assert not ServiceRecord.objects.exists()
    report = api.get(f"service-records/imports/{r.json()['id']}/errors.xlsx")
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd")
    r = api.post(
        "service-records/import", {"filename": "b.csv", "content_base64": bad, "valid_only": True}
    )
    assert r.status_code == 201 and len(r.json()["records"]) == 1
    r = api.post("service-records/import", {"filename": "b.csv", "content_base64": "%%%"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "content_base64"
    assert ImportBatch.objects.count() == 2


def test_a_committed_import_announces_the_field_data(
    world, sales, django_capture_on_commit_callbacks
):
    from serviceloop.core.signals import field_data_imported

    eng, _c, _p = world
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender, kwargs["source"], kwargs["count"]))

    field_data_imported.connect(receiver, dispatch_uid="fs-test-import")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            importing.service_records_import(
                actor=sales, filename="a.csv", content=_csv([_row(eng), _row(eng, 缺陷="异响")])
            )
        with django_capture_on_commit_callbacks(execute=True):
            importing.service_records_import(
                actor=sales, filename="b.csv", content=_csv([_row(eng, 客户编码="X")])
            )
    finally:
        field_data_imported.disconnect(dispatch_uid="fs-test-import")
    assert seen == [(ServiceRecord, "service_records", 2)]


def test_the_sweep_is_a_registered_periodic_job():
    from serviceloop.core.jobs import PERIODIC
    from serviceloop.fieldservice.tasks import sweep_fieldservice_task

    assert sweep_fieldservice_task in PERIODIC
