"""Import kinds of the early-warning input data: production volumes, purchase volumes and
survey responses — Chinese headers, row checks, all-or-nothing unless valid rows only,
updates in place, the same survey not twice, the announcement of the data."""

from datetime import date
from decimal import Decimal

import pytest

from serviceloop.core.models import AuditEntry, ImportJob
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.testing.imports import csv_upload, run_import, xlsx_upload
from serviceloop.earlywarning.models import ProductionVolume, PurchaseVolume, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _counts():
    return (
        ProductionVolume.objects.count(),
        PurchaseVolume.objects.count(),
        SurveyResponse.objects.count(),
    )


def test_production_xlsx_with_aliases_and_excel_dates(quality):
    upload = xlsx_upload(
        [
            ["SA-2041", "前减振器", "2025-03", 1520, ""],
            ["SA-2041", None, date(2025, 4, 1), "1,480件", "夜班"],
            [None, None, None, None, None],
            ["CR-1120", "连杆", "2025年5月", 2400.0, ""],
        ],
        ["图号", "零件名称", "生产年月", "生产数量", "备注"],
    )
    job = run_import(quality, "production-volumes", upload)
    assert (job.status, job.rows_total, job.rows_valid, job.rows_created) == ("done", 3, 3, 3)
    v = ProductionVolume.objects.get(part_number="SA-2041", build_month="2025-04")
    assert v.quantity == 1480 and v.notes == "夜班" and v.import_batch == job
    audit = AuditEntry.objects.filter(object_type="earlywarning.productionvolume")
    assert audit.count() == 3 and {e.reason for e in audit} == {f"import {job.number}"}


def test_reimport_updates_in_place_and_skips_unchanged(quality):
    head = ["零件号", "生产月份", "数量"]
    rows = [["SA-2041", "2025-03", 100], ["SA-2041", "2025-04", 200]]
    run_import(quality, "production-volumes", csv_upload(rows, head))
    rows[1][2] = 250
    job = run_import(quality, "production-volumes", csv_upload(rows, head))
    assert (job.rows_created, job.rows_updated, job.rows_skipped) == (0, 1, 1)
    assert ProductionVolume.objects.get(build_month="2025-04").quantity == 250
    assert "already on record" in job.message
    update = AuditEntry.objects.filter(action="update").get()
    assert update.before == {"quantity": 200, **update.before} and update.after["quantity"] == 250


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_stored(quality):
    customer = CustomerFactory(code="C001")
    rows = [
        ["C001", "2025-01", 10, 100],
        ["C001", "2025-02", -5, 100],
        ["C001", "2025-03", "十件", 100],
        ["C999", "2025-04", 3, ""],
        ["C001", "2025-13", 3, ""],
        ["C001", "2025-01", 4, ""],
        ["C001", "2099-01", 4, ""],
        ["C001", "2025-05", 4.5, "abc"],
    ]
    head = ["客户编码", "月份", "数量", "金额"]
    job = run_import(quality, "purchase-volumes", xlsx_upload(rows, head))
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (3, "数量"),
        (4, "数量"),
        (5, "客户编码"),
        (6, "月份"),
        (7, "月份"),
        (8, "月份"),
        (9, "数量"),
        (9, "金额"),
    }
    assert job.status == "checked" and job.rows_failed == 7 and _counts() == (0, 0, 0)
    job = run_import(quality, "purchase-volumes", xlsx_upload(rows, head), mode="valid_rows")
    assert job.rows_created == 1 and job.rows_failed == 7
    assert PurchaseVolume.objects.get().customer == customer


def test_file_level_errors(quality):
    job = run_import(quality, "production-volumes", csv_upload([["SA-1", 5]], ["零件号", "数量"]))
    assert job.status == "failed" and "生产月份" in job.errors[0]["message"]
    job = run_import(quality, "production-volumes", csv_upload([], ["零件号", "生产月份", "数量"]))
    assert job.status == "failed" and "no data rows" in job.message
    assert _counts() == (0, 0, 0)


def test_gbk_csv_and_surveys_with_a_five_point_scale(quality):
    CustomerFactory(code="C002")
    rows = [
        ["客户满意度", "C002", "2025-03-15", 4, 5, "赵明", "交货及时"],
        ["最终用户", "", "2025/03/20", 86, "", "", ""],
        ["客户满意度", "", "2025-03-15", 80, 100, "", ""],
        ["满意度", "C002", "2025-03-15", 6, 5, "", ""],
        ["投诉", "C002", "2025-03-15", 60, 100, "", ""],
    ]
    head = ["调查类型", "客户编码", "调查日期", "分数", "量表", "受访人", "意见"]
    job = run_import(quality, "surveys", csv_upload(rows, head, encoding="gb18030"))
    assert {(e["row"], e["column"]) for e in job.errors} == {
        (4, "客户编码"),
        (5, "分数"),
        (6, "调查类型"),
    }
    upload = csv_upload(rows, head, encoding="gb18030", name="again.csv")
    run_import(quality, "surveys", upload, mode="valid_rows")
    first = SurveyResponse.objects.get(respondent="赵明")
    assert (first.score, first.raw_score, first.scale) == (Decimal("75.00"), Decimal("4.00"), 5)
    assert SurveyResponse.objects.get(kind="end_user").score == Decimal("86.00")
    # the same responses again (another file) add nothing
    rows.append(["最终用户", "", "2025-03-21", 90, "", "", ""])
    job = run_import(quality, "surveys", csv_upload(rows, head), mode="valid_rows")
    assert (job.rows_created, job.rows_skipped) == (1, 2)
    assert SurveyResponse.objects.count() == 3


def test_a_committed_import_schedules_an_analysis(quality, django_capture_on_commit_callbacks):
    from serviceloop.core.signals import field_data_imported

    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["source"], kwargs["count"]))

    field_data_imported.connect(receiver, dispatch_uid="ew-test-import")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_import(
                quality,
                "production-volumes",
                csv_upload([["A", "2025-01", 1]], ["零件号", "生产月份", "数量"]),
            )
    finally:
        field_data_imported.disconnect(dispatch_uid="ew-test-import")
    assert seen == [("production_volumes", 1)]


def test_the_data_needs_ew_data():
    with pytest.raises(Exception, match="ew.data"):
        run_import(user_with("technical"), "production-volumes", csv_upload([["A"]], ["零件号"]))
    assert not ImportJob.objects.exists()
