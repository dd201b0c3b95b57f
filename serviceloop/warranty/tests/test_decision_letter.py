"""The warranty decision letter to the customer (issue 10, item 11): Chinese, on the
company's letterhead, with the decision and its reasons; read back with pdftotext."""

import pytest
from django.utils import translation

from serviceloop.core.demo import NAME_ZH, ensure_company
from serviceloop.core.testing.documents import pdf_text
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.warranty.tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_decision_letter_reads_back_in_chinese(client):
    ensure_company(user_with("admin"))
    quality = user_with("quality")
    claim = make_claim(quality, CustomerFactory(name="长江汽车股份有限公司"))
    client.force_login(quality)
    r = client.get(f"/warranty/{claim.pk}/letter/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in (NAME_ZH, "三包”索赔处理结果通知书", claim.number, "长江汽车股份有限公司"):
        assert expected in text, expected
    with translation.override("zh-hans"):
        assert claim.get_decision_display() in text
    assert "草稿" in text  # not yet approved: the letter says so
    assert "ServiceLoop" not in text
    assert f"/warranty/{claim.pk}/letter/" in client.get(f"/warranty/{claim.pk}/").content.decode()
