"""The browser walk, second part (issue 10): one main flow of every remaining app, by clicking,
in Chinese, with one chromium and one live server for the whole module. Each flow's pages
must answer without a 4xx/5xx, log no console error and show no English word (the Walker of
test_walk). Also: the main menu of Sales at phone width (390 px) must not scroll sideways,
and a downloaded decision letter must be a real PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.tests.test_walk import Walker
from serviceloop.visits.tests.test_browser import (  # noqa: F401  (the browser fixture)
    _base,
    _seed_roles_and_departments,
    browser,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.slow,
    pytest.mark.db_independent,
]
PHONE = {"width": 390, "height": 844}


def test_every_app_main_flow_by_clicking(browser, live_server, settings):  # noqa: F811
    from serviceloop.core.tests.test_chinese_pages import _vocabulary

    settings.LANGUAGE_CODE = "zh-hans"
    _seed_roles_and_departments()
    base = _base(live_server)
    cust = CustomerFactory(name="华北重型汽车集团")
    roles = ["sales", "quality", "service_engineer", "rnd", "admin"]
    users = {role: user_with(role) for role in roles}
    data_words = {u.username for u in users.values()} | {cust.code}
    vocabulary = _vocabulary()
    problems: dict[str, list[str]] = {}

    def walker(role: str, viewport: dict | None = None) -> Walker:
        return Walker(browser, base, users[role], data_words, vocabulary, viewport=viewport)

    # (role, steps): one login per row, its steps in order
    flows: list[tuple[str, list]] = [
        ("quality", [lambda w: _warranty(w, cust), _early_warning]),
        ("service_engineer", [lambda w: _field_service(w, cust)]),
        ("sales", [lambda w: _requirement(w, cust), lambda w: _order(w, cust)]),
        ("rnd", [_evaluate]),
        ("sales", [_conclude, lambda w: _visit(w, cust), lambda w: _training(w, users), _summary]),
        ("admin", [_retention]),
    ]
    for role, steps in flows:
        w = walker(role)
        for step in steps:
            step(w)
        problems.setdefault(role, []).extend(w.problems)
        w.page.context.close()

    w = walker("sales", PHONE)
    problems["sales (phone)"] = w.problems + _phone_width(w)
    w.page.context.close()
    assert not any(problems.values()), "\n".join(
        f"{role}: {p}" for role, ps in problems.items() for p in ps
    )


def _submit(w: Walker, url_glob: str) -> None:
    """Press the page's main form button and wait for the page it leads to."""
    w.page.locator("main form.stacked button.btn").last.click()
    w.page.wait_for_url(url_glob)
    w.check()


def _act(w: Walker, action_suffix: str, fill: dict[str, str] | None = None) -> None:
    """Open a folded action (details > form) and submit it."""
    form = f"form[action$='{action_suffix}']"
    w.page.click(f"details:has({form}) summary")
    for selector, value in (fill or {}).items():
        w.page.fill(f"{form} {selector}", value)
    w.page.click(f"{form} button.btn")
    w.page.wait_for_load_state()
    w.check()


def _warranty(w: Walker, cust) -> None:
    """Quality registers a returned part's claim; the rule decides; Quality approves or
    rejects the decision; the decision letter downloads as a PDF."""
    from serviceloop.warranty.models import WarrantyClaim

    page, today = w.page, timezone.localdate()
    page.goto(f"{w.base}/warranty/")
    w.check()
    page.click("a.btn[href$='/warranty/new/']")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=purchase_date]", (today - dt.timedelta(days=200)).isoformat())
    page.fill("input[name=failure_date]", (today - dt.timedelta(days=5)).isoformat())
    page.fill("input[name=mileage_km]", "12000")
    page.fill("input[name=part_number]", "SA-2001")
    page.check("input[name=findings][value=manufacturing_defect]")
    page.select_option("select[name=repairable]", "true")
    page.fill("textarea[name=description]", "减振器漏油，返件检验确认密封失效。")
    _submit(w, "**/warranty/*/")
    claim = WarrantyClaim.objects.get(part_number="SA-2001")
    before = claim.status
    assert before == "decided", (before, claim.reasons)
    decide = "/approve/" if page.locator("form[action$='/approve/']").count() else "/reject/"
    _act(w, decide, {"textarea": "按规则处理。"})
    claim.refresh_from_db()
    assert claim.status in ("approved", "rejected"), claim.status
    letter = page.locator("a[href$='/letter/']").first.get_attribute("href")
    response = page.request.get(f"{w.base}{letter}")
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body()[:5] == b"%PDF-" and len(response.body()) > 1000


def _early_warning(w: Walker) -> None:
    """Quality opens a raised alert from the list, acknowledges it and starts the written
    failure-analysis report (its edit page)."""
    from serviceloop.earlywarning.tests import factories as f

    alert = f.raise_alert()
    page = w.page
    page.goto(f"{w.base}/early-warning/")
    w.check()
    page.click(f"a[href$='/early-warning/alerts/{alert.pk}/']")
    w.check()
    _act(w, "/acknowledge/", {"textarea": "已查看，安排分析。"})
    alert.refresh_from_db()
    assert alert.status == "acknowledged", alert.status
    page.click(f"form[action$='/alerts/{alert.pk}/report/'] button.btn")
    page.wait_for_url("**/early-warning/reports/*/edit/")
    w.check()
    alert.refresh_from_db()
    assert alert.status == "report_drafted", alert.status


def _field_service(w: Walker, cust) -> None:
    """The engineer records a service on site, then sends the week's feedback to Sales."""
    from serviceloop.core import deadlines
    from serviceloop.fieldservice.models import ServiceRecord, WeeklyFeedback
    from serviceloop.fieldservice.tests.factories import PartFactory

    part = PartFactory()
    page = w.page
    page.goto(f"{w.base}/field-service/records/")
    w.check()
    page.click("a.btn[href$='/field-service/records/new/']")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=service_date]", timezone.localdate().isoformat())
    page.fill("input[name=part]", part.part_number)
    page.fill("textarea[name=defect]", "异响，拆检发现衬套磨损。")
    page.locator("input[name=failure_mode]").first.check()
    page.locator("input[name=outcome]").first.check()
    _submit(w, "**/field-service/records/*/")
    assert ServiceRecord.objects.filter(customer=cust, part=part).exists()
    week = deadlines.week_start(timezone.localdate())
    page.goto(f"{w.base}/field-service/feedback/")
    w.check()
    link = page.locator(f"a[href*='/feedback/{w.user.pk}/{week.isoformat()}/']")
    if link.count():
        link.first.click()
    else:
        page.goto(f"{w.base}/field-service/feedback/{w.user.pk}/{week.isoformat()}/")
    w.check()
    page.fill("form[action$='/submit/'] textarea", "本周处理一起异响，客户满意。")
    page.click("form[action$='/submit/'] button.btn")
    page.wait_for_load_state()
    w.check()
    fb = WeeklyFeedback.objects.get(engineer=w.user, week_start=week)
    assert fb.submitted_at is not None


def _requirement(w: Walker, cust) -> None:
    """Sales registers a customer's requirement for evaluation by R&D."""
    from serviceloop.presales.models import CustomerRequirement

    page = w.page
    page.goto(f"{w.base}/presales/requirements/")
    w.check()
    page.click("a.btn[href$='/presales/requirements/new/']")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=received_at]", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=subject]", "新车型减振器阻尼要求")
    page.fill("textarea[name=description]", "客户要求复原阻尼提高百分之十。")
    rnd = Department.objects.get(code="rnd")
    for box in page.locator("input[name=evaluators]").all():  # R&D alone evaluates here
        box.set_checked(box.get_attribute("value") == str(rnd.pk))
    _submit(w, "**/presales/requirements/*/")
    req = CustomerRequirement.objects.get(subject="新车型减振器阻尼要求")
    assert [e.department.code for e in req.evaluations.all()] == ["rnd"]


def _evaluate(w: Walker) -> None:
    """R&D records its evaluation of the requirement."""
    from serviceloop.presales.models import CustomerRequirement

    req = CustomerRequirement.objects.get(subject="新车型减振器阻尼要求")
    page = w.page
    page.goto(f"{w.base}{reverse('presales:requirement', args=[req.pk])}")
    w.check()
    form = "form[action$='/evaluate/']"
    page.click(f"details:has({form}) summary")
    page.locator(f"{form} input[name$=verdict]").first.check()
    page.locator(f"{form} textarea").first.fill("可以实现，需调整阀系。")
    page.click(f"{form} button.btn")
    page.wait_for_load_state()
    w.check()
    assert req.evaluations.filter(evaluated_at__isnull=False).exists()


def _conclude(w: Walker) -> None:
    """Sales concludes the requirement with the customer."""
    from serviceloop.presales.models import CustomerRequirement

    req = CustomerRequirement.objects.get(subject="新车型减振器阻尼要求")
    page = w.page
    page.goto(f"{w.base}{reverse('presales:requirement', args=[req.pk])}")
    w.check()
    _act(w, "/conclude/", {"textarea": "客户同意方案，下达试制订单。"})
    req.refresh_from_db()
    assert req.concluded_at is not None


def _order(w: Walker, cust) -> None:
    """Sales enters a customer order with its promised date."""
    from serviceloop.presales.models import Order

    page = w.page
    page.goto(f"{w.base}/presales/orders/")
    w.check()
    page.click("a.btn[href$='/presales/orders/new/']")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=order_number]", "PO-2026-001")
    page.fill("input[name=part_number]", "SA-3001")
    page.fill("input[name=quantity]", "200")
    promised = timezone.localdate() + dt.timedelta(days=30)
    page.fill("input[name=promised_date]", promised.isoformat())
    _submit(w, "**/presales/orders/*/")
    assert Order.objects.filter(order_number="PO-2026-001").exists()


def _visit(w: Walker, cust) -> None:
    """Sales records a visit to the customer."""
    from serviceloop.visits.models import VisitRecord

    page = w.page
    page.goto(f"{w.base}/visits/")
    w.check()
    page.click("a.btn[href$='/visits/new/']")
    w.check()
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=visited_at]", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=summary]", "走访质量部，听取对减振器的意见。")
    page.fill("textarea[name=opinions]", "希望缩短交期。")
    page.select_option("select[name=satisfaction]", "4")
    _submit(w, "**/visits/*/")
    assert VisitRecord.objects.filter(customer=cust, satisfaction=4).exists()


def _training(w: Walker, users) -> None:
    """Sales plans a training for the engineer, then records his attendance and score."""
    from serviceloop.training.models import Training

    page = w.page
    page.goto(f"{w.base}/training/")
    w.check()
    page.click("a.btn[href$='/training/new/']")
    w.check()
    page.fill("input[name=title]", "减振器拆装培训")
    page.fill("input[name=held_on]", timezone.localdate().isoformat())
    page.fill("input[name=trainer]", "王工")
    page.fill("input[name=hours]", "2")
    page.select_option("select[name=attendees]", [str(users["service_engineer"].pk)])
    _submit(w, "**/training/*/")
    training = Training.objects.get(title="减振器拆装培训")
    attendee = training.attendees.get()
    page.check(f"input[name=attended_{attendee.pk}]")
    page.fill(f"input[name=score_{attendee.pk}]", "90")
    page.select_option(f"select[name=passed_{attendee.pk}]", "1")
    page.click("form[action$='/attendance/'] button.btn")
    page.wait_for_load_state()
    w.check()
    attendee.refresh_from_db()
    assert attendee.attended and attendee.score == 90 and attendee.passed


def _summary(w: Walker) -> None:
    """Sales drafts the half-year summary and opens it."""
    from serviceloop.summaries.models import ServiceSummary

    page = w.page
    page.goto(f"{w.base}/summaries/")
    w.check()
    page.click("a.btn[href$='/summaries/new/']")
    w.check()
    _submit(w, "**/summaries/*/")
    assert ServiceSummary.objects.exists()


def _retention(w: Walker) -> None:
    """The administrator opens the records retention page."""
    w.page.goto(f"{w.base}/records/retention/")
    w.check()
    assert w.page.locator("h1").count()


def _phone_width(w: Walker) -> list[str]:
    """Every main-menu screen at 390 px: nothing wider than the screen."""
    page = w.page
    hrefs = [
        a.get_attribute("href") for a in page.locator("nav.main a").all() if a.get_attribute("href")
    ]
    wide = []
    for href in ["/"] + hrefs:
        page.goto(f"{w.base}{href}")
        w.check()
        if problem := w.wider_than_screen():
            wide.append(problem)
    assert len(hrefs) >= 3, hrefs
    return wide
