"""Imports of production volumes, purchase volumes and survey responses: Chinese headers,
row-by-row checks, all-or-nothing unless "valid rows only", the error report, the API."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.earlywarning import services
from serviceloop.earlywarning.models import (
    DataImport,
    ImportStatus,
    ProductionVolume,
    PurchaseVolume,
    SurveyResponse,
)
from serviceloop.earlywarning.tests.factories import csv_file, xlsx_file

pytestmark = pytest.mark.django_db
API = "/api/v1/early-warning/imports/"


def _counts():
    return (
        ProductionVolume.objects.count(),
        PurchaseVolume.objects.count(),
        SurveyResponse.objects.count(),
        DataImport.objects.count(),
        AuditEntry.objects.count(),
    )


def test_production_xlsx_with_aliases_and_excel_dates(quality):
    upload = xlsx_file(
        [
            ["图号", "零件名称", "生产年月", "生产数量", "备注"],
            ["SA-2041", "前减振器", "2025-03", 1520, ""],
            ["SA-2041", None, date(2025, 4, 1), "1,480件", "夜班"],
            [None, None, None, None, None],
            ["CR-1120", "连杆", "2025年5月", 2400.0, ""],
        ]
    )
    batch = services.import_upload(actor=quality, kind="production_volumes", upload=upload)
    assert (batch.total_rows, batch.valid_rows, batch.created_count) == (3, 3, 3)
    v = ProductionVolume.objects.get(part_number="SA-2041", build_month="2025-04")
    assert v.quantity == 1480 and v.notes == "夜班" and v.import_batch == batch
    assert AuditEntry.objects.filter(object_type="earlywarning.productionvolume").count() == 3


def test_reimport_updates_in_place_and_skips_unchanged(quality):
    rows = [
        ["零件号", "生产月份", "数量"],
        ["SA-2041", "2025-03", 100],
        ["SA-2041", "2025-04", 200],
    ]
    services.import_upload(actor=quality, kind="production_volumes", upload=csv_file(rows))
    rows[2][2] = 250
    batch = services.import_upload(actor=quality, kind="production_volumes", upload=csv_file(rows))
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    assert ProductionVolume.objects.get(build_month="2025-04").quantity == 250
    assert batch.warnings


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_stored(quality):
    customer = CustomerFactory(code="C001")
    rows = [
        ["客户编码", "月份", "数量", "金额"],
        ["C001", "2025-01", 10, 100],
        ["C001", "2025-02", -5, 100],
        ["C001", "2025-03", "十件", 100],
        ["C999", "2025-04", 3, ""],
        ["C001", "2025-13", 3, ""],
        ["C001", "2025-01", 4, ""],
        ["C001", "2099-01", 4, ""],
        ["C001", "2025-05", 4.5, "abc"],
    ]
    before = _counts()
    with pytest.raises(services.ImportRejected) as exc:
        services.import_upload(actor=quality, kind="purchase_volumes", upload=xlsx_file(rows))
    found = {(e.row, e.column) for e in exc.value.row_errors}
    assert found == {
        (3, "数量"),
        (4, "数量"),
        (5, "客户编码"),
        (6, "月份"),
        (7, "月份"),
        (8, "月份"),
        (9, "数量"),
        (9, "金额"),
    }
    assert exc.value.error_rows == 7
    assert _counts() == before
    batch = services.import_upload(
        actor=quality, kind="purchase_volumes", upload=xlsx_file(rows), valid_rows_only=True
    )
    assert batch.created_count == 1 and batch.error_rows == 7
    assert PurchaseVolume.objects.get().customer == customer


@pytest.mark.parametrize(
    "rows,field,text",
    [
        ([], "file", "empty"),
        ([["零件号", "数量"], ["SA-1", 5]], None, "生产月份"),
        ([["零件号", "生产月份", "数量"]], "file", "no data rows"),
    ],
)
def test_file_level_errors(quality, rows, field, text):
    before = _counts()
    upload = csv_file(rows) if rows else csv_file([[""]])
    with pytest.raises(ValidationError) as exc:
        services.import_upload(actor=quality, kind="production_volumes", upload=upload)
    message = str(exc.value)
    assert text in message
    assert _counts() == before


def test_gbk_csv_and_surveys_with_a_five_point_scale(quality):
    CustomerFactory(code="C002")
    rows = [
        ["调查类型", "客户编码", "调查日期", "分数", "量表", "受访人", "意见"],
        ["客户满意度", "C002", "2025-03-15", 4, 5, "赵明", "交货及时"],
        ["最终用户", "", "2025/03/20", 86, "", "", ""],
        ["客户满意度", "", "2025-03-15", 80, 100, "", ""],
        ["满意度", "C002", "2025-03-15", 6, 5, "", ""],
        ["投诉", "C002", "2025-03-15", 60, 100, "", ""],
    ]
    upload = csv_file(rows, encoding="gb18030")
    with pytest.raises(services.ImportRejected) as exc:
        services.import_upload(actor=quality, kind="survey_responses", upload=upload)
    assert {(e.row, e.column) for e in exc.value.row_errors} == {
        (4, "客户编码"),
        (5, "分数"),
        (6, "调查类型"),
    }
    upload = csv_file(rows, encoding="gb18030")
    services.import_upload(
        actor=quality, kind="survey_responses", upload=upload, valid_rows_only=True
    )
    first = SurveyResponse.objects.get(respondent="赵明")
    assert (
        first.score == Decimal("75.00") and first.raw_score == Decimal("4.00") and first.scale == 5
    )
    assert SurveyResponse.objects.get(kind="end_user").score == Decimal("86.00")
    # the same file again adds nothing
    upload = csv_file(rows, encoding="gb18030")
    batch = services.import_upload(
        actor=quality, kind="survey_responses", upload=upload, valid_rows_only=True
    )
    assert batch.created_count == 0 and batch.unchanged_count == 2
    assert SurveyResponse.objects.count() == 2


def test_two_step_ui_import_all_or_nothing_then_valid_rows(client, quality):
    client.force_login(quality)
    rows = [["零件号", "生产月份", "数量"], ["SA-1", "2025-01", 10], ["SA-1", "2025-02", -1]]
    r = client.post(
        reverse("earlywarning:import_create"),
        {"kind": "production_volumes", "file": csv_file(rows)},
    )
    batch = DataImport.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "earlywarning:import_detail", args=[batch.pk]
    )
    assert batch.status == ImportStatus.CHECKED and batch.error_rows == 1
    assert ProductionVolume.objects.count() == 0
    page = client.get(r["Location"])
    assert "Must not be negative." in page.content.decode()
    # the error report
    r = client.get(reverse("earlywarning:import_errors", args=[batch.pk]))
    ws = load_workbook(io.BytesIO(r.content)).active
    assert list(ws.iter_rows(values_only=True))[1] == (3, "数量", "-1", "Must not be negative.")
    # all or nothing
    r = client.post(reverse("earlywarning:import_confirm", args=[batch.pk]))
    assert r.status_code == 400 and ProductionVolume.objects.count() == 0
    r = client.post(
        reverse("earlywarning:import_confirm", args=[batch.pk]), {"valid_rows_only": "on"}
    )
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and batch.valid_rows_only
    assert ProductionVolume.objects.count() == 1
    # final
    r = client.post(reverse("earlywarning:import_discard", args=[batch.pk]))
    assert r.status_code == 400


def test_discard_stores_nothing(client, quality):
    client.force_login(quality)
    client.post(
        reverse("earlywarning:import_create"),
        {
            "kind": "production_volumes",
            "file": csv_file([["零件号", "生产月份", "数量"], ["A", "2025-01", 1]]),
        },
    )
    batch = DataImport.objects.get()
    r = client.post(reverse("earlywarning:import_discard", args=[batch.pk]))
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED and ProductionVolume.objects.count() == 0


def test_ui_refuses_an_empty_file(client, quality):
    client.force_login(quality)
    r = client.post(
        reverse("earlywarning:import_create"),
        {"kind": "production_volumes", "file": csv_file([[""]], name="x.csv")},
    )
    assert r.status_code == 400 and not DataImport.objects.exists()


def test_templates_have_the_chinese_headers(client, quality):
    client.force_login(quality)
    for kind, header in (
        ("production_volumes", ["零件号", "零件名称", "生产月份", "数量", "备注"]),
        ("purchase_volumes", ["客户编码", "月份", "数量", "金额"]),
    ):
        r = client.get(reverse("earlywarning:import_template", args=[kind]))
        ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
        assert [c.value for c in ws[1]] == header
    assert client.get(reverse("earlywarning:import_template", args=["nope"])).status_code == 404


# --- API -----------------------------------------------------------------------------------


def _post(client, user, kind, upload, **extra):
    from serviceloop.core.models import ApiToken

    _, raw = ApiToken.issue(user)
    data = {"kind": kind, "file": upload, **extra}
    return client.post(API, data, headers={"Authorization": f"Bearer {raw}"})


def test_api_import_success(client, quality):
    upload = xlsx_file([["零件号", "生产月份", "数量"], ["SA-2041", "2025-01", 1000]])
    r = _post(client, quality, "production_volumes", upload)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (
        body["created_count"] == 1
        and body["status"] == "imported"
        and body["number"].startswith("EWI-")
    )


@pytest.mark.parametrize(
    "rows,row,column",
    [
        ([["零件号", "生产月份", "数量"], ["SA-1", "2025-01", -3]], 2, "数量"),
        (
            [["零件号", "生产月份", "数量"], ["SA-1", "2025-01", 1], ["SA-1", "2025-02", "x"]],
            3,
            "数量",
        ),
        ([["零件号", "数量"], ["SA-1", 1]], 1, "生产月份"),
    ],
)
def test_api_import_422_names_row_and_column(client, quality, rows, row, column):
    before = _counts()
    r = _post(client, quality, "production_volumes", csv_file(rows))
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert {"row": row, "column": column} == {k: detail[0][k] for k in ("row", "column")}
    assert detail[0]["loc"] == ["body", "file"]
    assert _counts() == before


def test_api_import_empty_file_and_missing_kind(client, quality):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = _counts()
    r = _post(client, quality, "production_volumes", SimpleUploadedFile("a.csv", b""))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "file"
    r = _post(client, quality, "", csv_file([["零件号", "生产月份", "数量"], ["A", "2025-01", 1]]))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "kind"
    assert _counts() == before


def test_api_import_valid_rows_only(client, quality):
    rows = [["零件号", "生产月份", "数量"], ["SA-1", "2025-01", 5], ["SA-1", "2025-02", -3]]
    r = _post(client, quality, "production_volumes", csv_file(rows), valid_rows_only="true")
    assert r.status_code == 201
    assert r.json()["error_rows"] == 1 and ProductionVolume.objects.count() == 1
    batch = DataImport.objects.get()
    from serviceloop.core.models import ApiToken

    _, raw = ApiToken.issue(quality)
    r = client.get(f"{API}{batch.pk}/error-report", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")


def test_api_import_needs_ew_data(client):
    r = _post(client, user_with("technical"), "production_volumes", csv_file([["零件号"]]))
    assert r.status_code == 403
