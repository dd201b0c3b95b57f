"""Pages: they render for the people who use them, filter with htmx, export, and answer a
bad form with the page and its errors (400) without storing anything."""

import pytest
from django.test import Client
from django.urls import reverse

from serviceloop.complaints import services
from serviceloop.complaints.models import Complaint, EightDReport, ReplyTemplate
from serviceloop.complaints.tests.factories import (
    complete_up_to_close,
    open_report,
    register_complaint,
)
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, user_with

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def quality(db):
    return user_with("quality")


def test_register_list_filters_with_htmx_and_exports(sales):
    register_complaint(sales, part_number="SA-1", description="异响")
    register_complaint(sales, part_number="SB-2", description="漏油", in_production=True)
    c = client_for(sales)
    page = c.get(reverse("complaints:list")).content.decode()
    assert "SA-1" in page and "SB-2" in page and 'hx-get="/complaints/"' in page
    partial = c.get(
        reverse("complaints:list"),
        {"in_production": "1"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    text = partial.content.decode()
    assert "SB-2" in text and "SA-1" not in text and "<html" not in text
    r = c.get(reverse("complaints:list"), {"q": "漏油", "export": "xlsx"})
    assert r.status_code == 200 and "complaint-register" in r["Content-Disposition"]


def test_a_bad_complaint_form_shows_errors_and_stores_nothing(sales):
    audit = AuditEntry.objects.count()
    r = client_for(sales).post(
        reverse("complaints:create"),
        {
            "kind": "complaint",
            "customer": CustomerFactory().pk,
            "received_at": "2026-01-05T10:00",
            "part_number": "SA-1",
            "quantity": "0",
            "description": "x",
            "severity": "medium",
        },
    )
    assert r.status_code == 400 and "The quantity must be at least 1." in r.content.decode()
    assert not Complaint.objects.exists() and AuditEntry.objects.count() == audit


def test_detail_edit_and_convert(sales, quality):
    complaint = register_complaint(sales)
    c = client_for(sales)
    page = c.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Convert into an 8D report" in page
    r = c.post(
        reverse("complaints:edit", args=[complaint.pk]),
        {
            "customer_reference": "QC-88",
            "received_at": "2026-01-05T10:00",
            "part_number": "SA-1",
            "part_name": "",
            "lot": "L1",
            "quantity": "5",
            "description": "更正",
            "severity": "low",
        },
    )
    assert r.status_code == 302
    complaint.refresh_from_db()
    assert complaint.customer_reference == "QC-88" and complaint.quantity == 5
    r = c.post(reverse("complaints:open_8d", args=[complaint.pk]), {"leader": "999999"})
    assert r.status_code == 400 and not EightDReport.objects.exists()


def test_8d_pages_for_quality_and_read_only_for_others(quality):
    report = open_report(leader=quality)
    q, tech = client_for(quality), client_for(user_with("technical"))
    for code in ("d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"):
        url = reverse("complaints:discipline", args=[report.pk, code])
        assert "Mark done" in q.get(url).content.decode() or code == "d8"
        page = tech.get(url).content.decode()
        assert "Mark done" not in page and "discipline-form" not in page
    assert q.get(reverse("complaints:discipline", args=[report.pk, "d9"])).status_code == 404
    overview = q.get(reverse("complaints:eightd", args=[report.pk])).content.decode()
    assert "Before the 8D can close" in overview and report.number in overview
    r = q.get(reverse("complaints:eightd_pdf", args=[report.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_a_team_member_edits_disciplines_in_the_page(quality):
    report = open_report(leader=quality)
    member = user_with("production")
    services.team_add(actor=quality, report=report, user=member)
    m = client_for(member)
    url = reverse("complaints:discipline", args=[report.pk, "d3"])
    assert "discipline-form" in m.get(url).content.decode()
    assert m.post(url, {"disc-summary": "在制品隔离"}).status_code == 302
    assert m.post(url, {"disc-summary": "x", "disc-owner": member.pk}).status_code == 403


def test_failed_row_action_shows_its_errors(quality):
    report = open_report(leader=quality)
    item = services.action_add(
        actor=quality,
        report=report,
        discipline="d5",
        kind="training",
        description="培训",
        owner=quality,
        due_at=report.disciplines.get(code="d5").due_at,
    )
    r = client_for(quality).post(
        reverse("complaints:action_complete", args=[item.pk]),
        {"complete-result": "已培训", "back": "d5"},
    )
    assert r.status_code == 400 and "Name the people who were trained." in r.content.decode()


def test_closing_refused_in_the_page_lists_what_is_missing(quality):
    report = open_report(register_complaint(in_production=True), leader=quality)
    r = client_for(quality).post(
        reverse("complaints:close", args=[report.pk]), {"close-summary": "结案"}
    )
    text = r.content.decode()
    assert r.status_code == 400 and "still in production" in text and "is not complete" in text


def test_negotiation_pages(quality, sales):
    report = open_report(register_complaint(sales), leader=quality)
    services.cause_add(
        actor=quality,
        report=report,
        kind="occurrence",
        category="design",
        description="顾客设计",
        responsibility="customer",
    )
    q, s = client_for(quality), client_for(sales)
    assert (
        q.post(
            reverse("complaints:refer", args=[report.pk]), {"refer-reason": "顾客设计原因"}
        ).status_code
        == 302
    )
    page = s.get(reverse("complaints:eightd", args=[report.pk])).content.decode()
    assert "Record the negotiation outcome" in page
    assert (
        s.post(
            reverse("complaints:negotiation", args=[report.pk]),
            {"neg-outcome": "customer_accepts", "neg-text": "顾客同意"},
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.negotiation_outcome == "customer_accepts"


def test_reply_letter_forms_pages(quality):
    customer = CustomerFactory()
    q = client_for(quality)
    assert customer.name in q.get(reverse("complaints:templates")).content.decode()
    url = reverse("complaints:template_edit", args=[customer.pk])
    assert "顾客投诉回答书" in q.get(url).content.decode()
    r = q.post(url, {"title": "回复函", "subject": "{{ complaint_number }}", "body": "{% if %}"})
    assert r.status_code == 400 and not ReplyTemplate.objects.exists()
    r = q.post(
        url, {"title": "回复函", "subject": "{{ complaint_number }}", "body": "{{ problem }}"}
    )
    assert r.status_code == 302 and ReplyTemplate.objects.get().customer == customer


def test_reply_send_without_a_letter_is_explained(sales, quality):
    report = open_report(register_complaint(sales), leader=quality)
    r = client_for(sales).post(
        reverse("complaints:reply_send", args=[report.pk]),
        {"send-sent_to": "x", "send-method": "email"},
    )
    assert r.status_code == 400 and "Quality drafts it first" in r.content.decode()


def test_action_list_and_review_pages(quality):
    report = open_report(leader=quality)
    complete_up_to_close(report, quality)
    q = client_for(quality)
    page = q.get(reverse("complaints:actions"), {"overdue": "0"}).content.decode()
    assert "调整压装机压力并加装压力报警" in page
    r = q.get(reverse("complaints:actions"), {"export": "xlsx"})
    assert r.status_code == 200
    page = q.get(reverse("complaints:review")).content.decode()
    assert "<svg" in page and "Complaints by month" in page
    r = q.get(
        reverse("complaints:review"),
        {"date_from": "2026-01-01", "date_to": "2026-12-31", "export": "pdf"},
    )
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = q.get(reverse("complaints:review"), {"export": "xlsx"})
    assert r.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(r.content))
    assert any(ws._charts for ws in wb.worksheets)


def test_pages_in_chinese(quality, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    report = open_report(leader=quality)
    c = client_for(quality)
    page = c.get(reverse("complaints:discipline", args=[report.pk, "d3"])).content.decode()
    assert "临时围堵措施" in page or "围堵" in page
