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


# ------------------------------------------------------------------ given baselines


def test_claim_baseline_is_set_replaced_and_audited(quality):
    from serviceloop.core.models import AuditEntry
    from serviceloop.earlywarning import services
    from serviceloop.earlywarning.models import ClaimBaseline

    first = services.claim_baseline_set(
        actor=quality, part_number="SA-2041", mis=3, rate_per_unit=0.002, source="目标"
    )
    again = services.claim_baseline_set(
        actor=quality, part_number="SA-2041", mis=3, rate_per_unit=0.0015, source="上一代"
    )
    assert again.pk == first.pk and ClaimBaseline.objects.get().rate_per_unit == 0.0015
    assert AuditEntry.objects.filter(object_type="earlywarning.claimbaseline").count() == 2


def test_claim_baseline_refusals_store_nothing(quality):
    from django.core.exceptions import PermissionDenied, ValidationError

    from serviceloop.core.testing.factories import user_with
    from serviceloop.earlywarning import services
    from serviceloop.earlywarning.models import ClaimBaseline

    with pytest.raises(PermissionDenied):
        services.claim_baseline_set(
            actor=user_with("production"), part_number="SA-1", mis=1, rate_per_unit=0.1, source="x"
        )
    with pytest.raises(ValidationError) as info:
        services.claim_baseline_set(
            actor=quality, part_number="SA-1", mis=13, rate_per_unit=0.1, source=""
        )
    assert "source" in info.value.message_dict
    assert not ClaimBaseline.objects.exists()


def test_a_given_baseline_lets_a_young_part_be_judged(quality):
    from serviceloop.earlywarning import services
    from serviceloop.earlywarning.engine.inputs import baseline_table

    rows, volumes = f.claim_rows(cohorts=5, bad={5: 4.0}, today=TODAY, units=3000)
    inputs = engine.Inputs(
        as_of=TODAY,
        claims=f.columns(rows),
        production={"SA-2041": volumes},
        part_names={},
        purchases={},
        customers={},
    )
    before = [x for x in engine.analyse(inputs).findings if x.kind == "warranty_claims"]
    assert before == []  # 5 build months: too few earlier ones to judge against
    for mis in range(1, 13):
        services.claim_baseline_set(
            actor=quality, part_number="SA-2041", mis=mis, rate_per_unit=0.002, source="目标"
        )
    inputs.baselines = baseline_table()
    (found,) = [x for x in engine.analyse(inputs).findings if x.kind == "warranty_claims"]
    onset = month_label(month_ordinal("2026-06") - 5)
    assert found.evidence["onset_build_month"] == onset
    assert "目标" in found.evidence["baseline_note"]
    assert engine.fingerprint(inputs) != engine.fingerprint(
        engine.Inputs(TODAY, inputs.claims, inputs.production, {}, {})
    )
