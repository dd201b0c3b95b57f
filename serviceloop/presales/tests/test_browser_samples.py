"""Browser walks (Playwright, Debian chromium) of sample requests (R-5.1.2) and special
requests (R-5.1.3) as the real roles, each with their own login:

- Sales applies for a sample, Technical and Production Quality approve it, Production
  Quality schedules it and records it made with the inspection report attached, Sales
  records the delivery and the customer's acceptance;
- a delivered sample the customer rejects: Sales records the reasons and opens a customer
  requirement and a complaint with its 8D report in the same step;
- a step out of order is not offered on the page and refused by the service;
- special requests: the department head decides feasible and the department provides it
  with the document attached; decided not feasible, Sales records the explanation and the
  letter (PDF) is downloaded and read back with pdftotext.

The browser fixtures are the visits walk's."""

import shutil
import subprocess
import urllib.request
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from serviceloop.complaints.models import EightDReport
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.presales import services
from serviceloop.presales.models import (
    SampleAttachment,
    SampleRequest,
    SampleStatus,
    SpecialRequest,
    SpecialStatus,
)
from serviceloop.presales.tests.factories import PDF
from serviceloop.visits.tests.test_browser import (  # noqa: F401  (fixture)
    _base,
    _login,
    _seed_roles_and_departments,
    browser,
    pytestmark,
)


def _warm(live_server) -> str:
    """The live server's first answer builds the URL conf, the API and the templates: on a
    loaded machine that takes longer than a page's timeout, so it is asked once here."""
    base = _base(live_server)
    with urllib.request.urlopen(f"{base}/login/", timeout=600) as response:
        assert response.status == 200
    return base


def _user(role: str, dept: str | None = None):
    return user_with(role, department=Department.objects.get(code=dept or role))


def _act(page, step: str, fill: dict[str, str] | None = None) -> None:
    """Open a step's form on the detail page, fill it, send it and wait for the answer."""
    page.click(f"details:has(form[action$='/{step}/']) summary")
    for selector, value in (fill or {}).items():
        page.fill(selector, value)
    page.click(f"form[action$='/{step}/'] button")
    page.wait_for_load_state()


def test_sample_application_to_customer_acceptance_as_the_real_roles(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    _seed_roles_and_departments()
    cust = CustomerFactory(name="华北重型汽车集团")
    sales = _user("sales")
    base = _warm(live_server)
    needed = timezone.localdate() + timedelta(days=20)

    # Sales applies
    page = _login(browser, live_server, sales)
    page.goto(f"{base}/presales/samples/new/")
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=part_number]", "SA-2041")
    page.fill("input[name=part_name]", "前减振器总成")
    page.fill("input[name=quantity]", "6")
    page.fill("input[name=drawing_revision]", "C")
    page.fill("input[name=needed_by]", needed.isoformat())
    page.fill("textarea[name=purpose]", "新车型装车路试验证")
    page.click("form.stacked button")
    page.wait_for_url("**/presales/samples/*/")
    sample = SampleRequest.objects.get()
    assert (sample.part_number, sample.quantity, sample.drawing_revision) == ("SA-2041", 6, "C")
    assert sample.needed_by == needed and sample.purpose == "新车型装车路试验证"
    assert sample.requested_by == sales and sample.status == SampleStatus.REQUESTED
    detail = f"{base}/presales/samples/{sample.pk}/"
    # out of order: Sales is offered neither the delivery nor the customer's answer yet …
    assert page.locator("form[action$='/deliver/']").count() == 0
    assert page.locator("form[action$='/confirm/']").count() == 0
    # … and the service refuses them, naming the states
    for call in (
        lambda: services.sample_deliver(actor=sales, sample=sample, delivered_at=timezone.now()),
        lambda: services.sample_confirm(actor=sales, sample=sample, accepted=True),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert "status" in exc.value.message_dict

    # Technical and Production Quality approve, each with their own login
    pq = _user("production_quality")
    for user in (_user("technical"), pq):
        page = _login(browser, live_server, user)
        page.goto(detail)
        _act(page, "approve")
        assert sample.approvals.get(department=user.department).approved is True
    sample.refresh_from_db()
    assert sample.status == SampleStatus.APPROVED

    # Production Quality schedules it and records it made, the inspection report attached
    planned = timezone.localdate() + timedelta(days=5)
    _act(page, "schedule", {"input[name=schedule-planned_date]": planned.isoformat()})
    sample.refresh_from_db()
    assert sample.status == SampleStatus.SCHEDULED and sample.planned_date == planned
    report = tmp_path / "检验报告-L2612.pdf"
    report.write_bytes(PDF)
    page.click("details:has(form[action$='/made/']) summary")
    page.fill("input[name=made-lot]", "L2612-07")
    page.fill("textarea[name=made-inspection_result]", "全尺寸及阻尼力检验合格")
    page.set_input_files("input[name=made-report]", str(report))
    page.click("form[action$='/made/'] button")
    page.wait_for_load_state()
    sample.refresh_from_db()
    assert sample.status == SampleStatus.MADE and sample.lot == "L2612-07"
    assert sample.made_by == pq
    attachment = SampleAttachment.objects.get(sample=sample)
    assert attachment.original_name == "检验报告-L2612.pdf"
    assert "检验报告-L2612.pdf" in page.content()

    # Sales records the delivery and the customer's acceptance
    page = _login(browser, live_server, sales)
    page.goto(detail)
    with page.expect_download() as download:
        page.click(f"a[href$='/files/{attachment.pk}/']")
    assert download.value.suggested_filename == "检验报告-L2612.pdf"
    _act(page, "deliver", {"input[name=deliver-shipping_note]": "FH-20261202-01"})
    sample.refresh_from_db()
    assert sample.status == SampleStatus.DELIVERED and sample.shipping_note == "FH-20261202-01"
    assert sample.delivered_by == sales and sample.delivered_at is not None
    page.click("details:has(form[action$='/confirm/']) summary")
    page.check("input[name=confirm-accepted][value='1']")
    page.fill("textarea[name=confirm-note]", "客户路试合格,确认接受")
    page.click("form[action$='/confirm/'] button")
    page.wait_for_load_state()
    sample.refresh_from_db()
    assert sample.status == SampleStatus.ACCEPTED and sample.confirmed_by == sales
    assert sample.step_due_at is None
    assert "FH-20261202-01" in page.content() and "客户路试合格" in page.content()


def test_customer_rejects_the_sample_and_a_requirement_and_an_8d_open_in_one_step(
    browser,  # noqa: F811
    live_server,
):
    _seed_roles_and_departments()
    cust = CustomerFactory(name="江淮专用车有限公司")
    sales, pq = _user("sales"), _user("production_quality")
    sample = services.sample_request(
        actor=sales,
        customer=cust,
        part_number="SA-3310",
        quantity=4,
        needed_by=timezone.localdate() + timedelta(days=10),
        purpose="台架试验",
    )
    services.sample_approve(actor=_user("technical"), sample=sample, department="technical")
    services.sample_approve(actor=pq, sample=sample, department="production_quality")
    services.sample_schedule(actor=pq, sample=sample, planned_date=timezone.localdate())
    services.sample_record_made(actor=pq, sample=sample, lot="L9", inspection_result="合格")
    services.sample_deliver(actor=sales, sample=sample, delivered_at=timezone.now())

    base = _warm(live_server)
    page = _login(browser, live_server, sales)
    page.goto(f"{base}/presales/samples/{sample.pk}/")
    page.click("details:has(form[action$='/confirm/']) summary")
    page.check("input[name=confirm-accepted][value='0']")
    page.fill("textarea[name=confirm-note]", "台架试验异响,复原阻尼力偏低 8%")
    page.check("input[name=confirm-open_requirement]")
    page.check("input[name=confirm-open_complaint]")
    page.click("form[action$='/confirm/'] button")
    page.wait_for_load_state()
    sample.refresh_from_db()
    assert sample.status == SampleStatus.REFUSED
    assert sample.customer_note == "台架试验异响,复原阻尼力偏低 8%"
    req, complaint = sample.follow_up_requirement, sample.follow_up_complaint
    assert req is not None and req.customer == cust and "台架试验异响" in req.description
    assert complaint is not None and complaint.customer == cust
    assert EightDReport.objects.filter(complaint=complaint).exists()
    # both are linked from the sample and open
    page.click(f"a[href$='/presales/requirements/{req.pk}/']")
    page.wait_for_url(f"**/presales/requirements/{req.pk}/")
    assert "SA-3310" in page.content()
    page.go_back()
    page.click(f"a[href$='/complaints/{complaint.pk}/']")
    page.wait_for_url(f"**/complaints/{complaint.pk}/")
    assert complaint.number in page.content()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="no pdftotext")
def test_special_requests_provided_and_not_feasible_with_the_letter(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    _seed_roles_and_departments()
    cust = CustomerFactory(name="华北重型汽车集团")
    sales = _user("sales")
    head = _user("dept_head", "technical")
    base = _warm(live_server)

    def apply(kind: str, text: str) -> SpecialRequest:
        page = _login(browser, live_server, sales)
        page.goto(f"{base}/presales/special/new/")
        page.select_option("select[name=customer]", str(cust.pk))
        page.select_option("select[name=kind]", kind)
        page.fill("textarea[name=description]", text)
        page.click("form.stacked button")
        page.wait_for_url("**/presales/special/*/")
        return SpecialRequest.objects.get(description=text)

    # feasible: the head of Technical decides, Technical provides it with the document
    special = apply("technical_data", "请提供 SA-2041 安装及扭矩说明")
    assert special.department.code == "technical"
    page = _login(browser, live_server, head)
    page.goto(f"{base}/presales/special/{special.pk}/")
    page.click("details:has(form[action$='/decide/']) summary")
    page.check("input[name=decide-feasible][value='1']")
    page.fill("textarea[name=decide-note]", "可提供,三日内发出")
    page.click("form[action$='/decide/'] button")
    page.wait_for_load_state()
    special.refresh_from_db()
    assert special.status == SpecialStatus.APPROVED and special.decided_by == head
    document = tmp_path / "SA-2041安装说明.pdf"
    document.write_bytes(PDF)
    page.click("details:has(form[action$='/fulfil/']) summary")
    page.fill("textarea[name=fulfil-note]", "安装及扭矩说明 A 版已发客户")
    page.set_input_files("input[name=fulfil-document]", str(document))
    page.click("form[action$='/fulfil/'] button")
    page.wait_for_load_state()
    special.refresh_from_db()
    assert special.status == SpecialStatus.FULFILLED and special.fulfilled_by == head
    assert special.document_filename == "SA-2041安装说明.pdf"
    with page.expect_download() as download:
        page.click("a[href$='/document/']")
    assert download.value.suggested_filename == "SA-2041安装说明.pdf"

    # not feasible: Sales records the polite explanation; the letter is a Chinese PDF
    special = apply("technical_guidance", "请派工程师驻厂指导装配 3 个月")
    page = _login(browser, live_server, head)
    page.goto(f"{base}/presales/special/{special.pk}/")
    page.click("details:has(form[action$='/decide/']) summary")
    page.check("input[name=decide-feasible][value='0']")
    page.fill("textarea[name=decide-note]", "技术人员不足,无法长期驻厂")
    page.click("form[action$='/decide/'] button")
    page.wait_for_load_state()
    special.refresh_from_db()
    assert special.status == SpecialStatus.DECLINED
    page = _login(browser, live_server, sales)
    page.goto(f"{base}/presales/special/{special.pk}/")
    page.click("details:has(form[action$='/explain/']) summary")
    drafted = page.input_value("textarea[name=explain-text]")
    assert cust.name in drafted and "技术人员不足" in drafted  # drafted from the decision
    page.click("form[action$='/explain/'] button")
    page.wait_for_load_state()
    special.refresh_from_db()
    assert special.status == SpecialStatus.EXPLAINED and special.explained_by == sales
    with page.expect_download() as download:
        page.click("a[href$='/letter.pdf']")
    pdf = tmp_path / "letter.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    flat = "".join(text.split())
    assert cust.name in flat, text
    assert "敬请谅解" in flat and special.number in flat, text
