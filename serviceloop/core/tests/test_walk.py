"""The browser walk of every app (issue 10, "done means"): one chromium, one live server.
The main roles log in in Chinese and click through every screen of their menu, then Sales
registers a communication and records its first answer by clicking. Every page must answer
without a 4xx/5xx, log no console error and show no English word of the product's vocabulary
(the same check as test_chinese_pages, on what the browser shows)."""

from __future__ import annotations

import pytest

from serviceloop.communications.models import Communication
from serviceloop.core.models import Department
from serviceloop.core.testing.factories import PASSWORD, CustomerFactory, user_with
from serviceloop.core.tests.test_chinese_pages import english_words, visible_text
from serviceloop.visits.tests.test_browser import (  # noqa: F401  (the browser fixture)
    CHROMIUM,
    _base,
    _seed_roles_and_departments,
    browser,
)

# The marks of every browser walk (one live server: transactional; slow; SQLite only).
WALK_MARKS = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.slow,
    pytest.mark.db_independent,
]
pytestmark = WALK_MARKS
ROLES = ["sales", "quality", "service_engineer", "agent", "company_leader"]


class Walker:
    """A signed-in page that records every failed answer, console error and English word."""

    def __init__(
        self, chromium, base, user, data_words: set[str], vocabulary: set[str], viewport=None
    ):
        self.base, self.data_words, self.vocabulary = base, data_words, vocabulary
        self.problems: list[str] = []
        viewport = viewport or {"width": 1280, "height": 900}
        self.page = chromium.new_context(viewport=viewport).new_page()
        self.page.set_default_timeout(30000)
        self.page.on("response", self._response)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.goto(f"{base}/login/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form.stacked button")
        self.page.wait_for_load_state()
        self.user = user

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.problems.append(f"console: {msg.text} ({self.page.url})")

    def check(self) -> None:
        self.page.wait_for_load_state()
        words = english_words(visible_text(self.page.content()), self.data_words, self.vocabulary)
        if words:
            self.problems.append(f"English on {self.page.url}: {sorted(words)}")

    def wider_than_screen(self) -> str:
        """'' if the page fits the window's width, else what is wider (the page scrolls
        sideways: a phone user has to pan)."""
        widths = self.page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if widths[0] <= widths[1] + 1:
            return ""
        return f"too wide at {widths[1]} px: {self.page.url} {widths}"

    def walk_menu(self) -> int:
        """Click every entry of the main menu in turn."""
        count = self.page.locator("nav.main a").count()
        for i in range(count):
            self.page.locator("nav.main a").nth(i).click()
            self.check()
        return count


def test_main_roles_walk_every_app_in_chinese(browser, live_server, settings):  # noqa: F811
    from serviceloop.core.tests.test_chinese_pages import _vocabulary

    settings.LANGUAGE_CODE = "zh-hans"
    _seed_roles_and_departments()
    base = _base(live_server)
    cust = CustomerFactory(name="华北重型汽车集团")
    users = {role: user_with(role) for role in ROLES}
    users["sales"].department = Department.objects.get(code="sales")
    users["sales"].save()
    data_words = {w for u in users.values() for w in [u.username]} | {cust.code}
    vocabulary = _vocabulary()
    problems: dict[str, list[str]] = {}
    menus = {}
    for role, user in users.items():
        w = Walker(browser, base, user, data_words, vocabulary)
        w.check()  # my work, the landing page
        menus[role] = w.walk_menu()
        if role == "sales":
            _communication_flow(w, cust)
            _complaint_register(w, cust)
        if role == "quality":
            _complaint_convert(w)
        problems[role] = w.problems
        w.page.context.close()
    assert all(n >= 3 for n in menus.values()), menus
    assert not any(problems.values()), "\n".join(
        f"{role}: {p}" for role, ps in problems.items() for p in ps
    )


def _communication_flow(w: Walker, cust) -> None:
    """Register a customer's question and record the first answer, by clicking."""
    page = w.page
    page.goto(f"{w.base}/communications/")
    page.click("a.btn[href$='/communications/new/']")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=subject]", "减振器异响咨询")
    page.fill("textarea[name=body]", "客户反映行驶中有异响，询问处理办法。")
    page.click("form.stacked button.btn")
    page.wait_for_url("**/communications/*/")
    w.check()
    comm = Communication.objects.get(subject="减振器异响咨询")
    assert comm.owner == w.user
    page.click("details.action:has(form[action$='/answer/']) summary")
    page.fill("form[action$='/answer/'] textarea", "已安排服务工程师电话联系客户。")
    page.click("form[action$='/answer/'] button.btn")
    page.wait_for_load_state()
    w.check()
    comm.refresh_from_db()
    assert comm.answered_at is not None and comm.answered_by == w.user


def _complaint_register(w: Walker, cust) -> None:
    """Sales registers a customer complaint."""
    page = w.page
    page.goto(f"{w.base}/complaints/new/")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=part_number]", "SA-1001")
    page.fill("input[name=quantity]", "3")
    page.fill("textarea[name=description]", "装车后减振器漏油。")
    page.click("form.stacked button.btn")
    page.wait_for_url("**/complaints/*/")
    w.check()


def _complaint_convert(w: Walker) -> None:
    """Quality converts it into an 8D report."""
    from serviceloop.complaints.models import Complaint, EightDReport

    page = w.page
    complaint = Complaint.objects.get(part_number="SA-1001")
    page.goto(f"{w.base}{complaint.get_absolute_url()}")
    w.check()
    page.click("form[action$='/eight-d/'] button.btn")
    page.wait_for_url("**/complaints/8d/*/")
    w.check()
    assert EightDReport.objects.filter(complaint=complaint).exists()
