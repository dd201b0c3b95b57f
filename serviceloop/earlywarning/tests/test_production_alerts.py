"""A change along production time from the engine to the alert page and the written report:
the onset build month is shown as a labelled value and written into the report."""

from datetime import date

import pytest
from django.urls import reverse

from serviceloop.earlywarning import engine
from serviceloop.earlywarning.documents import narrative
from serviceloop.earlywarning.stats.claims_monitor import month_label, month_ordinal
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
ONSET = month_label(month_ordinal("2026-06") - 12)


@pytest.fixture(scope="module")
def finding():
    rows, volumes = f.claim_rows(bad={12: 5.0}, today=TODAY, cohorts=24)
    out = engine.analyse(
        engine.Inputs(
            as_of=TODAY,
            claims=f.columns(rows),
            production={"SA-2041": volumes},
            part_names={},
            purchases={},
            customers={},
        )
    )
    (found,) = [x for x in out.findings if x.kind == "warranty_claims"]
    return found


def test_the_alert_page_shows_the_onset_as_labelled_values(client, quality, finding):
    alert = f.raise_alert(finding)
    assert alert.cohort == ONSET and alert.evidence["onset_build_month"] == ONSET
    client.force_login(quality)
    page = client.get(reverse("earlywarning:alert_detail", args=[alert.pk])).content.decode()
    assert "Estimated onset build month" in page and f"<dd>{ONSET}</dd>" in page
    assert "Build months affected" in page and "Detected as" in page
    assert page.count("<svg") == 2 and "estimated onset" in page


def test_the_written_report_states_the_onset(quality, finding):
    alert = f.raise_alert(finding)
    report = f.drafted_report(alert, quality)
    text = " ".join(str(getattr(report, k, "")) for k in ("phenomenon", "analysis", "scope"))
    assert f"Estimated onset: build month {ONSET}" in text
    assert f"from build month {ONSET} on" in text
    assert narrative.headline(alert).startswith(f"SA-2041: claims up since build month {ONSET}")
