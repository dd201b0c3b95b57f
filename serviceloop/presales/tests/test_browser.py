"""Browser walk (Playwright, Debian chromium) of the pre-sale flow as the real roles: Sales
records a requirement with its drawing, R&D, Production Quality and Purchasing evaluate it
from the page, Sales concludes; Sales enters an order with two part lines. The browser
fixtures are the visits walk's."""

from datetime import timedelta

from django.utils import timezone

from serviceloop.core.models import Department
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.presales.models import CustomerRequirement, Order, RequirementStatus
from serviceloop.presales.tests.factories import PDF
from serviceloop.visits.tests.test_browser import (  # noqa: F401  (fixture)
    _base,
    _login,
    _seed_roles_and_departments,
    browser,
    pytestmark,
)


def test_requirement_evaluations_conclusion_and_a_two_line_order(browser, live_server, tmp_path):  # noqa: F811
    _seed_roles_and_departments()
    cust = CustomerFactory(name="华北重型汽车集团")
    sales = user_with("sales", department=Department.objects.get(code="sales"))
    base = _base(live_server)

    page = _login(browser, live_server, sales)
    page.goto(f"{base}/presales/requirements/new/")
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=received_at]", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=subject]", "复原阻尼力提高 10%")
    page.fill("textarea[name=description]", "客户要求复原阻尼力提高 10%,耐久 100 万次。")
    page.click("form.stacked button")
    page.wait_for_url("**/presales/requirements/*/")
    req = CustomerRequirement.objects.get()
    assert req.evaluations.count() == 3
    drawing = tmp_path / "图纸-B版.pdf"
    drawing.write_bytes(PDF)
    page.click("details:has(form[action$='/attach/']) summary")
    page.set_input_files("input[name=attach-file]", str(drawing))
    page.fill("input[name=attach-description]", "图纸 B 版")
    page.click("form[action$='/attach/'] button")
    page.wait_for_load_state()
    assert req.attachments.get().description == "图纸 B 版"
    assert "图纸-B版.pdf" in page.content()

    for role in ("rnd", "production_quality", "purchasing"):
        user = user_with(role, department=Department.objects.get(code=role))
        page = _login(browser, live_server, user)
        page.goto(f"{base}/presales/requirements/{req.pk}/")
        page.click("details:has(form[action$='/evaluate/']) summary")
        page.check("input[name=evaluate-verdict][value=feasible]")
        page.fill("textarea[name=evaluate-note]", "可行")
        page.click("form[action$='/evaluate/'] button")
        page.wait_for_load_state()
        assert req.evaluations.get(department__code=role).verdict == "feasible", role
    req.refresh_from_db()
    assert req.status == RequirementStatus.EVALUATED

    page = _login(browser, live_server, sales)
    page.goto(f"{base}/presales/requirements/{req.pk}/")
    page.click("details:has(form[action$='/conclude/']) summary")
    page.fill("textarea[name=conclude-outcome]", "与客户协商一致:按新阻尼力供货。")
    page.click("form[action$='/conclude/'] button")
    page.wait_for_load_state()
    req.refresh_from_db()
    assert req.status == RequirementStatus.CONCLUDED

    due = timezone.localdate() + timedelta(days=30)
    page.goto(f"{base}/presales/orders/new/")
    page.select_option("select[name=customer]", str(cust.pk))
    page.fill("input[name=order_number]", "SO-PW-1")
    page.fill("input[name=part_number]", "SA-2041")
    page.fill("input[name=quantity]", "500")
    page.fill("input[name=promised_date]", due.isoformat())
    page.fill("textarea[name=more_lines]", f"SA-3310; 300; {due + timedelta(days=7)}; 后减振器")
    page.click("form.stacked button")
    page.wait_for_url("**/presales/orders/*/")
    order = Order.objects.get(order_number="SO-PW-1")
    assert list(order.lines.values_list("part_number", "quantity")) == [
        ("SA-2041", 500),
        ("SA-3310", 300),
    ]
    assert "SA-3310" in page.content() and "后减振器" in page.content()
