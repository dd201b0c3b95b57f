"""Attachments of customer requirements and of department evaluations (R-5.1.1): upload
on the page and the API through ``core.files``, listing, download with permission checks,
the upload limits and hostile files refused, every upload audited."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from serviceloop.core import files
from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.presales import services
from serviceloop.presales.models import RequirementAttachment
from serviceloop.presales.tests.factories import pdf_upload, requirement

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_sales_attaches_a_drawing_and_a_department_its_evaluation_file():
    sales = user_with("sales")
    req = requirement(sales)
    a = services.requirement_attach(actor=sales, requirement=req, upload=pdf_upload())
    assert a.evaluation is None and a.content_type == "application/pdf" and len(a.sha256) == 64
    rnd = user_with("rnd")
    ev = req.evaluations.get(department__code="rnd")
    b = services.requirement_attach(actor=rnd, requirement=req, upload=pdf_upload(), evaluation=ev)
    assert b.evaluation == ev
    assert AuditEntry.objects.filter(object_type="presales.requirementattachment").count() == 2
    # another department's evaluation is refused
    purchasing_ev = req.evaluations.get(department__code="purchasing")
    with pytest.raises(ValidationError) as exc:
        services.requirement_attach(
            actor=rnd, requirement=req, upload=pdf_upload(), evaluation=purchasing_ev
        )
    assert "evaluation" in exc.value.message_dict


def test_hostile_and_oversized_files_are_refused(monkeypatch):
    sales = user_with("sales")
    req = requirement(sales)
    fake = SimpleUploadedFile(
        "drawing.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as exc:
        services.requirement_attach(actor=sales, requirement=req, upload=fake)
    assert "file" in exc.value.message_dict
    script = SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="text/html")
    with pytest.raises(ValidationError):
        services.requirement_attach(actor=sales, requirement=req, upload=script)
    monkeypatch.setattr(files, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError) as exc:
        services.requirement_attach(actor=sales, requirement=req, upload=pdf_upload())
    assert "file" in exc.value.message_dict
    assert not RequirementAttachment.objects.exists()


def test_upload_list_and_download_on_the_page():
    sales = user_with("sales")
    req = requirement(sales)
    c = _client(sales)
    url = reverse("presales:requirement", args=[req.pk])
    page = c.get(url).content.decode()
    assert reverse("presales:requirement_attach", args=[req.pk]) in page
    r = c.post(
        reverse("presales:requirement_attach", args=[req.pk]),
        {"attach-target": "0", "attach-file": pdf_upload(), "attach-description": "图纸 B 版"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    a = RequirementAttachment.objects.get()
    page = c.get(url).content.decode()
    download = reverse("presales:requirement_attachment", args=[req.pk, a.pk])
    assert download in page and "图纸 B 版" in page
    r = c.get(download)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF-")
    assert "sandbox" in r["Content-Security-Policy"]
    # a bad file: a form error, nothing stored
    r = c.post(
        reverse("presales:requirement_attach", args=[req.pk]),
        {"attach-target": "0", "attach-file": SimpleUploadedFile("a.exe", b"MZ")},
    )
    assert r.status_code == 400 and RequirementAttachment.objects.count() == 1
    # the R&D engineer attaches to R&D's evaluation only
    rnd = _client(user_with("rnd"))
    page = rnd.get(url).content.decode()
    assert "attach-target" in page
    ev = req.evaluations.get(department__code="rnd")
    other = req.evaluations.get(department__code="purchasing")
    r = rnd.post(
        reverse("presales:requirement_attach", args=[req.pk]),
        {"attach-target": str(other.pk), "attach-file": pdf_upload()},
    )
    assert r.status_code == 400
    r = rnd.post(
        reverse("presales:requirement_attach", args=[req.pk]),
        {"attach-target": str(ev.pk), "attach-file": pdf_upload()},
    )
    assert r.status_code == 302
    assert RequirementAttachment.objects.filter(evaluation=ev).count() == 1
    # a role that may not attach sees no form and is refused
    warehouse = _client(user_with("warehouse"))
    assert "attach-target" not in warehouse.get(url).content.decode()
    r = warehouse.post(reverse("presales:requirement_attach", args=[req.pk]), {})
    assert r.status_code == 403


def test_api_upload_list_download_and_scope(api_as):
    sales = user_with("sales")
    req = requirement(sales)
    api = api_as(sales)
    base = f"/api/v1/customer-requirements/{req.pk}/attachments"
    r = api.client.post(base, {"file": pdf_upload(), "description": "规格书"}, headers=api.headers)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["department"] is None and body["url"].endswith(f"/attachments/{body['id']}")
    r = api.client.post(base, {"file": pdf_upload(), "department": "rnd"}, headers=api.headers)
    assert r.status_code == 422 and "evaluation" in r.content.decode()  # Sales does not evaluate
    rnd = api_as(user_with("rnd"))
    r = rnd.client.post(base, {"file": pdf_upload(), "department": "rnd"}, headers=rnd.headers)
    assert r.status_code == 201 and r.json()["department"] == "rnd"
    r = rnd.client.post(base, {"department": "rnd"}, headers=rnd.headers)
    assert r.status_code == 422 and "file" in r.content.decode()
    listed = api.get(base).json()
    assert [a["description"] for a in listed] == ["规格书", ""]
    r = api.client.get(listed[0]["url"], headers=api.headers)
    assert r.status_code == 200
    # a file asked for under another requirement: 404
    other = requirement(sales, CustomerFactory())
    wrong = f"/api/v1/customer-requirements/{other.pk}/attachments/{listed[0]['id']}"
    assert api.get(wrong).status_code == 404
    assert api_as(user_with("agent")).get(base).status_code == 403
