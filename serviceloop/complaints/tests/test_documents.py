"""Documents: the reply letter as PDF and DOCX with Chinese text that reads back, the 8D
report PDF, the register and review XLSX, letter forms (R-5.5.6, R-5.5.1, R-5.5.9)."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from serviceloop.complaints import services
from serviceloop.complaints.documents.charts import column_chart, hbar_chart
from serviceloop.complaints.documents.docx import reply_docx
from serviceloop.complaints.documents.pdf import eightd_pdf, reply_pdf
from serviceloop.complaints.documents.xlsx import REGISTER_COLUMNS, register_xlsx
from serviceloop.complaints.models import Complaint
from serviceloop.complaints.selectors.review import review_summary
from serviceloop.complaints.tests.factories import (
    complete_up_to_close,
    open_report,
    register_complaint,
)
from serviceloop.core.testing.documents import pdf_text
from serviceloop.core.testing.factories import CustomerFactory, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_report(db):
    quality = user_with("quality")
    report = open_report(leader=quality, customer=CustomerFactory(name="长江汽车股份有限公司"))
    complete_up_to_close(report, quality)
    services.eightd_close(actor=quality, report=report, summary="问题已解决,同意结案。")
    report.refresh_from_db()
    return report, quality


def test_reply_letter_pdf_and_docx_read_back_in_chinese(closed_report):
    report, quality = closed_report
    letter, _ = services.reply_draft(actor=quality, report=report)
    text = pdf_text(reply_pdf(letter))
    for expected in (
        "顾客投诉回答书",
        "长江汽车股份有限公司",
        "油封压装机压力偏低",
        "纠正措施",
        report.complaint.number,
    ):
        assert expected in text
    doc = Document(BytesIO(reply_docx(letter)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "顾客投诉回答书" in body and "调整压装机压力并加装压力报警" in body
    assert "长江汽车股份有限公司" in doc.tables[0].rows[1].cells[0].text
    fonts = doc.paragraphs[1].runs[0]._element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "宋体"


def test_a_customer_form_shapes_the_letter_and_can_attach_the_8d(closed_report):
    report, quality = closed_report
    services.reply_template_save(
        actor=quality,
        customer=report.complaint.customer,
        title="8D 回复函",
        subject="{{ customer_reference|default:complaint_number }} 回复",
        body="致{{ customer }}:原因为{{ occurrence_causes }}。",
        attach_8d=True,
    )
    letter, created = services.reply_draft(actor=quality, report=report)
    assert created and letter.title == "8D 回复函" and letter.attach_8d
    assert letter.body.startswith("致长江汽车股份有限公司:原因为油封压装机压力偏低")
    text = pdf_text(reply_pdf(letter))
    assert "8D回复函" in text and report.number in text and "气密检测抽检频次不足" in text
    doc = Document(BytesIO(reply_docx(letter)))
    assert any("D4" in p.text for p in doc.paragraphs)


def test_a_form_that_does_not_parse_is_refused(closed_report):
    report, quality = closed_report
    for body in ("{% if %}", "{% include 'base.html' %}{{ x }}"):
        with pytest.raises(ValidationError) as e:
            services.reply_template_save(
                actor=quality,
                customer=report.complaint.customer,
                title="t",
                subject="s",
                body=body,
            )
        assert "body" in e.value.error_dict


def test_refill_and_edit_the_draft(closed_report):
    report, quality = closed_report
    letter, _ = services.reply_draft(actor=quality, report=report)
    letter, created = services.reply_draft(actor=quality, report=report, body="手工修改")
    assert not created and letter.body == "手工修改"
    letter, _ = services.reply_draft(actor=quality, report=report, regenerate=True)
    assert "一、问题描述" in letter.body
    with pytest.raises(ValidationError) as e:
        services.reply_draft(actor=quality, report=report, body=" ")
    assert "body" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.reply_draft(actor=quality, report=report, sent_at="x")
    assert "sent_at" in e.value.error_dict


def test_reply_send_rules(closed_report):
    report, quality = closed_report
    sales = report.complaint.received_by
    letter, _ = services.reply_draft(actor=quality, report=report)
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=sales, letter=letter, sent_to="", method="email")
    assert "sent_to" in e.value.error_dict
    before = report.complaint.received_at
    with pytest.raises(ValidationError) as e:
        services.reply_send(
            actor=sales,
            letter=letter,
            sent_to="a",
            method="email",
            at=before.replace(year=before.year - 1),
        )
    assert "at" in e.value.error_dict
    letter = services.reply_send(actor=sales, letter=letter, sent_to="赵明", method="post")
    with pytest.raises(ValidationError) as e:
        services.reply_send(actor=sales, letter=letter, sent_to="赵明", method="post")
    assert "status" in e.value.error_dict


def test_eight_d_pdf_carries_every_discipline(closed_report):
    report, _ = closed_report
    text = pdf_text(eightd_pdf(report))
    for expected in ("油封压装工位", "王五", "GY-031", "问题已解决", report.number):
        assert expected in text


def test_register_xlsx_has_the_form_layout_with_chinese_headers(closed_report):
    report, _ = closed_report
    register_complaint(part_number="SB-9")
    qs = Complaint.objects.order_by("received_at").select_related("customer")
    wb = load_workbook(BytesIO(register_xlsx(qs, exported_by="张伟", filters="")))
    ws = wb.active
    assert ws.title == "顾客投诉登记表" and ws["A1"].value == "顾客投诉登记表"
    headers = [c.value for c in ws[3]]
    assert headers == [h for h, _ in REGISTER_COLUMNS]
    assert {
        "序号",
        "投诉编号",
        "接收日期",
        "顾客名称",
        "零件号",
        "批次号",
        "数量",
        "问题描述",
        "是否在产",
        "严重程度",
        "8D编号",
        "责任部门",
        "原因",
        "纠正措施",
        "回复日期",
    } <= set(headers)
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    row = rows[report.complaint.number]
    assert row[0] in (1, 2) and row[4] == "长江汽车股份有限公司"
    assert row[headers.index("8D编号")] == report.number
    assert "油封压装机压力偏低" in row[headers.index("原因")]
    assert row[headers.index("状态")] == "已关闭"
    assert row[headers.index("关闭日期")]


def test_review_summary_counts_and_charts(closed_report):
    report, quality = closed_report
    register_complaint(customer=report.complaint.customer, part_number="SA-2031")
    mrep = user_with("mgmt_rep")
    from django.utils import timezone

    today = timezone.localdate()
    s = review_summary(mrep, today.replace(day=1), today)
    assert s.total == 2 and s.closed == 1 and s.open == 1
    assert s.by_customer == [("长江汽车股份有限公司", 2)]
    assert s.by_part == [("SA-2031", 2)]
    assert dict(s.by_cause) == {"Machine": 1, "Measurement": 1}
    assert s.close_days["count"] == 1 and s.close_days["median"] is not None
    assert sum(n for _, n in s.close_buckets) == 1
    svg = hbar_chart(s.by_customer, title="按顾客 <b>")
    assert svg.startswith("<svg") and "长江汽车股份有限公司" in svg and "&lt;b&gt;" in svg
    assert "<rect" in column_chart(s.by_month, title="按月")
