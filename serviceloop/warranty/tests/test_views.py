"""The pages: they render, their forms post through the services, files are guarded."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.warranty.models import ClaimAttachment, Status, WarrantyClaim
from serviceloop.warranty.services import attachment_add, claim_override
from serviceloop.warranty.tests.factories import PNG, make_claim, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def browser(role="quality", **kwargs):
    user = user_with(role, **kwargs)
    client = Client()
    client.force_login(user)
    return client, user


def form_data(customer, **over):
    data = {
        "customer": customer.pk,
        "reported_on": "2025-09-02",
        "purchase_date": "2025-03-10",
        "failure_date": "2025-09-01",
        "mileage_km": "12000",
        "findings": ["manufacturing_defect"],
        "repairable": "true",
        "part_number": "SA-2041",
        "build_month": "2025-02",
        "cost_parts": "320",
        "cost_labour": "",
        "cost_travel": "",
    }
    data.update(over)
    return data


def test_register_by_form_then_see_the_decision_explained():
    client, _ = browser("sales")
    customer = CustomerFactory()
    r = client.get(reverse("warranty:create"))
    assert r.status_code == 200 and "Inspection findings" in r.content.decode()
    r = client.post(reverse("warranty:create"), form_data(customer))
    claim = WarrantyClaim.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("warranty:detail", args=[claim.pk])
    assert (claim.decision, claim.remedy, str(claim.cost_total)) == ("covered", "repair", "320.00")
    page = client.get(r["Location"]).content.decode()
    assert "Manufacturing defect that impairs normal use (R-5.6.1.3)." in page
    assert "covered through 2026-03-10 inclusive" in page
    assert "Rule version 2026.1." in page


def test_form_errors_name_the_field_and_store_nothing():
    client, _ = browser("sales")
    customer = CustomerFactory()
    r = client.post(
        reverse("warranty:create"),
        form_data(customer, failure_date="2025-03-01", mileage_km="-3"),
    )
    assert r.status_code == 400
    form = r.context["form"]
    assert "failure_date" in form.errors and "mileage_km" in form.errors
    assert not WarrantyClaim.objects.exists()


def test_edit_re_decides_and_shows_the_history():
    client, _ = browser("quality")
    claim = make_claim()
    r = client.get(reverse("warranty:edit", args=[claim.pk]))
    assert r.status_code == 200
    data = form_data(claim.customer, failure_date="2026-04-01", reason="客户更正故障日期")
    r = client.post(reverse("warranty:edit", args=[claim.pk]), data)
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.decision == "not_covered" and claim.decisions.count() == 2
    page = client.get(reverse("warranty:detail", args=[claim.pk])).content.decode()
    assert "客户更正故障日期" in page and "Outside the warranty period" in page


def test_inputs_are_locked_after_approval():
    client, user = browser("quality")
    claim = make_claim(user)
    client.post(reverse("warranty:approve", args=[claim.pk]), {"approve-note": "ok"})
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED
    r = client.get(reverse("warranty:edit", args=[claim.pk]))
    assert r.context["form"].fields["failure_date"].disabled
    data = form_data(claim.customer, failure_date="2026-04-01", lot="L77")
    assert client.post(reverse("warranty:edit", args=[claim.pk]), data).status_code == 302
    claim.refresh_from_db()
    assert claim.lot == "L77" and claim.failure_date == date(2025, 9, 1)


def test_override_is_shown_distinctly():
    client, user = browser("sales_leader")
    claim = make_claim(user_with("quality"), findings=["improper_use"])
    r = client.post(reverse("warranty:override", args=[claim.pk]), {"override-decision": "covered"})
    assert r.status_code == 400 and "override-reason" in r.content.decode()
    r = client.post(
        reverse("warranty:override", args=[claim.pk]),
        {"override-decision": "covered", "override-remedy": "", "override-reason": "善意处理"},
    )
    assert r.status_code == 302
    page = client.get(reverse("warranty:detail", args=[claim.pk])).content.decode()
    assert "Overridden by a person" in page and "善意处理" in page
    assert 'class="card override"' in page


def test_action_buttons_follow_state_and_role():
    client, _ = browser("sales")
    claim = make_claim()
    page = client.get(reverse("warranty:detail", args=[claim.pk])).content.decode()
    assert reverse("warranty:approve", args=[claim.pk]) not in page  # sales does not approve
    assert reverse("warranty:close", args=[claim.pk]) in page
    reviewer, _ = browser("quality")
    page = reviewer.get(reverse("warranty:detail", args=[claim.pk])).content.decode()
    assert reverse("warranty:approve", args=[claim.pk]) in page
    assert reverse("warranty:reject", args=[claim.pk]) not in page  # it is covered


def test_the_whole_path_through_the_pages():
    reviewer, _ = browser("quality")
    sales, _ = browser("sales")
    claim = make_claim(repairable=False)
    assert reviewer.post(reverse("warranty:approve", args=[claim.pk]), {}).status_code == 302
    r = sales.post(reverse("warranty:settle", args=[claim.pk]), {"settle-note": "done"})
    assert r.status_code == 400 and "replacement" in r.content.decode().lower()
    r = sales.post(
        reverse("warranty:settle", args=[claim.pk]),
        {"settle-replacement_serial": "R-1", "settle-cost_parts": "100"},
    )
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.SETTLED and str(claim.cost_total) == "100.00"
    other = make_claim(findings=["modification"])
    reviewer.post(reverse("warranty:reject", args=[other.pk]), {})
    reviewer.post(reverse("warranty:reopen", args=[other.pk]), {"reopen-reason": "新证据"})
    other.refresh_from_db()
    assert other.status == Status.DECIDED
    reviewer.post(reverse("warranty:reject", args=[other.pk]), {})
    sales.post(reverse("warranty:close", args=[other.pk]), {"close-reason": "已告知"})
    other.refresh_from_db()
    assert other.status == Status.CLOSED
    r = sales.post(reverse("warranty:redecide", args=[other.pk]))
    assert r.status_code == 302  # refused with a message: the claim is closed


def test_list_filters_htmx_partial_and_export():
    client, _ = browser("sales")
    q = user_with("quality")
    make_claim(q, part_number="SA-2041")
    covered_not = make_claim(q, part_number="CR-1120", findings=["modification"])
    claim_override(actor=q, claim=covered_not, decision="covered", reason="r")
    r = client.get(reverse("warranty:list"), {"part_number": "CR-1120"})
    assert r.status_code == 200 and "CR-1120" in r.content.decode()
    assert "SA-2041" not in r.content.decode().split('id="results"')[1]
    r = client.get(
        reverse("warranty:list"),
        {"overridden": "1"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert r.status_code == 200 and "<html" not in r.content.decode()
    assert "CR-1120" in r.content.decode()
    r = client.get(reverse("warranty:list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert len(rows) == 3 and rows[0][0] == "Number"
    engineer, _ = browser("service_engineer")
    assert engineer.get(reverse("warranty:list"), {"export": "xlsx"}).status_code == 403


def test_attachments_upload_and_guarded_download():
    client, _ = browser("service_engineer")
    claim = make_claim()
    r = client.post(
        reverse("warranty:attachment_add", args=[claim.pk]),
        {"attachment-file": png_upload("返件.png"), "attachment-description": "返件照片"},
    )
    assert r.status_code == 302
    att = ClaimAttachment.objects.get()
    url = reverse("warranty:attachment", args=[claim.pk, att.pk])
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    page = client.get(reverse("warranty:detail", args=[claim.pk])).content.decode()
    assert url in page and "返件照片" in page
    stranger, _ = browser("agent")
    assert stranger.get(url).status_code == 404
    assert stranger.get(reverse("warranty:detail", args=[claim.pk])).status_code == 404
    r = client.post(
        reverse("warranty:attachment_add", args=[claim.pk]),
        {"attachment-file": png_upload("x.exe")},
    )
    assert r.status_code == 400 and ClaimAttachment.objects.count() == 1


def test_a_pdf_downloads_as_attachment():
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = make_claim()
    att = attachment_add(
        actor=user_with("quality"),
        claim=claim,
        upload=SimpleUploadedFile("发票.pdf", b"%PDF-1.4\n%\xe2\xe3\n"),
    )
    client, _ = browser("production")
    r = client.get(reverse("warranty:attachment", args=[claim.pk, att.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment")
