"""The written report as PDF: Chinese text, the sections, the charts and the notifications
come out (checked by extracting the text with pdftotext)."""

import shutil
import subprocess

import pytest
from django.test import override_settings
from django.utils import timezone

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.earlywarning import services
from serviceloop.earlywarning.documents.pdf import report_pdf
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@override_settings(LANGUAGE_CODE="zh-hans")
def test_report_pdf_text(tmp_path):
    quality = user_with("quality")
    report = f.issued_report(f.raise_alert(f.claims_finding(cohort="2025-03")), quality)
    services.notification_record(
        actor=user_with("sales"),
        report=report,
        customer=CustomerFactory(name="长江汽车股份有限公司"),
        notified_on=timezone.localdate(),
        channel="visit",
        agreed_solution="库存全检,已装车的在下次保养时更换。",
    )
    path = tmp_path / "r.pdf"
    path.write_bytes(report_pdf(report))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    assert report.number in flat and report.alert.number in flat
    assert "前减振器" in flat and "长江汽车股份有限公司" in flat
    assert "库存全检" in flat
    assert "CUSUM" in flat  # the chart titles and the analysis
    assert "h=4.90" in flat  # text inside the SVG chart
