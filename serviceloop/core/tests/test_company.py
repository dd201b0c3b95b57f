"""The company profile (issue 10, item 8): an administrator edits it on /settings/company/,
audited; every customer document takes its letterhead and signature from it; a reply letter
with "attach the full 8D report" carries the 8D report's own pages."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from docx import Document

from serviceloop.complaints import services as complaint_services
from serviceloop.complaints.documents.docx import reply_docx
from serviceloop.complaints.documents.pdf import eightd_pdf, reply_pdf
from serviceloop.complaints.models import ReplyLetter
from serviceloop.complaints.tests.factories import complete_up_to_close, open_report
from serviceloop.core.company import company_profile, company_profile_update
from serviceloop.core.demo import NAME_ZH, draw_logo, draw_seal, ensure_company
from serviceloop.core.models import AuditEntry, CompanyProfile
from serviceloop.core.testing.documents import pdf_pages, pdf_text
from serviceloop.core.testing.factories import CustomerFactory, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return ensure_company(user_with("admin"))


@pytest.fixture
def closed_report():
    quality = user_with("quality")
    report = open_report(leader=quality, customer=CustomerFactory(name="长江汽车股份有限公司"))
    complete_up_to_close(report, quality)
    complaint_services.eightd_close(actor=quality, report=report, summary="同意结案。")
    report.refresh_from_db()
    return report, quality


def test_the_administrator_edits_the_profile_on_the_settings_page(client):
    admin = user_with("admin")
    client.force_login(admin)
    assert client.get("/settings/company/").status_code == 200
    r = client.post(
        "/settings/company/",
        {
            "name_zh": "华东汽车零部件股份有限公司",
            "name_en": "East China Auto Parts",
            "address": "常州市兴业路88号",
            "phone": "0519-1234",
            "signatory_name": "郭红",
            "signatory_title": "管理者代表",
            "logo_file": SimpleUploadedFile("logo.png", draw_logo(), "image/png"),
        },
    )
    assert r.status_code == 302
    profile = CompanyProfile.objects.get(pk=1)
    assert profile.name_zh == "华东汽车零部件股份有限公司" and profile.logo_type == "image/png"
    entry = AuditEntry.objects.get(object_type="core.companyprofile")
    assert entry.actor == admin and entry.after["name_zh"] == profile.name_zh
    assert entry.after["logo"].startswith("sha256:")  # the image itself stays out of the log
    page = client.get("/settings/company/").content.decode()
    assert "data:image/png;base64," in page and "郭红" in page


def test_only_an_administrator_may_edit_and_a_refusal_stores_nothing(client):
    quality = user_with("quality")
    client.force_login(quality)
    assert client.get("/settings/company/").status_code == 403
    r = client.post("/settings/company/", {"name_zh": "别的公司"})
    assert r.status_code == 403
    assert not CompanyProfile.objects.exists()
    assert not AuditEntry.objects.filter(object_type="core.companyprofile").exists()


def test_an_image_that_is_not_png_or_jpeg_is_refused(client):
    client.force_login(user_with("admin"))
    r = client.post(
        "/settings/company/",
        {"name_zh": "甲公司", "seal_file": SimpleUploadedFile("x.svg", b"<svg/>", "image/svg")},
    )
    assert r.status_code == 400 and "PNG" in r.content.decode()
    assert not CompanyProfile.objects.exists()


def test_reply_letter_carries_letterhead_and_signatory_not_the_product_name(company, closed_report):
    report, quality = closed_report
    letter, _ = complaint_services.reply_draft(actor=quality, report=report)
    text = pdf_text(reply_pdf(letter))
    for expected in (NAME_ZH, "兴业路88号", "0519-86688000", "管理者代表", "郭红"):
        assert expected in text
    assert "ServiceLoop" not in text
    body = "\n".join(p.text for p in Document(BytesIO(reply_docx(letter))).paragraphs)
    assert NAME_ZH in body and "郭红" in body and "ServiceLoop" not in body
    with translation.override("zh-hans"):
        text = pdf_text(eightd_pdf(report))
    assert NAME_ZH in text and "ServiceLoop" not in text
    with translation.override("en"):  # in English the letterhead gives the English name
        assert "East China Auto Parts" in pdf_text(eightd_pdf(report), joined=False)


def test_attach_the_full_8d_appends_the_8d_reports_pages(company, closed_report):
    report, quality = closed_report
    letter, _ = complaint_services.reply_draft(actor=quality, report=report)
    alone = pdf_pages(reply_pdf(letter))
    assert not any(f"8D报告{report.number}" in p for p in alone)
    letter, _ = complaint_services.reply_draft(actor=quality, report=report, attach_8d=True)
    pages = pdf_pages(reply_pdf(letter))
    with translation.override("zh-hans"):
        eightd = pdf_pages(eightd_pdf(report))
    assert len(pages) == len(alone) + len(eightd)
    assert pages[len(alone)].startswith(eightd[0][:40])
    assert f"8D报告{report.number}" in pages[len(alone)]
    # refilling the text from the 8D keeps the tick
    letter, _ = complaint_services.reply_draft(actor=quality, report=report, regenerate=True)
    assert letter.attach_8d


def test_refill_on_the_page_keeps_attach_ticked(client, closed_report):
    report, quality = closed_report
    complaint_services.reply_draft(actor=quality, report=report)
    client.force_login(quality)
    r = client.post(
        f"/complaints/8d/{report.pk}/reply/",
        {"regenerate": "1", "reply-attach_8d": "on"},
    )
    assert r.status_code == 302
    assert ReplyLetter.objects.get(report=report).attach_8d


def test_a_fresh_installation_prints_the_configured_name(settings, closed_report):
    settings.SERVICELOOP_COMPANY_NAME = "测试公司"
    assert company_profile().name_zh == "测试公司"
    report, quality = closed_report
    letter, _ = complaint_services.reply_draft(actor=quality, report=report)
    assert "测试公司" in pdf_text(reply_pdf(letter))


def test_demo_profile_has_logo_and_seal(company):
    assert company.logo_url.startswith("data:image/png;base64,")
    assert company.seal_url and draw_seal("甲") != b""
    admin = user_with("admin")
    company_profile_update(actor=admin, remove=("seal",))
    assert not CompanyProfile.objects.get(pk=1).seal_url
