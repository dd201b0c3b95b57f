"""The pages: alert list (htmx filters, export), detail with charts, report editor, issue,
customer notification, close, dashboards and data pages, all as a user would use them."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.earlywarning.models import (
    Alert,
    AlertStatus,
    AnalysisRun,
    FailureAnalysisReport,
    ProductionVolume,
    PurchaseVolume,
    ReportStatus,
    SurveyResponse,
)
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def qc(client, quality):
    client.force_login(quality)
    return client


def _html(r):
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_alert_list_filters_with_htmx_and_exports(qc):
    a = f.raise_alert(f.claims_finding(part="SA-2041"))
    b = f.raise_alert(f.claims_finding(part="CR-1120", cohort="2025-01"))
    page = _html(qc.get(reverse("earlywarning:alert_list")))
    assert a.number in page and b.number in page and 'hx-get="' in page and "Run now" in page
    partial = _html(
        qc.get(
            reverse("earlywarning:alert_list"),
            {"part_number": "CR-1120"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="results",
        )
    )
    assert b.number in partial and a.number not in partial and "<html" not in partial
    r = qc.get(reverse("earlywarning:alert_list"), {"export": "xlsx", "status": "open"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0] == "Number"


def test_alert_detail_shows_the_statistics_and_charts(qc):
    alert = f.raise_alert()
    page = _html(qc.get(reverse("earlywarning:alert_detail", args=[alert.pk])))
    assert page.count("<svg") == 2 and "decision interval" in page
    assert "Write the failure-analysis report" in page and "Dismiss" in page
    assert "History" in page


def test_acknowledge_and_dismiss_forms(qc):
    alert = f.raise_alert()
    r = qc.post(
        reverse("earlywarning:alert_acknowledge", args=[alert.pk]), {"acknowledge-note": "看过"}
    )
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    r = qc.post(reverse("earlywarning:alert_dismiss", args=[alert.pk]), {"dismiss-reason": ""})
    assert r.status_code == 400 and "This field is required." in r.content.decode()
    r = qc.post(reverse("earlywarning:alert_dismiss", args=[alert.pk]), {"dismiss-reason": "误报"})
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED


def test_report_editor_issue_and_pdf(qc, quality):
    alert = f.raise_alert()
    r = qc.post(reverse("earlywarning:report_create", args=[alert.pk]))
    report = FailureAnalysisReport.objects.get(alert=alert)
    assert r.status_code == 302 and r["Location"] == reverse(
        "earlywarning:report_edit", args=[report.pk]
    )
    page = _html(qc.get(r["Location"]))
    assert "Save and issue to Sales" in page and report.phenomenon[:20] in page
    data = {
        k: getattr(report, k)
        for k in ("title", "phenomenon", "analysis", "causes", "actions", "scope")
    }
    r = qc.post(r["Location"], {**data, "actions": ""})
    assert r.status_code == 302  # a draft may be incomplete
    r = qc.post(reverse("earlywarning:report_issue", args=[report.pk]))
    assert r.status_code == 302 and r["Location"].endswith("/edit/")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    r = qc.post(
        reverse("earlywarning:report_edit", args=[report.pk]),
        {**data, "causes": "拆检确认", "issue": "1"},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ISSUED and report.causes == "拆检确认"
    r = qc.get(reverse("earlywarning:report_edit", args=[report.pk]))
    assert r.status_code == 302  # issued: no more editing
    r = qc.get(reverse("earlywarning:report_pdf", args=[report.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_refresh_evidence_button(qc):
    report = f.drafted_report()
    Alert.objects.filter(pk=report.alert_id).update(evidence={**report.evidence, "cusum": 9.9})
    page = _html(qc.get(reverse("earlywarning:report_edit", args=[report.pk])))
    assert "Take over the latest evidence" in page
    r = qc.post(reverse("earlywarning:report_refresh", args=[report.pk]))
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.evidence["cusum"] == 9.9


def test_sales_records_the_notification_and_closes(client):
    report = f.issued_report()
    sales = user_with("sales")
    client.force_login(sales)
    page = _html(client.get(reverse("earlywarning:report_detail", args=[report.pk])))
    assert "Record a customer notification" in page and page.count("<svg") == 2
    url = reverse("earlywarning:notification_create", args=[report.pk])
    r = client.post(
        url, {"notify-customer": "", "notify-notified_on": "", "notify-channel": "visit"}
    )
    assert r.status_code == 400
    customer = CustomerFactory()
    r = client.post(
        url,
        {
            "notify-customer": customer.pk,
            "notify-notified_on": timezone.localdate().isoformat(),
            "notify-channel": "visit",
            "notify-contact_name": "钱工",
            "notify-agreed_solution": "对该批次库存全检。",
        },
    )
    assert r.status_code == 302
    page = _html(client.get(reverse("earlywarning:report_detail", args=[report.pk])))
    assert "钱工" in page and "close the alert" in page
    r = client.post(
        reverse("earlywarning:alert_close", args=[report.alert_id]), {"close-note": "完成"}
    )
    assert r.status_code == 302
    assert Alert.objects.get(pk=report.alert_id).status == AlertStatus.CLOSED


def test_report_list(qc):
    report = f.issued_report()
    page = _html(qc.get(reverse("earlywarning:report_list")))
    assert report.number in page
    partial = _html(
        qc.get(
            reverse("earlywarning:report_list"),
            {"status": "draft"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="results",
        )
    )
    assert report.number not in partial


def test_part_dashboard(qc, monkeypatch):
    rows, volumes = f.claim_rows(bad={8: 5.0}, cohorts=14)
    f.patch_claims(monkeypatch, rows)
    ProductionVolume.objects.bulk_create(
        ProductionVolume(part_number="SA-2041", build_month=m, quantity=q)
        for m, q in volumes.items()
    )
    page = _html(qc.get(reverse("earlywarning:part_list")))
    assert "SA-2041" in page
    page = _html(qc.get(reverse("earlywarning:part_dashboard", args=["SA-2041"])))
    assert page.count("<svg") == 2 and "rgba(179,38,30" in page and "CUSUM / h" in page
    assert qc.get(reverse("earlywarning:part_dashboard", args=["NOPE"])).status_code == 404


def test_runs_pages_and_run_now(qc):
    r = qc.post(reverse("earlywarning:run_now"), {"next": "https://evil.example/"})
    run = AnalysisRun.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("earlywarning:run_list")
    page = _html(qc.get(reverse("earlywarning:run_list")))
    assert f">{run.pk}<" in page
    _html(qc.get(reverse("earlywarning:run_detail", args=[run.pk])))


def test_data_pages_create_edit_delete(qc):
    customer = CustomerFactory()
    r = qc.post(
        reverse("earlywarning:production_create"),
        {"part_number": "SA-2041", "build_month": "2025-03", "quantity": "1500"},
    )
    assert r.status_code == 302
    v = ProductionVolume.objects.get()
    r = qc.post(
        reverse("earlywarning:production_create"),
        {"part_number": "SA-2041", "build_month": "2025-3", "quantity": "-2"},
    )
    assert r.status_code == 400
    r = qc.post(
        reverse("earlywarning:production_edit", args=[v.pk]),
        {"part_number": "X", "build_month": "2020-01", "quantity": "1400", "part_name": "前减振器"},
    )
    v.refresh_from_db()
    assert r.status_code == 302 and v.quantity == 1400 and v.part_number == "SA-2041"
    assert "SA-2041" in _html(qc.get(reverse("earlywarning:production_list")))
    r = qc.post(
        reverse("earlywarning:purchase_create"),
        {"customer": customer.pk, "month": "2025-03", "quantity": "300", "amount": "36000"},
    )
    assert r.status_code == 302
    p = PurchaseVolume.objects.get()
    _html(qc.get(reverse("earlywarning:purchase_edit", args=[p.pk])))
    assert customer.name in _html(
        qc.get(reverse("earlywarning:purchase_list"), {"customer": customer.pk})
    )
    r = qc.post(
        reverse("earlywarning:survey_create"),
        {
            "kind": "customer_satisfaction",
            "customer": customer.pk,
            "date": "2025-03-02",
            "scale": "5",
            "raw_score": "5",
        },
    )
    assert r.status_code == 302
    s = SurveyResponse.objects.get()
    assert s.score == 100
    r = qc.post(
        reverse("earlywarning:survey_create"),
        {"kind": "customer_satisfaction", "date": "2025-03-02", "scale": "100", "raw_score": "80"},
    )
    assert r.status_code == 400 and "names its customer" in r.content.decode()
    _html(qc.get(reverse("earlywarning:survey_edit", args=[s.pk])))
    assert "100.0" in _html(qc.get(reverse("earlywarning:survey_list")))
    for name, obj in (("production_delete", v), ("purchase_delete", p), ("survey_delete", s)):
        r = qc.post(reverse(f"earlywarning:{name}", args=[obj.pk]), {"reason": "录入错误"})
        assert r.status_code == 302
    assert not (
        ProductionVolume.objects.exists()
        or PurchaseVolume.objects.exists()
        or SurveyResponse.objects.exists()
    )
    r = qc.get(reverse("earlywarning:survey_list"), {"export": "xlsx"})
    assert r.status_code == 200


def test_import_pages(qc):
    """The data imports are on the one import page; the old links lead there."""
    r = qc.get(reverse("earlywarning:import_create"), {"kind": "survey_responses"}, follow=True)
    page = _html(r)
    assert "Templates" in page and 'value="surveys" selected' in page


def test_my_work_page_lists_new_alerts(qc):
    alert = f.raise_alert()
    page = _html(qc.get(reverse("core:my_work")))
    assert alert.number in page


def test_menu_entry(qc):
    page = _html(qc.get(reverse("core:my_work")))
    assert reverse("earlywarning:alert_list") in page


def test_claim_baseline_pages(qc, client):
    """Quality gives a part's baseline per month in service on a page (per 1,000 units), edits
    it, sees it listed and exported, and deletes it; Sales reads but may not edit."""
    from serviceloop.earlywarning.models import ClaimBaseline

    html = _html(qc.get(reverse("earlywarning:baseline_list")))
    assert "No claim baselines given" in html
    r = qc.post(
        reverse("earlywarning:baseline_create"),
        {"part_number": "SA-2041", "mis": 3, "per_thousand": "2.5", "source": "上一代产品"},
    )
    assert r.status_code == 302
    b = ClaimBaseline.objects.get(part_number="SA-2041", mis=3)
    assert b.rate_per_unit == pytest.approx(0.0025) and b.created_by is not None
    r = qc.post(
        reverse("earlywarning:baseline_create"),
        {"part_number": "SA-2041", "mis": 13, "per_thousand": "1", "source": "x"},
    )
    assert r.status_code == 400 and "mis" in r.context["form"].errors
    r = qc.post(
        reverse("earlywarning:baseline_edit", args=[b.pk]),
        {"part_number": "IGNORED", "mis": 9, "per_thousand": "3", "source": "工程目标"},
    )
    b.refresh_from_db()
    assert (b.part_number, b.mis, b.rate_per_unit, b.source) == ("SA-2041", 3, 0.003, "工程目标")
    html = _html(qc.get(reverse("earlywarning:baseline_list"), {"q": "2041"}))
    assert "SA-2041" in html and "工程目标" in html
    assert "SA-2041" not in _html(qc.get(reverse("earlywarning:baseline_list"), {"q": "CR-"}))
    wb = load_workbook(
        io.BytesIO(qc.get(reverse("earlywarning:baseline_list"), {"export": "xlsx"}).content)
    )
    assert [c.value for c in wb.active[2]] == ["SA-2041", 3, 0.003, "工程目标"]
    sales = user_with("sales")
    client.force_login(sales)
    assert "SA-2041" in _html(client.get(reverse("earlywarning:baseline_list")))
    assert client.get(reverse("earlywarning:baseline_create")).status_code == 403
    client.force_login(b.created_by)
    r = client.post(reverse("earlywarning:baseline_delete", args=[b.pk]), {"reason": "错填"})
    assert r.status_code == 302 and not ClaimBaseline.objects.exists()
