"""Bulk import from XLSX / CSV: row-by-row checks, all-or-nothing vs valid rows only, the
error report, the template, the same decision as a single claim, the audit chain."""

import io
from datetime import date, datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from serviceloop.core.audit import snapshot, verify_chain
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import AgreementFactory, CustomerFactory, user_with
from serviceloop.warranty import importing, services
from serviceloop.warranty.bulk import fast_snapshot
from serviceloop.warranty.models import (
    ImportStatus,
    WarrantyClaim,
    WarrantyDecisionRecord,
    WarrantyImport,
)
from serviceloop.warranty.tests.factories import HEADERS, csv_file, make_claim, row, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def quality():
    return user_with("quality")


@pytest.fixture
def customer():
    return CustomerFactory(code="C001")


def fields_named(response):
    return {d.get("field") or d["loc"][-1] for d in response.json()["detail"]}


# --- cell parsing --------------------------------------------------------------------------


def test_cell_values():
    assert importing.parse_date("2025/3/9") == date(2025, 3, 9)
    assert importing.parse_date("2025年3月9日") == date(2025, 3, 9)
    assert importing.parse_date(datetime(2025, 3, 9, 0, 0)) == date(2025, 3, 9)
    assert importing.parse_date(45725) == date(2025, 3, 9)  # an Excel serial
    assert importing.parse_month("2025/3") == "2025-03"
    assert importing.parse_month("2025年3月") == "2025-03"
    assert importing.parse_month(datetime(2025, 3, 1)) == "2025-03"
    assert str(importing.parse_number("12,000 km")) == "12000"
    assert str(importing.parse_number("¥1,320.50")) == "1320.50"
    assert importing.parse_bool("是") is True and importing.parse_bool("不可修复") is False
    assert importing.parse_bool("") is None
    codes, unknown = importing.parse_findings("制造缺陷影响正常使用;改装、non_original_parts;;")
    assert codes == ["manufacturing_defect", "modification", "non_original_parts"]
    assert unknown == []
    assert importing.parse_findings("外观划伤")[1] == ["外观划伤"]
    assert importing.split_vehicle("lzz1ccnd5pa123456 / ZZ4257") == ("LZZ1CCND5PA123456", "ZZ4257")
    assert importing.split_vehicle("东风天龙") == ("", "东风天龙")
    for bad in ("2025-02-30", "next week"):
        with pytest.raises(ValueError):
            importing.parse_date(bad)


# --- all or nothing ------------------------------------------------------------------------


def test_a_clean_file_imports_every_row(quality, customer):
    rows = [row("C001", 序列号=f"S{i}") for i in range(3)]
    rows.append(row("C001", 检验结论="改装;使用不当", 可否修复="否", 序列号="S9"))
    rows.append(row("C001", 购买日期=None, 检验结论="", 序列号="S10"))
    batch = services.import_check(actor=quality, upload=xlsx_file(rows))
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (5, 5, 0)
    assert batch.decisions == {"covered": 3, "not_covered": 1, "needs_review": 1}
    assert not WarrantyClaim.objects.exists()  # checked, nothing stored yet
    audit = AuditEntry.objects.count()
    batch = services.import_confirm(actor=quality, batch=batch)
    assert batch.status == ImportStatus.IMPORTED and batch.imported_count == 5
    claims = list(WarrantyClaim.objects.order_by("number"))
    year = timezone.localdate().year
    assert [c.number for c in claims] == [f"WC-{year}-{n:05d}" for n in range(1, 6)]
    assert {c.import_batch_id for c in claims} == {batch.pk}
    first = claims[0]
    assert (first.decision, first.remedy, first.status) == ("covered", "repair", "decided")
    assert (first.vin, first.vehicle_model, first.oem) == (
        "LZZ1CCND5PA123456",
        "ZZ4257",
        "长江汽车股份有限公司",
    )
    assert str(first.cost_total) == "400.00" and first.build_month == "2025-02"
    assert claims[3].reasons == ["improper_use", "modification"]
    assert claims[4].status == "registered"
    assert WarrantyDecisionRecord.objects.filter(seq=1).count() == 5
    # one audit entry per claim, plus the batch's transition; the chain holds
    entries = AuditEntry.objects.filter(seq__gt=0).count() - audit
    assert entries == 6
    per_claim = AuditEntry.objects.filter(object_type="warranty.warrantyclaim")
    assert per_claim.count() == 5 and {e.reason for e in per_claim} == {f"import {batch.number}"}
    assert verify_chain().ok
    for claim in claims:  # the bulk entries hold exactly what core's snapshot gives
        assert per_claim.get(object_id=str(claim.pk)).after == snapshot(claim)
        assert fast_snapshot(claim) == snapshot(claim)


def test_import_decides_exactly_like_a_single_claim(quality, customer):
    AgreementFactory(
        customer=customer, valid_from=date(2024, 1, 1), warranty_months=18, warranty_km=None
    )
    data = {"故障日期": date(2026, 8, 1), "行驶里程(km)": 45000.04, "序列号": "S1"}
    services.import_confirm(
        actor=quality,
        batch=services.import_check(actor=quality, upload=xlsx_file([row("C001", **data)])),
    )
    imported = WarrantyClaim.objects.get()
    single = make_claim(
        quality,
        customer,
        failure_date=date(2026, 8, 1),
        mileage_km=45000.04,
        serial_number="S2",
        lot="L2502-01",
    )
    assert imported.rule_result == single.rule_result
    assert imported.agreement_id == single.agreement_id is not None
    assert imported.decisions.get().inputs["agreement"]["id"] == single.agreement_id


def test_a_file_with_errors_imports_nothing_unless_valid_rows_only(quality, customer):
    rows = [
        row("C001", 序列号="A"),
        row("C001", 故障日期=date(2025, 1, 1), 生产月份="2024-12", 序列号="B"),  # before purchase
        row("C001", **{"行驶里程(km)": -5}, 序列号="C"),
        row("C001", 检验结论="制造缺陷;外观划伤", 序列号="D"),
        row("C999", 序列号="E"),
        row("C001", 故障日期=None, 序列号="F"),
        row("C001", 序列号="A"),  # the same part and failure day as row 2
        row("C001", 序列号="G"),
    ]
    batch = services.import_check(actor=quality, upload=xlsx_file(rows))
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (8, 2, 6)
    by_row = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert "before the purchase date" in by_row[(3, "故障日期")]
    assert "negative" in by_row[(4, "行驶里程(km)")]
    assert "外观划伤" in by_row[(5, "检验结论")]
    assert "Unknown customer" in by_row[(6, "客户编码")]
    assert "required" in by_row[(7, "故障日期")]
    assert "row 2" in by_row[(8, "序列号")]
    with pytest.raises(Exception) as caught:
        services.import_confirm(actor=quality, batch=batch)
    assert "nothing was imported" in str(caught.value)
    assert not WarrantyClaim.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    batch = services.import_confirm(actor=quality, batch=batch, valid_rows_only=True)
    assert batch.imported_count == 2 and batch.valid_rows_only
    assert set(WarrantyClaim.objects.values_list("serial_number", flat=True)) == {"A", "G"}
    with pytest.raises(Exception, match="cannot be changed"):
        services.import_confirm(actor=quality, batch=batch, valid_rows_only=True)


def test_confirm_in_a_later_request_checks_again(quality, customer):
    batch = services.import_check(actor=quality, upload=xlsx_file([row("C001", 序列号="S1")]))
    make_claim(quality, customer, serial_number="S1")  # meanwhile entered by hand
    fresh = WarrantyImport.objects.get(pk=batch.pk)  # no cached check: a new request
    with pytest.raises(Exception, match="nothing was imported"):
        services.import_confirm(actor=quality, batch=fresh)
    fresh.refresh_from_db()
    assert fresh.error_rows == 1 and "already has a claim" in fresh.errors[0]["message"]
    assert WarrantyClaim.objects.count() == 1


def test_header_problems(quality, customer):
    headers = [h for h in HEADERS if h != "故障日期"] + ["备注"]
    rows = [[v for h, v in zip(HEADERS, row("C001"), strict=True) if h != "故障日期"] + ["x"]]
    batch = services.import_check(actor=quality, upload=xlsx_file(rows, headers=headers))
    assert batch.valid_rows == 0 and batch.total_rows == 1
    assert batch.errors[0]["row"] == 1 and "故障日期" in batch.errors[0]["message"]
    assert "备注" in batch.warnings[0]


def test_english_and_alias_headers(quality, customer):
    headers = ["customer", "Purchase Date", "failure date", "里程", "findings", "repairable"]
    batch = services.import_check(
        actor=quality,
        upload=xlsx_file(
            [["C001", "2025-03-10", "2025-09-01", "1,000", "material_nonconformity", "yes"]],
            headers=headers,
        ),
    )
    assert batch.valid_rows == 1 and batch.decisions == {"covered": 1}


def test_csv_in_gbk_with_semicolons(quality, customer):
    upload = csv_file([row("C001", 检验结论="非原厂零件;改装")], encoding="gb18030")
    batch = services.import_check(actor=quality, upload=upload)
    assert batch.valid_rows == 1 and batch.decisions == {"not_covered": 1}
    services.import_confirm(actor=quality, batch=batch)
    assert WarrantyClaim.objects.get().reasons == ["modification", "non_original_parts"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("claims.txt", b"hello", "Upload an .xlsx or .csv"),
        ("claims.xlsx", b"not a zip", "not a readable XLSX"),
        ("claims.csv", b"", "empty"),
        ("claims.csv", "客户编码,故障日期\r\n".encode(), "no claims"),
        ("claims.csv", b"\xff\xfe\x00\x00garbage\x81", "neither UTF-8 nor GBK"),
    ],
)
def test_unreadable_files(quality, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(Exception, match=message):
        services.import_check(actor=quality, upload=SimpleUploadedFile(name, content))
    assert not WarrantyImport.objects.exists()


def test_discard(quality, customer):
    batch = services.import_check(actor=quality, upload=xlsx_file([row("C001")]))
    batch = services.import_discard(actor=quality, batch=batch)
    assert batch.status == ImportStatus.DISCARDED
    with pytest.raises(Exception, match="cannot be changed"):
        services.import_confirm(actor=quality, batch=batch)


def test_permission(customer):
    with pytest.raises(Exception, match="warranty.import"):
        services.import_check(actor=user_with("service_engineer"), upload=xlsx_file([row("C001")]))


# --- files for people ----------------------------------------------------------------------


def test_error_report_lists_row_column_value_message(quality, customer):
    rows = [row("C001"), row("NOPE"), row("C001", **{"行驶里程(km)": "很多"}, 序列号="Z")]
    batch = services.import_check(actor=quality, upload=xlsx_file(rows))
    ws = load_workbook(io.BytesIO(services.error_report_xlsx(batch))).active
    values = list(ws.values)
    assert values[0] == ("Row", "Column", "Value", "Message")
    assert values[1][:3] == (3, "客户编码", "NOPE")
    assert values[2][:3] == (4, "行驶里程(km)", "很多")
    assert "number of kilometres" in values[2][3]


def test_template_round_trips(quality, customer):
    wb = load_workbook(io.BytesIO(services.template_xlsx()))
    assert wb.sheetnames == ["三包索赔", "示例", "说明"]
    headers = [c.value for c in wb["三包索赔"][1]]
    assert headers[:3] == ["客户编码", "购买日期", "故障日期"] and "检验结论" in headers
    guide = [r[0] for r in wb["说明"].values]
    assert "manufacturing_defect" in guide and "non_original_parts" in guide
    example = list(wb["示例"].values)
    example_file = xlsx_file([list(r) for r in example[1:]], headers=list(example[0]))
    batch = services.import_check(actor=quality, upload=example_file)
    assert batch.valid_rows == 2, batch.errors
    csv_headers = services.template_csv().decode("utf-8-sig").strip().split(",")
    assert csv_headers == headers


# --- API -------------------------------------------------------------------------------------


def test_api_all_or_nothing_then_valid_rows_only(api_as, customer):
    api = api_as(user_with("sales"))
    rows = [row("C001", 序列号="A"), row("C404", 序列号="B")]
    r = api.client.post("/api/v1/warranty-imports/", {"file": xlsx_file(rows)}, headers=api.headers)
    assert r.status_code == 422 and fields_named(r) == {"file"}
    body = r.json()["import"]
    assert body["status"] == "checked" and body["error_rows"] == 1 and body["valid_rows"] == 1
    assert body["errors"][0]["row"] == 3
    assert not WarrantyClaim.objects.exists()
    report = api.client.get(body["error_report_url"], headers=api.headers)
    assert report.status_code == 200
    assert list(load_workbook(io.BytesIO(report.content)).active.values)[1][1] == "客户编码"
    r = api.post(f"warranty-imports/{body['id']}/confirm", {"valid_rows_only": True})
    assert r.status_code == 200 and r.json()["imported_count"] == 1
    assert WarrantyClaim.objects.count() == 1
    r = api.client.post(
        "/api/v1/warranty-imports/",
        {"file": xlsx_file(rows), "valid_rows_only": "true"},
        headers=api.headers,
    )
    assert r.status_code == 422 and "no valid rows" in r.content.decode()  # A is in already


def test_api_dry_run_then_confirm(api_as, customer):
    api = api_as(user_with("quality"))
    r = api.client.post(
        "/api/v1/warranty-imports/",
        {"file": csv_file([row("C001")]), "dry_run": "1"},
        headers=api.headers,
    )
    assert r.status_code == 201 and r.json()["status"] == "checked"
    assert not WarrantyClaim.objects.exists()
    assert api.get("warranty-imports/").json()["count"] == 1
    r = api.post(f"warranty-imports/{r.json()['id']}/confirm", {})
    assert r.status_code == 200 and r.json()["status"] == "imported"
    assert WarrantyClaim.objects.count() == 1
    template = api.get("warranty-imports/template")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert api.get("warranty-imports/template?format=csv").content.startswith(b"\xef\xbb\xbf")


def test_api_import_needs_a_file_and_the_permission(api_as):
    api = api_as(user_with("quality"))
    r = api.client.post("/api/v1/warranty-imports/", {}, headers=api.headers)
    assert r.status_code == 422 and fields_named(r) == {"file"}
    engineer = api_as(user_with("service_engineer"))
    r = engineer.client.post(
        "/api/v1/warranty-imports/", {"file": xlsx_file([])}, headers=engineer.headers
    )
    assert r.status_code == 403


def test_a_title_above_the_headers_is_skipped(quality, customer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2026年三包索赔汇总(华东)"])
    ws.append([])
    ws.append(HEADERS)
    ws.append(row("C001"))
    ws.append(row("NOPE"))
    buf = io.BytesIO()
    wb.save(buf)
    batch = services.import_check(
        actor=quality, upload=SimpleUploadedFile("t.xlsx", buf.getvalue())
    )
    assert (batch.total_rows, batch.valid_rows) == (2, 1)
    assert batch.errors[0]["row"] == 5  # numbered as the spreadsheet shows it
    assert "row 3" in batch.warnings[0]
