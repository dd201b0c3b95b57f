"""The return-for-repair form (退修单) as PDF (issue 10, item 11): Chinese, on the company's
letterhead, with lines, totals and the signatures; read back with pdftotext."""

import pytest

from serviceloop.core.demo import NAME_ZH, ensure_company
from serviceloop.core.testing.documents import pdf_text
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.fieldservice import services
from serviceloop.fieldservice.tests.factories import engineer, return_form

pytestmark = pytest.mark.django_db


def test_return_form_pdf_reads_back_in_chinese(client):
    ensure_company(user_with("admin"))
    eng = engineer()
    form = return_form(eng, CustomerFactory(name="长江汽车股份有限公司"), customer_signatory="赵明")
    services.return_countersign(actor=eng, form=form)
    client.force_login(eng)
    r = client.get(f"/field-service/returns/{form.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in (
        NAME_ZH,
        "退修单",
        form.number,
        "长江汽车股份有限公司",
        "L2401",
        "漏油",
        "赵明",
    ):
        assert expected in text, expected
    for expected in ("服务人员", "成品库(核对接收)", "合计"):
        assert expected in text, expected
    assert "ServiceLoop" not in text
    detail = client.get(f"/field-service/returns/{form.pk}/").content.decode()
    assert f"/field-service/returns/{form.pk}/pdf/" in detail


def test_a_user_who_may_not_see_the_customer_gets_404(client):
    from serviceloop.core.testing.factories import AgentFactory

    form = return_form(engineer())
    client.force_login(user_with("agent", agent=AgentFactory()))
    assert client.get(f"/field-service/returns/{form.pk}/pdf/").status_code in (403, 404)
