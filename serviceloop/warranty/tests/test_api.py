"""API of `warranty-claims` (interface.md): fields, decisions, bad input, scope, files."""

import pytest

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import AgreementFactory, CustomerFactory, user_with
from serviceloop.warranty.models import ClaimAttachment, WarrantyClaim, WarrantyDecisionRecord
from serviceloop.warranty.services import attachment_add
from serviceloop.warranty.tests.factories import PNG, make_claim, png_upload

pytestmark = pytest.mark.django_db

BASE = {
    "purchase_date": "2025-03-10",
    "failure_date": "2025-09-01",
    "mileage_km": 12000,
    "findings": ["manufacturing_defect"],
    "repairable": True,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def quality_api(api_as):
    return api_as(user_with("quality"))


def fields_named(response):
    return {d.get("field") or d["loc"][-1] for d in response.json()["detail"]}


def test_create_answers_the_decision_and_the_terms(quality_api):
    c = CustomerFactory()
    r = quality_api.post("warranty-claims/", {"customer": c.pk, **BASE})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["id"] and body["number"].startswith("WC-") and body["status"] == "decided"
    assert body["customer"] == c.pk
    assert body["decision"] == "covered"
    assert body["reasons"] == ["manufacturing_defect"]
    assert body["remedy"] == "repair"
    assert body["last_covered_day"] == "2026-03-10"
    assert body["km_limit"] == 30000
    assert body["terms_from_agreement"] is False
    assert body["overridden"] is False and body["rule_version"] == "2026.1"
    assert body["explanation"][0].startswith("Decision: covered")
    got = quality_api.get(f"warranty-claims/{body['id']}").json()
    assert got["decision"] == "covered" and got["mileage_km"] == 12000.0


def test_explanation_in_chinese(quality_api):
    c = CustomerFactory()
    claim_id = quality_api.post("warranty-claims/", {"customer": c.pk, **BASE}).json()["id"]
    quality_api.client.cookies["django_language"] = "zh-hans"  # the UI's language switch
    r = quality_api.get(f"warranty-claims/{claim_id}")
    assert r.json()["explanation"][0] == "结论:属于三包范围,建议处理方式:维修(能修则修)。"


def test_agreement_terms_and_nullable_inputs(quality_api):
    c = CustomerFactory()
    AgreementFactory(customer=c, valid_from="2025-01-01", warranty_months=24, warranty_km=None)
    r = quality_api.post(
        "warranty-claims/",
        {
            **BASE,
            "customer": c.pk,
            "failure_date": "2027-01-05",
            "mileage_km": None,
            "repairable": None,
        },
    )
    body = r.json()
    assert r.status_code == 201
    assert body["terms_from_agreement"] is True and body["last_covered_day"] == "2027-03-10"
    assert (body["decision"], body["remedy"], body["mileage_km"]) == ("covered", "replace", None)
    r = quality_api.post(
        "warranty-claims/", {**BASE, "customer": c.pk, "purchase_date": None, "serial_number": "X"}
    )
    assert r.json()["decision"] == "needs_review" and r.json()["last_covered_day"] is None
    assert r.json()["reasons"] == ["purchase_date_missing"] and r.json()["remedy"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"failure_date": "2025-03-09"}, "failure_date"),  # before purchase
        ({"failure_date": None}, "failure_date"),
        ({"mileage_km": -1}, "mileage_km"),
        ({"findings": ["manufacturing_defect", "bad_luck"]}, "findings"),
        ({"findings": "manufacturing_defect"}, "findings"),
        ({"customer": 999999}, "customer"),
        ({"build_month": "2025/02"}, "build_month"),
        ({"cost_parts": -3}, "cost_parts"),
        ({"failure_date": "2025-02-30"}, "failure_date"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_stores_nothing(quality_api, change, field):
    c = CustomerFactory()
    audit = AuditEntry.objects.count()
    r = quality_api.post("warranty-claims/", {"customer": c.pk, **BASE, **change})
    assert r.status_code == 422, r.content
    assert field in fields_named(r), r.json()
    assert not WarrantyClaim.objects.exists()
    assert not WarrantyDecisionRecord.objects.exists()
    assert AuditEntry.objects.count() == audit


def test_missing_failure_date_field(quality_api):
    c = CustomerFactory()
    body = {k: v for k, v in BASE.items() if k != "failure_date"}
    r = quality_api.post("warranty-claims/", {"customer": c.pk, **body})
    assert r.status_code == 422 and "failure_date" in fields_named(r)


def test_agent_scope(api_as):
    agent = user_with("agent")
    mine = CustomerFactory(agent=agent.agent, tier="retail")
    other = CustomerFactory(tier="retail")
    api = api_as(agent)
    r = api.post("warranty-claims/", {"customer": other.pk, **BASE})
    assert r.status_code == 422 and fields_named(r) == {"customer"}
    assert api.post("warranty-claims/", {"customer": mine.pk, **BASE}).status_code == 201
    hidden = make_claim(customer=other)
    assert api.get(f"warranty-claims/{hidden.pk}").status_code == 404
    assert api.patch(f"warranty-claims/{hidden.pk}", {"lot": "x"}).status_code == 404
    assert api.get(f"warranty-claims/{hidden.pk}/decisions").status_code == 404
    listed = api.get("warranty-claims/").json()
    assert listed["count"] == 1 and listed["items"][0]["customer"] == mine.pk
    r = api.patch(f"warranty-claims/{listed['items'][0]['id']}", {"customer": other.pk})
    assert r.status_code == 422 and "customer" in fields_named(r)
    assert api.get("warranty-claims/424242").status_code == 404


def test_patch_re_decides_and_the_history_lists_both(quality_api):
    c = CustomerFactory()
    claim_id = quality_api.post("warranty-claims/", {"customer": c.pk, **BASE}).json()["id"]
    r = quality_api.patch(
        f"warranty-claims/{claim_id}", {"mileage_km": 30000.1, "reason": "重新读表"}
    )
    assert r.status_code == 200
    assert r.json()["decision"] == "not_covered" and r.json()["reasons"] == ["expired_mileage"]
    history = quality_api.get(f"warranty-claims/{claim_id}/decisions").json()
    assert [(h["seq"], h["decision"], h["note"]) for h in history] == [
        (1, "covered", ""),
        (2, "not_covered", "重新读表"),
    ]
    assert history[1]["inputs"]["mileage_km"] == "30000.1"
    r = quality_api.patch(f"warranty-claims/{claim_id}", {"mileage_km": -1})
    assert r.status_code == 422 and "mileage_km" in fields_named(r)
    assert len(quality_api.get(f"warranty-claims/{claim_id}/decisions").json()) == 2


def test_override_and_the_workflow(api_as, quality_api):
    c = CustomerFactory()
    body = {**BASE, "customer": c.pk, "findings": ["improper_use"]}
    claim_id = quality_api.post("warranty-claims/", body).json()["id"]
    sales = api_as(user_with("sales"))
    r = sales.post(f"warranty-claims/{claim_id}/override", {"decision": "covered", "reason": "r"})
    assert r.status_code == 403
    r = quality_api.post(f"warranty-claims/{claim_id}/override", {"decision": "covered"})
    assert r.status_code == 422 and "reason" in fields_named(r)
    r = quality_api.post(
        f"warranty-claims/{claim_id}/override",
        {"decision": "covered", "remedy": "refund", "reason": "用户选择退货"},
    )
    body = r.json()
    assert r.status_code == 200
    assert (body["decision"], body["remedy"], body["overridden"]) == ("covered", "refund", True)
    assert (body["rule_decision"], body["rule_remedy"]) == ("not_covered", None)
    assert body["reasons"] == ["improper_use"] and body["override_reason"] == "用户选择退货"
    assert quality_api.post(f"warranty-claims/{claim_id}/reject", {}).status_code == 422
    assert quality_api.post(f"warranty-claims/{claim_id}/approve", {}).json()["status"] == (
        "approved"
    )
    r = sales.post(f"warranty-claims/{claim_id}/settle", {"note": "已退款", "cost_parts": "88.5"})
    assert r.json()["status"] == "settled" and r.json()["cost_total"] == "88.50"
    assert sales.post(f"warranty-claims/{claim_id}/close", {"reason": "r"}).status_code == 422


def test_reject_reopen_close(api_as, quality_api):
    c = CustomerFactory()
    body = {**BASE, "customer": c.pk, "findings": ["modification"]}
    claim_id = quality_api.post("warranty-claims/", body).json()["id"]
    assert (
        quality_api.post(f"warranty-claims/{claim_id}/reject", {"note": "改装"}).json()["status"]
        == "rejected"
    )
    r = quality_api.post(f"warranty-claims/{claim_id}/reopen", {"reason": "客户补充证据"})
    assert r.json()["status"] == "decided"
    quality_api.post(f"warranty-claims/{claim_id}/reject", {})
    r = api_as(user_with("sales")).post(f"warranty-claims/{claim_id}/close", {"reason": "已告知"})
    assert r.json()["status"] == "closed" and r.json()["close_reason"] == "已告知"
    assert quality_api.post(f"warranty-claims/{claim_id}/redecide", {}).status_code == 422


def test_list_filters(quality_api):
    q = user_with("quality")
    make_claim(q, part_number="SA-2041", build_month="2025-01")
    make_claim(q, part_number="SA-2042", findings=["modification"])
    data = quality_api.get("warranty-claims/", {"part_number": "SA-2041"}).json()
    assert data["count"] == 1 and data["items"][0]["build_month"] == "2025-01"
    assert quality_api.get("warranty-claims/", {"decision": "not_covered"}).json()["count"] == 1
    assert quality_api.get("warranty-claims/", {"q": "SA-204", "limit": 1}).json()["count"] == 2


# --- attachments ---------------------------------------------------------------------------


def test_attachments_upload_list_download(api_as, quality_api):
    claim = make_claim()
    url = f"/api/v1/warranty-claims/{claim.pk}/attachments"
    r = quality_api.client.post(
        url, {"file": png_upload("油封.png"), "description": "返件"}, headers=quality_api.headers
    )
    assert r.status_code == 201, r.content
    att = r.json()
    assert att["original_name"] == "油封.png" and att["content_type"] == "image/png"
    assert att["size"] == len(PNG) and len(att["sha256"]) == 64
    listed = quality_api.get(f"warranty-claims/{claim.pk}/attachments").json()
    assert [a["id"] for a in listed] == [att["id"]]
    r = quality_api.client.get(att["url"], headers=quality_api.headers)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    assert r["Content-Type"] == "image/png"
    stranger = api_as(user_with("agent"))  # an agent not serving this customer
    assert stranger.client.get(att["url"], headers=stranger.headers).status_code == 404
    r = stranger.client.post(url, {"file": png_upload()}, headers=stranger.headers)
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("fake.png", b"%PDF-1.4 not a png", "does not match"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_attachment_validation(quality_api, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = make_claim()
    r = quality_api.client.post(
        f"/api/v1/warranty-claims/{claim.pk}/attachments",
        {"file": SimpleUploadedFile(name, content)},
        headers=quality_api.headers,
    )
    assert r.status_code == 422 and "file" in fields_named(r)
    assert message in r.content.decode()
    assert not ClaimAttachment.objects.exists()


def test_attachment_size_limit(quality_api, monkeypatch):
    from serviceloop.core import files

    monkeypatch.setattr(files, "MAX_ATTACHMENT_BYTES", 10)
    claim = make_claim()
    r = quality_api.client.post(
        f"/api/v1/warranty-claims/{claim.pk}/attachments",
        {"file": png_upload()},
        headers=quality_api.headers,
    )
    assert r.status_code == 422 and "too large" in r.content.decode()


def test_attachment_permission_to_upload(api_as):
    claim = make_claim()
    viewer = api_as(user_with("production"))
    r = viewer.client.post(
        f"/api/v1/warranty-claims/{claim.pk}/attachments",
        {"file": png_upload()},
        headers=viewer.headers,
    )
    assert r.status_code == 403
    attachment_add(actor=user_with("quality"), claim=claim, upload=png_upload())
    att = ClaimAttachment.objects.get()
    r = viewer.client.get(
        f"/api/v1/warranty-claims/{claim.pk}/attachments/{att.pk}", headers=viewer.headers
    )
    assert r.status_code == 200  # every internal role may see the claim and its files
    other = make_claim()
    r = viewer.client.get(
        f"/api/v1/warranty-claims/{other.pk}/attachments/{att.pk}", headers=viewer.headers
    )
    assert r.status_code == 404  # the file belongs to another claim
