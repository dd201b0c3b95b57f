"""The stored part analysis (issue 15): a run stores each part's analysis, the dashboard and
the API read it back (no refit per view), say when it was computed, mark it stale when the
part's inputs change or a month passes, and Quality can have it recomputed in the background."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from serviceloop.core.models import AuditEntry
from serviceloop.core.testing.factories import user_with
from serviceloop.earlywarning import engine, services
from serviceloop.earlywarning.models import PartDashboard, ProductionVolume, RunStatus
from serviceloop.earlywarning.selectors import dashboard
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db
PART = "SA-2041"


@pytest.fixture
def part(monkeypatch):
    rows, volumes = f.claim_rows(bad={8: 5.0}, cohorts=14)
    f.patch_claims(monkeypatch, rows)
    ProductionVolume.objects.bulk_create(
        ProductionVolume(part_number=PART, build_month=m, quantity=q) for m, q in volumes.items()
    )
    return rows


def _run():
    run = services.run_request(actor=None, enqueue=False)
    services.execute_run(run.pk)
    run.refresh_from_db()
    return run


def _no_refit(monkeypatch):
    """Any analysis now fails the test: the views must read the stored one."""

    def refit(*args, **kwargs):
        raise AssertionError("refitted in the request")

    from serviceloop.earlywarning.selectors import dashboard as selector
    from serviceloop.earlywarning.services import dashboards as service

    monkeypatch.setattr(selector, "analyse_one_part", refit)
    monkeypatch.setattr(service, "analyse_one_part", refit)
    monkeypatch.setattr(engine.inputs, "load_claims", refit)


def test_a_run_stores_each_part_and_the_views_read_it(part, client, monkeypatch):
    run = _run()
    assert run.status == RunStatus.SUCCEEDED and run.counts["parts_stored"] == 1
    stored = PartDashboard.objects.get(part_number=PART)
    assert stored.run == run and stored.as_of == run.as_of and stored.data["heat"]
    assert stored.data["counted_claims"] > 0 and stored.data["weibull"]["type"] == "weibull"

    _no_refit(monkeypatch)
    client.force_login(user_with("quality"))
    page = client.get(reverse("earlywarning:part_dashboard", args=[PART])).content.decode()
    assert page.count("<svg") == 2 and "rgba(179,38,30" in page and "CUSUM / h" in page
    assert 'id="computed"' in page and f"{stored.computed_at:%Y-%m-%d}" in page
    assert 'id="stale"' not in page and "Recompute" in page
    api = client.get(f"/api/v1/early-warning/parts/{PART}").json()
    assert api["computed_at"] == stored.computed_at.isoformat() and api["stale"] == []
    assert api["claims"] == stored.data["claims"] and api["cohorts"]

    sales = user_with("sales")
    client.force_login(sales)
    page = client.get(reverse("earlywarning:part_dashboard", args=[PART])).content.decode()
    assert "Recompute" not in page  # the button is Quality's


def test_a_rerun_replaces_the_stored_analysis(part):
    first = _run()
    second = _run()
    stored = PartDashboard.objects.get()
    assert stored.run == second and first != second


def test_changed_inputs_or_a_new_month_mark_it_stale(part, client):
    _run()
    stored = PartDashboard.objects.get()
    today = timezone.localdate()
    assert dashboard.stale_reasons(stored, today) == []
    volume = ProductionVolume.objects.filter(part_number=PART).first()
    volume.quantity += 10
    volume.save()
    assert len(dashboard.stale_reasons(stored, today)) == 1
    client.force_login(user_with("quality"))
    page = client.get(reverse("earlywarning:part_dashboard", args=[PART])).content.decode()
    assert 'id="stale"' in page
    assert len(dashboard.stale_reasons(stored, today + timedelta(days=40))) == 2
    stored.engine_version = "0"
    assert len(dashboard.stale_reasons(stored, today)) == 2


def test_a_changed_claim_of_the_part_marks_it_stale(part):
    from serviceloop.warranty.tests.factories import make_claim

    _run()
    stored = PartDashboard.objects.get()
    make_claim(part_number="OTHER-1")
    assert dashboard.stale_reasons(stored, timezone.localdate()) == []
    make_claim(part_number=PART)
    assert dashboard.stale_reasons(stored, timezone.localdate())


def test_recompute_is_quality_s_audited_and_runs_in_the_background(
    part, client, django_capture_on_commit_callbacks
):
    _run()
    before = PartDashboard.objects.get()
    quality = user_with("quality")
    url = reverse("earlywarning:part_recompute", args=[PART])
    client.force_login(user_with("sales"))
    assert client.post(url).status_code == 403
    client.force_login(quality)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url)
    assert r.status_code == 302 and r["Location"].endswith(f"/parts/{PART}/")
    after = PartDashboard.objects.get()
    assert after.computed_at > before.computed_at and after.run is None
    assert after.recompute_requested_at is None and after.data["heat"] == before.data["heat"]
    entry = AuditEntry.objects.filter(object_type="earlywarning.partdashboard").last()
    assert entry.actor == quality and entry.reason == "recompute"
    assert client.post(reverse("earlywarning:part_recompute", args=["NOPE"])).status_code == 404


def test_a_part_no_run_has_stored_is_computed_on_first_view(part, client):
    assert not PartDashboard.objects.exists()
    client.force_login(user_with("quality"))
    page = client.get(reverse("earlywarning:part_dashboard", args=[PART])).content.decode()
    assert "CUSUM / h" in page
    stored = PartDashboard.objects.get()
    assert stored.run is None
