"""Browser walk (Playwright, Debian chromium): Sales drafts the year's visit plan and submits
it, sales leadership reviews, company leadership approves, Sales records a visit against a
plan item, and the board shows it done."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from serviceloop.core.models import Department
from serviceloop.core.testing.factories import PASSWORD, CustomerFactory, user_with
from serviceloop.customers.models import Tier
from serviceloop.visits.models import PlanStatus, VisitPlan, VisitRecord

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-proxy-server",
]
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium"),
]


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM checks from the test thread
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _base(live_server):
    return live_server.url.replace("localhost", "127.0.0.1")


def _login(browser, live_server, user):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.set_default_timeout(60000)
    page.goto(f"{_base(live_server)}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button")
    page.wait_for_load_state()
    return page


def _seed_roles_and_departments():
    """A transactional test may run after another flushed the tables the migrations seed
    (a flush re-seeds them too, through core's post_migrate; this keeps the test self-contained)."""
    from django.apps import apps

    from serviceloop.core.seed import seed_roles_and_departments

    seed_roles_and_departments(apps)


def test_plan_review_approve_then_visit(browser, live_server):
    _seed_roles_and_departments()
    year = timezone.localdate().year
    cust = CustomerFactory(tier=Tier.OEM_TIER1, name="华北重型汽车集团")
    sales = user_with("sales", department=Department.objects.get(code="sales"))
    lead, boss = user_with("sales_leader"), user_with("company_leader")

    page = _login(browser, live_server, sales)
    page.goto(f"{_base(live_server)}/visits/plans/")
    page.fill("input[name=year]", str(year))
    page.click("form[action$='/plans/new/'] button")
    page.wait_for_url("**/visits/plans/*/")
    plan = VisitPlan.objects.get(year=year)
    assert plan.items.filter(customer=cust).exists()
    page.click("form[action$='/submit/'] button")
    page.wait_for_load_state()
    assert VisitPlan.objects.get().status == PlanStatus.SUBMITTED

    page = _login(browser, live_server, lead)
    page.goto(f"{_base(live_server)}/visits/plans/{plan.pk}/")
    page.click("details:has(form[action$='/review/']) summary")
    page.fill("textarea[name=review-comment]", "同意，按季度安排。")
    page.click("form[action$='/review/'] button")
    page.wait_for_load_state()
    assert VisitPlan.objects.get().status == PlanStatus.REVIEWED

    page = _login(browser, live_server, boss)
    page.goto(f"{_base(live_server)}/visits/plans/{plan.pk}/")
    page.click("details:has(form[action$='/approve/']) summary")
    page.click("form[action$='/approve/'] button")
    page.wait_for_load_state()
    assert VisitPlan.objects.get().status == PlanStatus.APPROVED

    page = _login(browser, live_server, sales)
    page.goto(f"{_base(live_server)}/visits/plans/{plan.pk}/")
    item = plan.items.get(customer=cust)
    page.click(f"a[href$='plan_item={item.pk}']")
    page.wait_for_url("**/visits/new/**")
    page.fill("textarea[name=summary]", "走访质量部，听取对减振器的意见。")
    page.fill("textarea[name=opinions]", "希望缩短交期。")
    page.select_option("select[name=satisfaction]", "5")
    page.click("form.stacked button")
    page.wait_for_url("**/visits/*/")
    rec = VisitRecord.objects.get()
    assert rec.plan_item == item and rec.satisfaction == 5
    assert rec.number in page.content()
    page.goto(f"{_base(live_server)}/visits/board/?year={year}")
    assert "100%" in page.content() or plan.items.count() > 1
