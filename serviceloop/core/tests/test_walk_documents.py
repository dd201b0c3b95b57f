"""The browser walk, third part (issue 10, "done means"): the main flows taken to their close,
and every document a user downloads on the way downloaded through the browser and read back
with `pdftotext`. One chromium and one live server for the module; one world.

The administrator first names the company on the settings page; every document must then
carry that name (never the product's), the record's number, the customer's name and Chinese
labels:
- a communication: registered, answered, feedback given (closed), the result letter drafted
  from it and downloaded;
- a complaint: registered by Sales, converted into an 8D by Quality, the 8D worked (through
  the services, as the team would) and closed by clicking; the 8D report and the reply
  letter downloaded;
- a return-for-repair form (退修单) filled by the engineer and downloaded;
- a warranty claim decided and its decision letter downloaded;
- the half-year summary drafted (its charts), the backups page opened.
Then every page each person saw is seen again at phone width (390 px): none may scroll
sideways."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.utils import timezone, translation

from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.tests.test_walk import (
    WALK_MARKS,
    Walker,
    _communication_flow,
    _complaint_convert,
    _complaint_register,
)
from serviceloop.core.tests.test_walk_apps import PHONE, _summary, _warranty
from serviceloop.visits.tests.test_browser import (  # noqa: F401  (the browser fixture)
    _base,
    _seed_roles_and_departments,
    browser,
)

pytestmark = [
    *WALK_MARKS,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed"),
]
COMPANY = "华东精工减振器有限公司"
CUSTOMER = "华北重型汽车集团"
PRODUCT_NAMES = ("ServiceLoop", "demo company")


class PageWalker(Walker):
    """A Walker that remembers the pages it checked, to see them again at phone width."""

    def __init__(self, *args, **kwargs):
        self.seen: list[str] = []
        super().__init__(*args, **kwargs)

    def check(self) -> None:
        super().check()
        url = self.page.url.split("#")[0]
        if url not in self.seen:
            self.seen.append(url)

    def on_phone(self) -> list[str]:
        """Every page seen, again at 390 px: what scrolls sideways."""
        self.page.set_viewport_size(PHONE)
        wide = []
        for url in self.seen:
            self.page.goto(url)
            self.page.wait_for_load_state()
            if problem := self.wider_than_screen():
                wide.append(problem)
        return wide


def pdf_text(data: bytes) -> str:
    """The text of a PDF as `pdftotext -layout` reads it."""
    assert data[:5] == b"%PDF-", data[:40]
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return out.stdout.decode("utf-8")


def download(w: Walker, selector: str) -> str:
    """Click a download link as the user would; the saved file's text."""
    with w.page.expect_download() as info:
        w.page.locator(selector).first.click()
    download = info.value
    assert download.failure() is None, download.failure()
    path = download.path()
    assert path is not None
    with open(path, "rb") as fh:
        return pdf_text(fh.read())


def assert_document(text: str, *words: str, labels: tuple[str, ...] = ()) -> None:
    """The company's name (not the product's), the customer's, the given words, and the
    given labels (English msgids) in their Chinese translation."""
    squeezed = "".join(text.split())  # pdftotext may break or space out CJK runs
    with translation.override("zh-hans"):
        chinese = [translation.gettext(label) for label in labels]
    for label, zh in zip(labels, chinese, strict=True):
        assert zh != label, f"no Chinese for {label!r}"
    for word in (COMPANY, CUSTOMER, *words, *chinese):
        assert "".join(word.split()) in squeezed, (word, text[:2000])
    for name in PRODUCT_NAMES:
        assert name not in text, (name, text[:2000])


def test_flows_to_their_close_with_documents_read_back(browser, live_server, settings):  # noqa: F811
    from serviceloop.core.tests.test_chinese_pages import _vocabulary

    settings.LANGUAGE_CODE = "zh-hans"
    _seed_roles_and_departments()
    base = _base(live_server)
    cust = CustomerFactory(name=CUSTOMER)
    roles = ["admin", "sales", "quality", "service_engineer"]
    users = {role: user_with(role) for role in roles}
    users["sales"].department = Department.objects.get(code="sales")
    users["sales"].save()
    data_words = {u.username for u in users.values()} | {cust.code}
    vocabulary = _vocabulary()
    problems: dict[str, list[str]] = {}

    flows: list[tuple[str, list]] = [
        ("admin", [_company_settings, _backups]),
        ("service_engineer", [lambda w: _return_form(w, cust)]),
        ("sales", [lambda w: _communication(w, cust), lambda w: _complaint_register(w, cust)]),
        ("quality", [lambda w: _eightd(w, users), lambda w: _warranty_letter(w, cust)]),
        ("sales", [_reply_sent, _summary]),
    ]
    for role, steps in flows:
        w = PageWalker(browser, base, users[role], data_words, vocabulary)
        for step in steps:
            step(w)
        problems.setdefault(role, []).extend(w.problems + w.on_phone())
        w.page.context.close()
    assert not any(problems.values()), "\n".join(
        f"{role}: {p}" for role, ps in problems.items() for p in ps
    )


def _act(w: Walker, action_suffix: str, fill: dict[str, str] | None = None) -> None:
    """Open a folded action (details > form), fill it and submit it."""
    form = f"form[action$='{action_suffix}']"
    summary = w.page.locator(f"details:has({form}) > summary")
    if summary.count():
        summary.first.click()
    for selector, value in (fill or {}).items():
        w.page.fill(f"{form} {selector}", value)
    w.page.locator(f"{form} button.btn").first.click()
    w.page.wait_for_load_state()
    w.check()


def _company_settings(w: Walker) -> None:
    """The administrator names the company and its signatory on the settings page."""
    from serviceloop.core.models import CompanyProfile

    page = w.page
    page.goto(f"{w.base}/settings/company/")
    w.check()
    page.fill("input[name=name_zh]", COMPANY)
    page.fill("input[name=address]", "江苏省常州市武进区减振路 8 号")
    page.fill("input[name=signatory_name]", "李质量")
    page.fill("input[name=signatory_title]", "质量经理")
    page.locator("main form button.btn").first.click()
    page.wait_for_load_state()
    w.check()
    assert CompanyProfile.load().name_zh == COMPANY


def _backups(w: Walker) -> None:
    """The administrator opens the backups page (its table of runs)."""
    w.page.goto(f"{w.base}/settings/backups/")
    w.check()


def _communication(w: Walker, cust) -> None:
    """Sales registers a question and answers it (the walk of test_walk), gives the feedback
    (the communication closes), drafts the result letter from it and downloads the letter."""
    from serviceloop.communications.models import Communication
    from serviceloop.presales.models import ResultLetter

    _communication_flow(w, cust)
    comm = Communication.objects.get(subject="减振器异响咨询")
    _act(w, "/feedback/", {"textarea": "更换衬套后异响消除，客户确认。"})
    comm.refresh_from_db()
    assert comm.status == "closed", comm.status
    _act(w, f"/communications/{comm.pk}/result/")
    w.page.wait_for_url("**/presales/results/*/")
    w.check()
    letter = ResultLetter.objects.get()
    text = download(w, "a[href$='/pdf/']")
    assert_document(text, letter.number, "减振器异响咨询", labels=("Our reference", "Subject"))


def _eightd(w: Walker, users) -> None:
    """Quality converts the complaint, the team works D0–D7 (services, as the team would),
    Quality closes the 8D by clicking, downloads the 8D report, drafts the reply letter and
    downloads it."""
    from serviceloop.complaints.models import Complaint, EightDReport, ReplyLetter
    from serviceloop.complaints.tests.factories import complete_up_to_close

    page = w.page
    _complaint_convert(w)  # the walk of test_walk: the complaint becomes an 8D
    complaint = Complaint.objects.get(part_number="SA-1001")
    report = EightDReport.objects.get(complaint=complaint)
    complete_up_to_close(report, users["quality"])
    page.reload()
    w.check()
    _act(w, "/close/", {"textarea": "问题已解决，结案。"})
    report.refresh_from_db()
    complaint.refresh_from_db()
    assert report.status == "closed" and complaint.status == "closed", report.status
    text = download(w, "a[href$='/pdf/']")
    assert_document(
        text,
        report.number,
        complaint.number,
        "油封压装机压力偏低",
        labels=("8D report", "8D leader", "Management Representative"),
    )
    page.goto(f"{w.base}/complaints/8d/{report.pk}/reply/")
    w.check()
    page.locator("main form button.btn").first.click()
    page.wait_for_load_state()
    w.check()
    assert ReplyLetter.objects.filter(report=report).exists()
    text = download(w, "a[href$='/reply/pdf/']")
    assert_document(text, complaint.number, labels=("Our reference", "Subject"))


def _reply_sent(w: Walker) -> None:
    """Sales records the reply letter as sent."""
    from serviceloop.complaints.models import EightDReport, ReplyLetter

    report = EightDReport.objects.get()
    w.page.goto(f"{w.base}/complaints/8d/{report.pk}/reply/")
    w.check()
    _act(w, "/reply/send/", {"input[name$=sent_to]": "华北重型 质量部 赵明"})
    assert ReplyLetter.objects.get(report=report).status == "sent"


def _warranty_letter(w: Walker, cust) -> None:
    """Quality registers a returned part's claim, the rule decides, Quality confirms (the
    walk of test_walk_apps); the decision letter downloads."""
    from serviceloop.warranty.models import WarrantyClaim

    _warranty(w, cust)
    claim = WarrantyClaim.objects.get(part_number="SA-2001")
    text = download(w, "a[href$='/letter/']")
    assert_document(
        text, claim.number, "SA-2001", labels=("Warranty claim decision", "Decision", "Reasons")
    )


def _return_form(w: Walker, cust) -> None:
    """The engineer fills a return-for-repair form and downloads it to travel with the goods."""
    from serviceloop.fieldservice.models import ReturnForRepairForm
    from serviceloop.fieldservice.tests.factories import PartFactory

    part = PartFactory()
    page = w.page
    page.goto(f"{w.base}/field-service/returns/new/")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=return_date]", timezone.localdate().isoformat())
    page.fill("textarea[name=reason]", "客户处拆下的漏油件退回修理。")
    page.fill("input[name=lines-0-part]", part.part_number)
    page.fill("input[name=lines-0-lot]", "L2026-0412")
    page.fill("input[name=lines-0-quantity]", "2")
    page.fill("input[name=lines-0-fault]", "油封漏油")
    page.locator("main form.stacked button.btn").first.click()
    page.wait_for_url("**/field-service/returns/*/")
    w.check()
    form = ReturnForRepairForm.objects.get()
    text = download(w, "a[href$='/pdf/']")
    assert_document(
        text,
        form.number,
        part.part_number,
        "L2026-0412",
        labels=("Return-for-repair form", "Returned items", "Reason for return", "Signatures"),
    )
