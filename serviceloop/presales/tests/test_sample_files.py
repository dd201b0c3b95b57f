"""Files of the sample and special-request flows (R-5.1.2, R-5.1.3): the inspection report
attached when the sample is recorded made, the document delivered for a special request;
both checked by ``core.files``, downloadable only by those who may see the record, and a
bad file leaves nothing half-written."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import user_with
from serviceloop.presales import services
from serviceloop.presales.models import SampleAttachment, SampleStatus, SpecialStatus
from serviceloop.presales.tests.factories import PDF, pdf_upload, sample

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _scheduled():
    sales, pq = user_with("sales"), user_with("production_quality")
    s = sample(sales)
    services.sample_approve(actor=user_with("technical"), sample=s, department="technical")
    services.sample_approve(actor=pq, sample=s, department="production_quality")
    services.sample_schedule(
        actor=pq, sample=s, planned_date=timezone.localdate() + timedelta(days=2)
    )
    s.refresh_from_db()
    return sales, pq, s


def test_the_inspection_report_is_attached_audited_and_served_to_who_may_see_it():
    sales, pq, s = _scheduled()
    services.sample_record_made(
        actor=pq,
        sample=s,
        lot="L2612",
        inspection_result="全尺寸合格",
        report=pdf_upload("检验报告-L2612.pdf"),
    )
    f = SampleAttachment.objects.get(sample=s)
    assert f.original_name == "检验报告-L2612.pdf" and f.content_type == "application/pdf"
    assert AuditEntry.objects.filter(object_type="presales.sampleattachment").count() == 1
    url = reverse("presales:sample_attachment", args=[s.pk, f.pk])
    response = _client(sales).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    page = _client(sales).get(reverse("presales:sample", args=[s.pk])).content.decode()
    assert url in page and "检验报告-L2612.pdf" in page
    # a role without sample.view is refused (another agency's agent gets a 404: the matrix)
    assert _client(user_with("agent")).get(url).status_code == 403


def test_a_bad_report_refuses_the_step_and_nothing_is_written():
    _sales, pq, s = _scheduled()
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.sample_record_made(
            actor=pq, sample=s, lot="L1", inspection_result="ok", report=fake
        )
    assert "report" in exc.value.message_dict
    s.refresh_from_db()
    assert s.status == SampleStatus.SCHEDULED and s.lot == ""
    assert not SampleAttachment.objects.exists()


def test_the_delivered_document_is_checked_and_downloadable():
    sales = user_with("sales")
    special = services.special_request(
        actor=sales, customer=sample(sales).customer, kind="technical_data", description="安装说明"
    )
    head = user_with("dept_head", department=special.department)
    services.special_decide(actor=head, special=special, feasible=True, note="可提供")
    fake = SimpleUploadedFile("资料.pdf", b"<html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.special_fulfil(actor=head, special=special, note="n", document=fake)
    assert "document" in exc.value.message_dict
    special.refresh_from_db()
    assert special.status == SpecialStatus.APPROVED and not special.document
    services.special_fulfil(
        actor=head, special=special, note="安装说明已发", document=pdf_upload("安装说明.pdf")
    )
    special.refresh_from_db()
    assert special.document_filename == "安装说明.pdf"
    url = reverse("presales:special_document", args=[special.pk])
    response = _client(sales).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    page = _client(sales).get(reverse("presales:special_detail", args=[special.pk]))
    assert f'<a href="{url}">安装说明.pdf</a>' in page.content.decode()
