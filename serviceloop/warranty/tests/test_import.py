"""Import kind `warranty-claims`: row-by-row checks, all-or-nothing vs valid rows only, the
error report, the template, the same decision as a single claim, the audit chain."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from serviceloop.core.audit import _jsonable, snapshot, verify_chain
from serviceloop.core.importing import jobs, reports
from serviceloop.core.importing.services import import_confirm
from serviceloop.core.models import AuditEntry, ImportJob
from serviceloop.core.testing.factories import AgreementFactory, CustomerFactory, user_with
from serviceloop.core.testing.imports import run_import
from serviceloop.warranty import importing
from serviceloop.warranty.models import WarrantyClaim, WarrantyDecisionRecord
from serviceloop.warranty.tests.factories import HEADERS, csv_file, make_claim, row, xlsx_file

pytestmark = pytest.mark.django_db
KIND = "warranty-claims"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def quality():
    return user_with("quality")


@pytest.fixture
def customer():
    return CustomerFactory(code="C001")


def check(actor, upload, **kwargs):
    return run_import(actor, KIND, upload, dry_run=True, **kwargs)


def confirm(actor, job, mode=None):
    job = import_confirm(actor=actor, job=job, mode=mode)
    jobs.run(job.pk)
    job.refresh_from_db()
    return job


def test_finding_words_and_vehicles():
    codes, unknown = importing.parse_findings("制造缺陷影响正常使用;改装、non_original_parts;;")
    assert codes == ["manufacturing_defect", "modification", "non_original_parts"]
    assert unknown == []
    assert importing.parse_findings("外观划伤")[1] == ["外观划伤"]
    assert importing.split_vehicle("lzz1ccnd5pa123456 / ZZ4257") == ("LZZ1CCND5PA123456", "ZZ4257")
    assert importing.split_vehicle("东风天龙") == ("", "东风天龙")


# --- all or nothing ------------------------------------------------------------------------


def test_a_clean_file_imports_every_row(quality, customer):
    rows = [row("C001", 序列号=f"S{i}") for i in range(3)]
    rows.append(row("C001", 检验结论="改装;使用不当", 可否修复="否", 序列号="S9"))
    rows.append(row("C001", 购买日期=None, 检验结论="", 序列号="S10"))
    job = check(quality, xlsx_file(rows))
    assert (job.rows_total, job.rows_valid, job.rows_failed) == (5, 5, 0)
    assert job.summary == {"covered": 3, "needs_review": 1, "not_covered": 1}
    assert not WarrantyClaim.objects.exists()  # checked, nothing stored yet
    audit = AuditEntry.objects.count()
    job = confirm(quality, job)
    assert job.status == "done" and job.rows_created == 5
    claims = list(WarrantyClaim.objects.order_by("number"))
    year = timezone.localdate().year
    assert [c.number for c in claims] == [f"WC-{year}-{n:05d}" for n in range(1, 6)]
    assert job.summary["first_number"] == claims[0].number
    assert job.summary["last_number"] == claims[-1].number
    assert {c.import_batch_id for c in claims} == {job.pk}
    first = claims[0]
    assert (first.decision, first.remedy, first.status) == ("covered", "repair", "decided")
    assert (first.vin, first.vehicle_model, first.oem) == (
        "LZZ1CCND5PA123456",
        "ZZ4257",
        "长江汽车股份有限公司",
    )
    assert str(first.cost_total) == "400.00" and first.build_month == "2025-02"
    assert first.created_by == quality and first.decided_at == first.created_at
    assert claims[3].reasons == ["improper_use", "modification"]
    assert claims[4].status == "registered"
    records = WarrantyDecisionRecord.objects.filter(seq=1)
    assert records.count() == 5 and {r.note for r in records} == {f"import {job.number}"}
    assert {r.decided_by for r in records} == {quality}
    # one audit entry per claim, plus the job's confirmation and its end; the chain holds
    assert AuditEntry.objects.count() - audit == 5 + 2
    per_claim = AuditEntry.objects.filter(object_type="warranty.warrantyclaim")
    assert per_claim.count() == 5 and {e.reason for e in per_claim} == {f"import {job.number}"}
    assert verify_chain().ok
    for claim in claims:  # the bulk entries hold exactly what core's snapshot gives
        entry = per_claim.get(object_id=str(claim.pk))
        assert entry.after == snapshot(claim) and entry.object_repr == str(claim)


def test_a_committed_import_announces_the_field_data(
    quality, customer, django_capture_on_commit_callbacks
):
    """The early-warning run after an import (R-5.4.3) hangs on this signal: a stored import
    sends it once, with the claims stored; a check alone sends nothing (issue 17, mutant 4)."""
    from serviceloop.core.signals import field_data_imported

    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["source"], kwargs["count"]))

    field_data_imported.connect(receiver, dispatch_uid="warranty-test-import")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = check(quality, xlsx_file([row("C001", 序列号=f"S{i}") for i in range(3)]))
        assert seen == []
        with django_capture_on_commit_callbacks(execute=True):
            job = confirm(quality, job)
    finally:
        field_data_imported.disconnect(dispatch_uid="warranty-test-import")
    assert job.rows_created == 3
    assert seen == [("warranty_claims", 3)]


def test_import_decides_exactly_like_a_single_claim(quality, customer):
    AgreementFactory(
        customer=customer, valid_from=date(2024, 1, 1), warranty_months=18, warranty_km=None
    )
    data = {"故障日期": date(2026, 8, 1), "行驶里程(km)": 45000.04, "序列号": "S1"}
    run_import(quality, KIND, xlsx_file([row("C001", **data)]))
    imported = WarrantyClaim.objects.get()
    single = make_claim(
        quality,
        customer,
        failure_date=date(2026, 8, 1),
        mileage_km=45000.04,
        serial_number="S2",
        lot="L2502-01",
    )
    assert imported.rule_result == _jsonable(single.rule_result)
    assert imported.agreement_id == single.agreement_id is not None
    assert imported.decisions.get().inputs["agreement"]["id"] == single.agreement_id
    assert imported.decisions.get().inputs == _jsonable(single.decisions.get().inputs)


def test_a_file_with_errors_imports_nothing_unless_valid_rows_only(quality, customer):
    rows = [
        row("C001", 序列号="A"),
        row("C001", 故障日期=date(2025, 1, 1), 生产月份="2024-12", 序列号="B"),  # before purchase
        row("C001", **{"行驶里程(km)": -5}, 序列号="C"),
        row("C001", 检验结论="制造缺陷;外观划伤", 序列号="D"),
        row("C999", 序列号="E"),
        row("C001", 故障日期=None, 序列号="F"),
        row("C001", 序列号="A"),  # the same part and failure day as row 2
        row("C001", **{"行驶里程(km)": 1e308}, 序列号="H"),  # issue 9: a row error, not a 500
        row("C001", 序列号="G"),
    ]
    job = run_import(quality, KIND, xlsx_file(rows))
    assert job.status == "checked"
    assert (job.rows_total, job.rows_valid, job.rows_failed) == (9, 2, 7)
    by_row = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "before the purchase date" in by_row[(3, "故障日期")]
    assert "negative" in by_row[(4, "行驶里程(km)")]
    assert "外观划伤" in by_row[(5, "检验结论")]
    assert "Unknown customer" in by_row[(6, "客户编码")]
    assert "required" in by_row[(7, "故障日期")]
    assert "row 2" in by_row[(8, "序列号")]
    assert "Too large" in by_row[(9, "行驶里程(km)")]
    assert "nothing was imported" in job.message
    with pytest.raises(Exception, match="nothing was imported"):
        import_confirm(actor=quality, job=job)
    assert not WarrantyClaim.objects.exists()
    job = confirm(quality, job, "valid_rows")
    assert job.rows_created == 2 and job.mode == "valid_rows"
    assert set(WarrantyClaim.objects.values_list("serial_number", flat=True)) == {"A", "G"}


def test_a_claim_entered_meanwhile_is_not_imported_twice(quality, customer):
    job = check(quality, xlsx_file([row("C001", 序列号="S1"), row("C001", 序列号="S2")]))
    make_claim(quality, customer, serial_number="S1")  # entered by hand before the confirm
    job = confirm(quality, job)
    assert job.status == "done" and (job.rows_created, job.rows_skipped) == (1, 1)
    assert "already on record" in job.message
    assert WarrantyClaim.objects.filter(serial_number="S1").count() == 1
    again = run_import(quality, KIND, xlsx_file([row("C001", 序列号="S2")]))
    assert again.status == "failed" and "already has a claim" in again.errors[0]["message"]


def test_header_problems(quality, customer):
    headers = [h for h in HEADERS if h != "故障日期"] + ["备注"]
    rows = [[v for h, v in zip(HEADERS, row("C001"), strict=True) if h != "故障日期"] + ["x"]]
    job = run_import(quality, KIND, xlsx_file(rows, headers=headers))
    assert job.status == "failed" and job.rows_valid == 0
    assert job.errors[0]["row"] == 1 and "故障日期" in job.errors[0]["message"]
    assert "备注" in job.warnings[0]


def test_english_and_alias_headers(quality, customer):
    headers = ["customer", "Purchase Date", "failure date", "里程", "findings", "repairable"]
    job = check(
        quality,
        xlsx_file(
            [["C001", "2025-03-10", "2025-09-01", "1,000", "material_nonconformity", "yes"]],
            headers=headers,
        ),
    )
    assert job.rows_valid == 1 and job.summary == {"covered": 1}


def test_csv_in_gbk(quality, customer):
    upload = csv_file([row("C001", 检验结论="非原厂零件;改装")], encoding="gb18030")
    job = run_import(quality, KIND, upload)
    assert job.rows_done == 1 and job.summary == {"not_covered": 1, **job.summary}
    assert WarrantyClaim.objects.get().reasons == ["modification", "non_original_parts"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("claims.csv", "客户编码,故障日期\r\n".encode(), "no data rows"),
        ("claims.csv", b"\xff\xfe\x00\xd8garbage\x81", "neither UTF-8 nor GB18030"),
    ],
)
def test_unreadable_files(quality, name, content, message):
    job = run_import(quality, KIND, SimpleUploadedFile(name, content))
    assert job.status == "failed" and message in job.message
    assert not WarrantyClaim.objects.exists()


def test_permission(customer):
    with pytest.raises(Exception, match="warranty.import"):
        run_import(user_with("service_engineer"), KIND, xlsx_file([row("C001")]))
    assert not ImportJob.objects.exists()


def test_a_title_above_the_headers_is_skipped(quality, customer):
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年三包索赔汇总(华东)"])
    ws.append([])
    ws.append(HEADERS)
    ws.append(row("C001"))
    ws.append(row("NOPE"))
    buf = io.BytesIO()
    wb.save(buf)
    job = check(quality, SimpleUploadedFile("t.xlsx", buf.getvalue()))
    assert (job.rows_total, job.rows_valid) == (2, 1)
    assert job.errors[0]["row"] == 5  # numbered as the spreadsheet shows it
    assert "row 3" in job.warnings[0]


# --- files for people ----------------------------------------------------------------------


def test_error_report_lists_row_column_value_message(quality, customer):
    rows = [row("C001"), row("NOPE"), row("C001", **{"行驶里程(km)": "很多"}, 序列号="Z")]
    job = check(quality, xlsx_file(rows))
    ws = load_workbook(io.BytesIO(reports.error_report_xlsx(job))).active
    values = list(ws.values)
    assert values[0] == ("Row", "Column", "Value", "Message")
    assert values[1][:3] == (3, "客户编码", "NOPE")
    assert values[2][:3] == (4, "行驶里程(km)", "很多")
    assert "Not a number" in values[2][3]


def test_template_round_trips(quality, customer):
    wb = load_workbook(io.BytesIO(reports.template_xlsx(importing.CLAIMS)))
    assert wb.sheetnames == ["三包索赔", "说明"]
    headers = [c.value for c in wb["三包索赔"][1]]
    assert headers[:3] == ["客户编码", "购买日期", "故障日期"] and "检验结论" in headers
    guide = [r[0] for r in wb["说明"].values]
    assert "manufacturing_defect" in guide and "non_original_parts" in guide
    example = list(wb["三包索赔"].values)
    job = check(quality, xlsx_file([list(r) for r in example[1:]], headers=list(example[0])))
    assert job.rows_valid == 2, job.errors
    csv_headers = reports.template_csv(importing.CLAIMS).decode("utf-8-sig").strip().split(",")
    assert csv_headers == headers


def test_the_claims_list_shows_an_imports_claims(client, quality, customer):
    job = run_import(quality, KIND, xlsx_file([row("C001")]))
    client.force_login(quality)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    link = reverse("warranty:list") + f"?import_batch={job.pk}"
    assert link in page
    claim = WarrantyClaim.objects.get()
    assert claim.number in client.get(link).content.decode()
