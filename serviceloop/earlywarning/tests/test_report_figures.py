"""Issue 10, item 9: every number of a written report comes from one evidence object, the
report's own. The report page, its PDF and the API state the same key figures, and the
sentences use the same numbers (no "1,795 → 828" in one section and "1,766 → 820" in the
other); alert and run pages show labelled values, never raw evidence keys."""

import html
import re

import pytest
from django.test import override_settings

from serviceloop.core.testing.documents import pdf_text
from serviceloop.core.testing.factories import CustomerFactory
from serviceloop.earlywarning.documents.pdf import report_pdf
from serviceloop.earlywarning.models import Alert, AnalysisRun
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db


def _purchase_alert():
    """A drop whose geometric level and arithmetic mean differ, as in real data."""
    finding = f.purchase_finding(CustomerFactory(name="长江汽车股份有限公司").pk)
    finding.evidence.update(
        level_before=1766.2,
        level_after=820.4,
        relative_change=820.4 / 1766.2 - 1,
        mean_before=1795.4,
        mean_after=828.3,
    )
    return f.raise_alert(finding)


def _page_figures(page: str) -> list[tuple[str, str, str]]:
    block = page.split('id="key-figures"', 1)[1].split("</dl>", 1)[0]
    return [
        (key, html.unescape(label), html.unescape(value))
        for label, key, value in re.findall(
            r'<dt>(.*?)</dt><dd data-key="(.*?)">(.*?)</dd>', block, re.S
        )
    ]


@override_settings(LANGUAGE_CODE="zh-hans")
def test_page_pdf_and_api_state_the_same_numbers(client, api_as, quality):
    report = f.drafted_report(_purchase_alert(), quality)
    client.force_login(quality)
    page = client.get(report.get_absolute_url()).content.decode()
    on_page = _page_figures(page)
    api = api_as(quality).get(f"early-warning/reports/{report.pk}").json()
    from_api = [(x["key"], x["label"], x["value"]) for x in api["figures"]]
    assert on_page == from_api
    keys = {k: v for k, _, v in on_page}
    assert keys["level_before"] == "1,766" and keys["level_after"] == "820"
    assert keys["relative_change"] == "54%" or keys["relative_change"] == "-54%"
    pdf = pdf_text(report_pdf(report))
    for _key, _label, value in on_page:
        assert "".join(value.split()) in pdf, value
    assert "关键数据" in pdf and "变化前月采购量" in pdf
    # the sentences state the same numbers, never the arithmetic means
    for text in (report.phenomenon, report.analysis, api["phenomenon"], api["analysis"]):
        assert "1,766" in text and "820" in text
        assert "1,795" not in text and "828" not in text
    assert "1,795" not in pdf and "1,795" not in page


@override_settings(LANGUAGE_CODE="zh-hans")
def test_report_keeps_its_own_evidence_when_the_alert_moves_on(client, quality):
    report = f.drafted_report(_purchase_alert(), quality)
    Alert.objects.filter(pk=report.alert_id).update(
        evidence={**report.evidence, "relative_change": -0.7, "level_after": 530.0}
    )
    client.force_login(quality)
    page = client.get(report.get_absolute_url()).content.decode()
    pdf = pdf_text(report_pdf(report))
    for text in (page, pdf):
        assert "54%" in text and "70%" not in text
    assert dict((k, v) for k, _, v in _page_figures(page))["level_after"] == "820"


def test_alert_and_run_pages_show_labels_not_keys(client, quality):
    finding = f.survey_finding(CustomerFactory().pk)
    finding.evidence["sigma_dof"] = 14
    alert = f.raise_alert(finding)
    run = AnalysisRun.objects.create(
        trigger="manual",
        queued_at=alert.created_at,
        counts={"customers_purchases": 3, "findings": 1, "findings_by_kind": {alert.kind: 1}},
    )
    client.force_login(quality)
    page = client.get(alert.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for raw in ("sigma_dof", "arl0_lower", "mean_score", "lower_limit"):
        assert raw not in page
    assert "Degrees of freedom of σ" in page and "Survey months between false alarms" in page
    page = client.get(f"/early-warning/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    text = page.decode()
    assert "customers_purchases" not in text and "satisfaction_survey" not in text
    assert "Customers with purchases analysed" in text


@override_settings(LANGUAGE_CODE="zh-hans")
def test_alert_figures_tell_engine_codes_in_words():
    """The browser walk found the alert page's evidence showing the engine's baseline and
    signal codes in English; they are told in the reader's language."""
    from django.utils import translation

    from serviceloop.earlywarning.documents.figures import all_figures

    alert = f.raise_alert()
    with translation.override("zh-hans"):
        values = {x.key: x.value for x in all_figures(alert.evidence)}
    assert values["baseline"] == "其他生产月份在相同使用月数的索赔率(留一法)"
    assert values["signal"].startswith("(a)")  # the kind's label, R-5.4.3 (a)
    assert not re.search(r"[A-Za-z]{3,}", values["baseline"] + values["signal"])
