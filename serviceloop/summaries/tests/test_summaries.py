"""The half-year service work summary (R-5.9.6): due dates, the workflow and its refusals,
the figures against a known world, and the PDF/DOCX read back."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from conftest import ApiClient
from serviceloop.communications import services as comm_services
from serviceloop.complaints import services as complaint_services
from serviceloop.complaints.models import Complaint, EightDReport
from serviceloop.complaints.tests.factories import (
    complete_up_to_close,
    open_report,
    register_complaint,
)
from serviceloop.core import deadlines
from serviceloop.core.models import AuditEntry
from serviceloop.core.my_work import PROVIDERS
from serviceloop.core.testing.factories import CustomerFactory, register_communication, user_with
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.earlywarning.tests.factories import raise_alert
from serviceloop.fieldservice.models import ServiceRecord
from serviceloop.fieldservice.tests.factories import engineer, record, return_form
from serviceloop.summaries import services
from serviceloop.summaries.documents import summary_docx, summary_pdf
from serviceloop.summaries.models import ServiceSummary, Status
from serviceloop.training import services as training_services
from serviceloop.visits.tests.factories import record_visit
from serviceloop.warranty import services as warranty_services
from serviceloop.warranty.tests.factories import make_claim

pytestmark = pytest.mark.django_db


def _aware(*args: int) -> datetime:
    return datetime(*args).replace(tzinfo=deadlines.company_tz())


# --- due dates ---------------------------------------------------------------------------


def test_due_dates_across_the_year_end():
    assert deadlines.summary_due(date(2026, 6, 30)) == date(2026, 7, 30)
    assert deadlines.summary_due(date(2026, 12, 31)) == date(2027, 1, 30)
    assert deadlines.half_year_bounds(2026, 2) == (date(2026, 7, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        deadlines.half_year_bounds(2026, 3)


@freeze_time("2027-01-05 09:00:00+08:00")
def test_h2_summary_is_due_on_30_january_and_overdue_after():
    s = services.summary_draft(actor=user_with("sales"), period="2026-h2")
    assert s.period == "2026-H2"
    assert (s.period_start, s.period_end, s.due_date) == (
        date(2026, 7, 1),
        date(2026, 12, 31),
        date(2027, 1, 30),
    )
    assert timezone.localtime(s.due_at).date() == date(2027, 1, 30)
    assert not s.is_overdue(date(2027, 1, 30))
    assert s.is_overdue(date(2027, 1, 31))


@freeze_time("2026-07-10 09:00:00+08:00")
def test_h1_summary_is_due_on_30_july():
    s = services.summary_draft(actor=user_with("sales"), period="2026-H1")
    assert s.due_date == date(2026, 7, 30)


# --- refusals ----------------------------------------------------------------------------


@freeze_time("2026-12-02 09:00:00+08:00")
@pytest.mark.parametrize("period", ["2026", "2026-H3", "26-H1", "", "2026-H2"])
def test_bad_or_unended_period_is_refused_on_period(period):
    with pytest.raises(ValidationError) as exc:
        services.summary_draft(actor=user_with("sales"), period=period)
    assert "period" in exc.value.message_dict
    assert not ServiceSummary.objects.exists()


@freeze_time("2026-12-02 09:00:00+08:00")
def test_one_summary_per_period():
    sales = user_with("sales")
    services.summary_draft(actor=sales, period="2026-H1")
    with pytest.raises(ValidationError) as exc:
        services.summary_draft(actor=sales, period="2026-H1")
    assert "already exists" in str(exc.value.message_dict["period"])
    assert ServiceSummary.objects.count() == 1


@freeze_time("2026-12-02 09:00:00+08:00")
def test_api_second_summary_answers_422_on_period():
    client = ApiClient(user_with("sales"))
    r = client.post("service-summaries/", {"period": "2026-H1"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["period"] == "2026-H1" and body["status"] == "draft"
    assert body["due_at"].startswith("2026-07-30")
    for key in (
        "communications",
        "answered_on_time_rate",
        "complaints",
        "eight_d_closed",
        "warranty_claims",
        "visits",
        "trainings",
    ):
        assert key in body["figures"], key
    again = client.post("service-summaries/", {"period": "2026-H1"})
    assert again.status_code == 422
    assert "period" in again.content.decode()


@freeze_time("2026-12-02 09:00:00+08:00")
@pytest.mark.parametrize("role", ["quality", "service_engineer", "agent", "company_leader"])
def test_only_sales_side_drafts(role):
    with pytest.raises(PermissionDenied):
        services.summary_draft(actor=user_with(role), period="2026-H1")


@freeze_time("2026-12-02 09:00:00+08:00")
def test_workflow_with_send_back_and_approval():
    sales, leader = user_with("sales"), user_with("company_leader")
    s = services.summary_draft(actor=sales, period="2026-H1")
    # Submitting without the narrative is refused.
    with pytest.raises(ValidationError) as exc:
        services.summary_submit(actor=sales, summary=s)
    assert "status" in exc.value.message_dict
    # Approving a draft is refused; leadership cannot edit.
    with pytest.raises(ValidationError):
        services.summary_approve(actor=leader, summary=s)
    with pytest.raises(PermissionDenied):
        services.summary_edit(actor=leader, summary=s, achievements="x")
    with pytest.raises(PermissionDenied):
        services.summary_approve(actor=sales, summary=s)
    s = services.summary_edit(
        actor=sales, summary=s, achievements="答复及时", shortcomings="8D超期", direction="培训"
    )
    s = services.summary_submit(actor=sales, summary=s)
    assert s.status == Status.SUBMITTED and s.submitted_by == sales
    assert_each_reader_sees_own_language(leader.notifications.all())
    # Frozen once submitted.
    with pytest.raises(ValidationError):
        services.summary_edit(actor=sales, summary=s, achievements="改")
    with pytest.raises(ValidationError):
        services.summary_refresh(actor=sales, summary=s)
    # Sending back needs a comment.
    with pytest.raises(ValidationError) as exc:
        services.summary_approve(actor=leader, summary=s, send_back=True)
    assert "comment" in exc.value.message_dict
    s = services.summary_approve(actor=leader, summary=s, send_back=True, comment="补充走访数据")
    assert s.status == Status.DRAFT and s.return_comment == "补充走访数据"
    s = services.summary_refresh(actor=sales, summary=s)
    s = services.summary_submit(actor=sales, summary=s)
    s = services.summary_approve(actor=leader, summary=s, comment="同意")
    assert s.status == Status.APPROVED and s.approved_by == leader
    assert s.approved_at is not None and s.closed_at == s.approved_at
    assert not s.is_overdue(date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.summary_approve(actor=leader, summary=s)
    transitions = AuditEntry.objects.filter(
        object_type="summaries.servicesummary", object_id=str(s.pk), action="transition"
    )
    assert transitions.count() == 4  # submit, send back, submit, approve


@freeze_time("2026-12-02 09:00:00+08:00")
def test_my_work_proposes_drafting_then_shows_the_owed_step():
    sales, leader = user_with("sales"), user_with("general_manager")
    quality = user_with("quality")

    def items(user):
        return [i for p in PROVIDERS for i in p(user) if i.kind.startswith("summary.")]

    missing = items(sales)
    assert [i.kind for i in missing] == ["summary.missing"]
    assert "2026-H1" in missing[0].title and missing[0].overdue(timezone.now())
    assert items(quality) == []
    s = services.summary_draft(actor=sales, period="2026-H1")
    assert [i.kind for i in items(sales)] == ["summary.draft"]
    assert items(sales)[0].due_at == s.due_at
    assert [i.kind for i in items(leader)] == ["summary.draft"]  # leadership watches
    services.summary_edit(actor=sales, summary=s, achievements="a", shortcomings="b", direction="c")
    services.summary_submit(actor=sales, summary=s)
    assert [i.kind for i in items(sales)] == []
    assert [i.kind for i in items(leader)] == ["summary.submitted"]


# --- figures against a known world ---------------------------------------------------------


def _known_world():
    """Records of 2026-H1 (and a few outside it) made on their own dates."""
    sales, quality = user_with("sales"), user_with("quality")
    customer = CustomerFactory()
    with freeze_time("2025-12-20 10:00:00+08:00", tick=True):
        register_communication(sales, customer)  # before the period
        record(engineer(), customer, day=date(2025, 12, 19))
    with freeze_time("2026-03-10 10:00:00+08:00", tick=True):
        now = timezone.now()
        c1 = register_communication(sales, customer, received_at=now - timedelta(hours=3))
        comm_services.communication_answer(actor=sales, communication=c1, text="已收到")
        comm_services.communication_feedback(actor=sales, communication=c1, text="已处理")
        c2 = register_communication(sales, customer, received_at=now - timedelta(hours=40))
        comm_services.communication_answer(
            actor=sales,
            communication=c2,
            text="迟复",
            at=now - timedelta(hours=10),
            reason="按纸质记录补录",
        )
        register_communication(sales, customer, received_at=now - timedelta(hours=1))
        register_complaint(sales, customer, received_at=now - timedelta(hours=2))
        closed = complete_up_to_close(open_report(register_complaint(sales, customer)), quality)
        complaint_services.eightd_close(actor=quality, report=closed, summary="结案")
        make_claim(quality, customer, failure_mode="漏油")
        claim = make_claim(quality, customer, failure_mode="漏油", cost_parts=Decimal("120.50"))
        warranty_services.claim_approve(actor=quality, claim=claim)
        eng = engineer()
        record(eng, customer, day=date(2026, 3, 1), failure_mode="noise")
        record(eng, customer, day=date(2026, 3, 2), failure_mode="noise", quantity=3)
        return_form(eng, customer)
        raise_alert()
        record_visit(sales, customer, visited_at=now - timedelta(days=2), satisfaction=5)
        record_visit(sales, customer, visited_at=now - timedelta(days=1), satisfaction=2)
        t = training_services.training_create(
            actor=sales,
            title="三包鉴定",
            held_on=date(2026, 3, 1),
            trainer="赵敏",
            hours=4,
            attendees=[eng.pk],
        )
        training_services.training_record_attendance(
            actor=sales,
            training=t,
            results=[{"id": a.pk, "attended": True, "passed": True} for a in t.attendees.all()],
        )
    with freeze_time("2026-07-02 10:00:00+08:00", tick=True):
        register_communication(sales, customer)  # after the period
    return sales


def test_figures_match_independent_counts():
    sales = _known_world()
    with freeze_time("2026-07-15 10:00:00+08:00"):
        s = services.summary_draft(actor=sales, period="2026-H1")
    f, d = s.figures, s.figures["detail"]
    lo, hi = deadlines.local_day_bounds(date(2026, 1, 1), date(2026, 6, 30))
    # Independent counts by plain queries on the records of the period.
    from serviceloop.communications.models import Communication

    comms = Communication.objects.filter(received_at__gte=lo, received_at__lt=hi)
    assert f["communications"] == comms.count() == 3
    on_time = sum(1 for c in comms if c.answered_at and c.answered_at <= c.answer_due_at)
    assert d["communications"]["answer"]["on_time"] == on_time == 1
    assert d["communications"]["answer"]["late"] == 1
    assert d["communications"]["answer"]["missing"] == 1
    assert f["answered_on_time_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert d["communications"]["answer"]["late_entries"] == 1
    assert d["communications"]["feedback"]["on_time"] == 1
    assert f["complaints"] == (
        Complaint.objects.filter(received_at__gte=lo, received_at__lt=hi).count()
    )
    assert f["complaints"] == 2
    assert f["eight_d_opened"] == 1
    assert f["eight_d_closed"] == EightDReport.objects.filter(closed_at__lt=hi).count() == 1
    assert f["warranty_claims"] == 2
    assert d["warranty"]["accepted"] == 1
    assert d["warranty"]["cost_parts"] == pytest.approx(120.50)
    assert d["warranty"]["top_failure_modes"] == [["漏油", 2]]
    assert d["fieldservice"]["top_failure_modes"] == [["异响", 2]]
    in_period = ServiceRecord.objects.filter(
        service_date__range=(date(2026, 1, 1), date(2026, 6, 30))
    )
    assert f["service_records"] == in_period.count() == 2
    assert d["fieldservice"]["quantity"] == 4
    assert d["fieldservice"]["returns"] == 1
    assert f["alerts"] == 1
    assert f["visits"] == 2
    assert d["visits"]["mean_satisfaction"] == pytest.approx(3.5)
    assert f["trainings"] == 1
    assert d["training"]["attendances"] == 1
    # Refreshing while a draft recomputes; a late record now counts.
    with freeze_time("2026-07-16 10:00:00+08:00"):
        register_complaint(sales, received_at=_aware(2026, 6, 29, 12))
        s = services.summary_refresh(actor=sales, summary=s)
    assert s.figures["complaints"] == 3


# --- documents and pages -------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_reads_back_in_chinese_with_the_numbers():
    sales = _known_world()
    with freeze_time("2026-07-15 10:00:00+08:00"):
        s = services.summary_draft(actor=sales, period="2026-H1")
        s = services.summary_edit(
            actor=sales, summary=s, achievements="答复及时率提高", shortcomings="无", direction="无"
        )
        pdf = summary_pdf(s)
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    for heading in (
        "服务工作总结报告",
        "客户沟通记录",
        "顾客投诉与8D",
        "三包索赔",
        "现场服务",
        "预警",
        "顾客走访",
        "培训",
        "工作成绩",
        "不足之处",
        "下期工作方向",
        "答复及时率提高",
    ):
        assert heading in text, heading
    assert "33.3%" in text  # the 24 h answer rate
    assert "2026-H1" in text


def test_docx_has_the_sections():
    from docx import Document

    with freeze_time("2026-12-02 09:00:00+08:00"):
        s = services.summary_draft(actor=user_with("sales"), period="2026-H1")
        doc = Document(BytesIO(summary_docx(s)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "服务工作总结报告" in text and "工作成绩" in text


@freeze_time("2026-12-02 09:00:00+08:00")
def test_pages_draft_edit_and_approve():
    sales, leader = user_with("sales"), user_with("sales_leader")
    client = Client()
    client.force_login(sales)
    page = client.get(reverse("summaries:create"))
    assert page.status_code == 200 and "2026-H1" in page.content.decode()
    r = client.post(reverse("summaries:create"), {"period": "2026-H1"})
    s = ServiceSummary.objects.get()
    assert r.status_code == 302 and r["Location"] == s.get_absolute_url()
    again = client.post(reverse("summaries:create"), {"period": "2026-H1"})
    assert again.status_code == 400
    detail = client.get(s.get_absolute_url()).content.decode()
    assert "<svg" in detail and "Refresh" not in detail or "<svg" in detail
    r = client.post(
        reverse("summaries:edit", args=[s.pk]),
        {"narrative-achievements": "a", "narrative-shortcomings": "b", "narrative-direction": "c"},
    )
    assert r.status_code == 302
    assert client.post(reverse("summaries:submit", args=[s.pk])).status_code == 302
    client.force_login(leader)
    r = client.post(reverse("summaries:approve", args=[s.pk]), {"approve-comment": "同意"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.status == Status.APPROVED
    assert client.get(reverse("summaries:list")).status_code == 200
