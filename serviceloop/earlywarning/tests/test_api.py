"""The early-warning API: alerts and their actions, reports and notifications, runs, the
input data and the part analysis; 404s, 403s and 422s that name the field."""

import pytest
from django.utils import timezone

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.earlywarning.models import (
    Alert,
    AlertStatus,
    AnalysisRun,
    ProductionVolume,
    PurchaseVolume,
    SurveyResponse,
)
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db
EW = "early-warning"


@pytest.fixture
def q_api(api_as, quality):
    return api_as(quality)


def test_alert_list_filters_and_detail(q_api):
    customer = CustomerFactory()
    a = f.raise_alert(f.claims_finding(part="SA-2041", cohort="2025-03"))
    b = f.raise_alert(f.purchase_finding(customer.pk))
    r = q_api.get(f"{EW}/alerts/")
    assert r.status_code == 200 and r.json()["count"] == 2
    assert q_api.get(f"{EW}/alerts/", {"kind": "purchase_drop"}).json()["items"][0]["id"] == b.pk
    assert q_api.get(f"{EW}/alerts/", {"part_number": "sa-2041"}).json()["count"] == 1
    assert q_api.get(f"{EW}/alerts/", {"customer": customer.pk}).json()["count"] == 1
    assert q_api.get(f"{EW}/alerts/", {"status": "closed"}).json()["count"] == 0
    detail = q_api.get(f"{EW}/alerts/{a.pk}").json()
    assert detail["number"] == a.number and detail["evidence"]["cusum"] == 6.3
    assert detail["statistics"] and "SA-2041" in detail["headline"]
    assert detail["created_at"].endswith("+08:00")
    assert q_api.get(f"{EW}/alerts/999999").status_code == 404


def test_alert_workflow_over_the_api(q_api, sales_api, quality):
    alert = f.raise_alert()
    r = q_api.post(f"{EW}/alerts/{alert.pk}/acknowledge", {"note": "收到"})
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    r = q_api.post(f"{EW}/alerts/{alert.pk}/report", {})
    assert r.status_code == 201
    report = r.json()
    assert report["status"] == "draft" and report["alert_status"] == "report_drafted"
    r = q_api.patch(
        f"{EW}/reports/{report['id']}", {"causes": "油封来料不良", "reason": "拆检结论"}
    )
    assert r.status_code == 200 and r.json()["causes"] == "油封来料不良"
    r = q_api.patch(f"{EW}/reports/{report['id']}", {"title": ""})
    assert r.status_code == 422
    r = q_api.post(f"{EW}/reports/{report['id']}/refresh-evidence", {})
    assert r.status_code == 200
    r = q_api.post(f"{EW}/reports/{report['id']}/issue", {})
    assert r.status_code == 200 and r.json()["status"] == "issued" and r.json()["notify_due_at"]
    assert q_api.post(f"{EW}/reports/{report['id']}/issue", {}).status_code == 422
    customer = CustomerFactory()
    body = {
        "customer": customer.pk,
        "notified_on": timezone.localdate().isoformat(),
        "channel": "visit",
        "agreed_solution": "批次全检并更换",
    }
    assert q_api.post(f"{EW}/reports/{report['id']}/notifications", body).status_code == 403
    r = sales_api.post(f"{EW}/reports/{report['id']}/notifications", {**body, "channel": "fax"})
    assert r.status_code == 422
    r = sales_api.post(f"{EW}/reports/{report['id']}/notifications", body)
    assert r.status_code == 201 and r.json()["customer"] == customer.pk
    r = sales_api.post(f"{EW}/alerts/{alert.pk}/close", {"note": "已闭环"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    full = sales_api.get(f"{EW}/reports/{report['id']}").json()
    assert len(full["notifications"]) == 1 and full["alert_status"] == "closed"


def test_dismiss_needs_a_reason_over_the_api(q_api):
    alert = f.raise_alert()
    r = q_api.post(f"{EW}/alerts/{alert.pk}/dismiss", {"reason": ""})
    assert r.status_code == 422
    r = q_api.post(f"{EW}/alerts/{alert.pk}/dismiss", {"reason": "重复"})
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    assert q_api.post(f"{EW}/alerts/{alert.pk}/acknowledge", {}).status_code == 422


def test_agents_see_nothing(api_as):
    agent = user_with("agent")
    alert = f.raise_alert()
    api = api_as(agent)
    assert api.get(f"{EW}/alerts/").status_code == 403
    assert api.get(f"{EW}/alerts/{alert.pk}").status_code == 403


def test_runs_api(q_api, sales_api):
    r = q_api.post(f"{EW}/runs/", {})
    assert r.status_code == 201 and r.json()["trigger"] == "manual"
    run_id = r.json()["id"]
    assert q_api.get(f"{EW}/runs/{run_id}").json()["status"] in {"queued", "succeeded"}
    assert q_api.get(f"{EW}/runs/").json()["count"] == 1
    assert sales_api.post(f"{EW}/runs/", {}).status_code == 403
    assert AnalysisRun.objects.count() == 1
    assert q_api.get(f"{EW}/runs/999999").status_code == 404


def test_production_volumes_api(q_api, sales_api):
    body = {
        "part_number": "SA-2041",
        "build_month": "2025-03",
        "quantity": 1500,
        "part_name": "前减振器",
    }
    r = q_api.post(f"{EW}/production-volumes/", body)
    assert r.status_code == 201
    pk = r.json()["id"]
    assert q_api.post(f"{EW}/production-volumes/", body).status_code == 422  # same month
    audit = AuditEntry.objects.count()
    for bad, field in (
        ({**body, "build_month": "2025-3"}, "build_month"),
        ({**body, "quantity": -1}, "quantity"),
        ({**body, "quantity": "many"}, "quantity"),
        ({**body, "build_month": "2099-01"}, "build_month"),
    ):
        r = q_api.post(f"{EW}/production-volumes/", bad)
        assert r.status_code == 422
        assert field in str(r.json()["detail"])
    assert ProductionVolume.objects.count() == 1 and AuditEntry.objects.count() == audit
    r = sales_api.patch(f"{EW}/production-volumes/{pk}", {"quantity": 1400, "reason": "更正"})
    assert r.status_code == 200 and r.json()["quantity"] == 1400
    assert q_api.get(f"{EW}/production-volumes/", {"part_number": "SA-2041"}).json()["count"] == 1
    assert q_api.get(f"{EW}/production-volumes/999999").status_code == 404
    assert api_for("technical").post(f"{EW}/production-volumes/", body).status_code == 403


def api_for(role):
    from conftest import ApiClient

    return ApiClient(user_with(role))


def test_purchase_volumes_api(sales_api):
    customer = CustomerFactory()
    body = {"customer": customer.pk, "month": "2025-03", "quantity": 300, "amount": "36000.00"}
    r = sales_api.post(f"{EW}/purchase-volumes/", body)
    assert r.status_code == 201 and r.json()["amount"] == "36000.00"
    pk = r.json()["id"]
    r = sales_api.post(f"{EW}/purchase-volumes/", {**body, "customer": 999999, "month": "2025-04"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "customer"
    r = sales_api.post(f"{EW}/purchase-volumes/", {**body, "month": "2025-04", "amount": "-1"})
    assert r.status_code == 422
    assert (
        sales_api.patch(f"{EW}/purchase-volumes/{pk}", {"quantity": 280}).json()["quantity"] == 280
    )
    assert PurchaseVolume.objects.count() == 1


def test_surveys_api(sales_api):
    customer = CustomerFactory()
    r = sales_api.post(
        f"{EW}/surveys/",
        {
            "kind": "customer_satisfaction",
            "customer": customer.pk,
            "date": "2025-03-01",
            "score": 4,
            "scale": 5,
        },
    )
    assert r.status_code == 201 and r.json()["score"] == "75.00"
    pk = r.json()["id"]
    r = sales_api.post(
        f"{EW}/surveys/", {"kind": "customer_satisfaction", "date": "2025-03-01", "score": 90}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "customer"
    r = sales_api.post(f"{EW}/surveys/", {"kind": "end_user", "date": "2025-03-01", "score": 120})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "raw_score"
    r = sales_api.post(
        f"{EW}/surveys/", {"kind": "end_user", "date": "2025-03-01", "score": 3, "scale": 7}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "scale"
    r = sales_api.patch(f"{EW}/surveys/{pk}", {"score": 5})
    assert r.status_code == 200 and r.json()["score"] == "100.00"
    assert SurveyResponse.objects.count() == 1
    assert sales_api.get(f"{EW}/surveys/", {"kind": "end_user"}).json()["count"] == 0


def test_part_analysis_api(q_api, monkeypatch):
    rows, volumes = f.claim_rows(bad={8: 5.0}, cohorts=14)
    f.patch_claims(monkeypatch, rows)
    ProductionVolume.objects.bulk_create(
        ProductionVolume(part_number="SA-2041", build_month=m, quantity=q)
        for m, q in volumes.items()
    )
    body = q_api.get(f"{EW}/parts/SA-2041").json()
    assert body["part_number"] == "SA-2041" and len(body["cohorts"]) == len(volumes)
    assert body["pareto"] and body["pooled_fit"]["shape"] > 0
    assert sum(map(sum, body["claims"])) > 0
    parts = q_api.get(f"{EW}/parts/").json()
    assert parts[0]["part_number"] == "SA-2041" and parts[0]["months"] == len(volumes)
    assert q_api.get(f"{EW}/parts/NOPE").status_code == 404


def test_report_pdf_api(q_api):
    report = f.drafted_report()
    r = q_api.get(f"{EW}/reports/{report.pk}/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_alert_ids_of_closed_and_unknown(q_api):
    alert = f.raise_alert()
    Alert.objects.filter(pk=alert.pk).update(status=AlertStatus.CLOSED)
    assert q_api.post(f"{EW}/alerts/{alert.pk}/report", {}).status_code == 422
    assert q_api.post(f"{EW}/alerts/999999/report", {}).status_code == 404
