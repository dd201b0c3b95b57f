"""Analysis runs: alerts raised once and refreshed by re-runs, conditions that disappear,
new episodes, the schedule's cheap skip, and the runs triggered by imports."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from serviceloop.core.models import AuditEntry, Notification
from serviceloop.core.signals import field_data_imported
from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.core.testing.imports import run_import
from serviceloop.core.testing.notices import assert_each_reader_sees_own_language
from serviceloop.earlywarning import engine, services
from serviceloop.earlywarning.models import (
    Alert,
    AlertStatus,
    AnalysisRun,
    EngineState,
    ProductionVolume,
    PurchaseVolume,
    RunStatus,
    Trigger,
)
from serviceloop.earlywarning.services.runs import apply_findings
from serviceloop.earlywarning.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(monkeypatch):
    """A bad build month of SA-2041 and a customer whose purchases dropped."""
    rows, volumes = f.claim_rows(bad={10: 5.0}, cohorts=20)
    f.patch_claims(monkeypatch, rows)
    ProductionVolume.objects.bulk_create(
        ProductionVolume(part_number="SA-2041", build_month=m, quantity=q)
        for m, q in volumes.items()
    )
    customer = CustomerFactory()
    cur = f.current_ordinal()
    PurchaseVolume.objects.bulk_create(
        PurchaseVolume(
            customer=customer,
            month=f"{o // 12:04d}-{o % 12 + 1:02d}",
            quantity=150 if o >= cur - 5 else 500 + (o % 3) * 20,
        )
        for o in range(cur - 20, cur)
    )
    return customer


def _run(trigger=Trigger.MANUAL):
    run = services.run_request(actor=None, trigger=trigger, enqueue=False)
    services.execute_run(run.pk)
    run.refresh_from_db()
    return run


def test_a_run_raises_alerts_and_a_rerun_does_not_duplicate(planted):
    quality = user_with("quality")
    run = _run()
    assert run.status == RunStatus.SUCCEEDED and run.started_at and run.finished_at
    keys = set(Alert.objects.values_list("dedupe_key", flat=True))
    assert f"purchase_drop:c{planted.pk}" in keys
    assert any(k.startswith("warranty_claims:SA-2041:") for k in keys)
    assert run.counts["new"] == len(keys) and run.fingerprint
    alert = Alert.objects.get(kind="purchase_drop")
    assert alert.number.startswith("EW-") and alert.status == AlertStatus.NEW
    assert alert.first_run == run and alert.signalling and alert.report_due_at > alert.created_at
    assert Notification.objects.filter(recipient=quality, kind="ew_alert").count() == len(keys)
    assert_each_reader_sees_own_language(Notification.objects.filter(kind="ew_alert"))
    audit = AuditEntry.objects.count()

    again = _run()
    assert Alert.objects.count() == len(keys)
    assert again.counts["new"] == 0 and again.counts["unchanged"] == len(keys)
    alert.refresh_from_db()
    assert alert.last_run == again and alert.first_run == run
    # only the runs' own entries: unchanged alerts are not re-audited
    assert AuditEntry.objects.exclude(object_type="earlywarning.analysisrun").count() == audit - (
        AuditEntry.objects.filter(object_type="earlywarning.analysisrun", seq__lte=audit).count()
    )
    assert Notification.objects.filter(recipient=quality, kind="ew_alert").count() == len(keys)


def test_changed_evidence_updates_the_alert_and_is_audited(planted):
    _run()
    alert = Alert.objects.get(kind="purchase_drop")
    history = AuditEntry.objects.filter(object_id=str(alert.pk), object_type="earlywarning.alert")
    count = history.count()
    before_drop = list(PurchaseVolume.objects.filter(customer=planted).order_by("month"))[:-5]
    PurchaseVolume.objects.filter(pk__in=[v.pk for v in before_drop]).update(quantity=900)
    run = _run()
    alert.refresh_from_db()
    assert run.counts["updated"] >= 1
    assert alert.evidence["level_before"] > 800 and alert.last_run == run
    assert history.count() == count + 1


def test_an_alert_whose_condition_disappears_stays_but_stops_signalling(planted):
    _run()
    alert = Alert.objects.get(kind="purchase_drop")
    PurchaseVolume.objects.filter(customer=planted).update(quantity=500)
    run = _run()
    alert.refresh_from_db()
    assert not alert.signalling and alert.cleared_at is not None and alert.last_run == run
    assert run.counts["cleared"] >= 1
    assert Alert.objects.filter(pk=alert.pk).exists()


def test_a_new_episode_after_a_closed_alert_gets_a_new_alert(planted):
    _run()
    alert = Alert.objects.get(kind="purchase_drop")
    services.alert_dismiss(actor=user_with("quality"), alert=alert, reason="客户年度检修停产")
    # still signalling: refreshed, no second alert
    _run()
    assert Alert.objects.filter(kind="purchase_drop").count() == 1
    # the condition goes ...
    dropped = {v.pk: v.quantity for v in PurchaseVolume.objects.filter(customer=planted)}
    PurchaseVolume.objects.filter(customer=planted).update(quantity=500)
    _run()
    # ... and comes back: a new episode
    for pk, qty in dropped.items():
        PurchaseVolume.objects.filter(pk=pk).update(quantity=qty)
    _run()
    episodes = Alert.objects.filter(kind="purchase_drop").order_by("occurrence")
    assert [(a.occurrence, a.status) for a in episodes] == [
        (1, AlertStatus.DISMISSED),
        (2, AlertStatus.NEW),
    ]


def test_a_reopened_condition_on_an_open_alert_resumes_it():
    finding = f.claims_finding()
    run = f.new_run()
    apply_findings(run, f.outcome(finding))
    apply_findings(f.new_run(), f.outcome())  # no finding: cleared
    alert = Alert.objects.get()
    assert not alert.signalling
    counts = apply_findings(f.new_run(), f.outcome(finding))
    alert.refresh_from_db()
    assert counts["resumed"] == 1 and alert.signalling and alert.cleared_at is None


def test_a_scope_that_could_not_be_evaluated_keeps_its_alerts():
    finding = f.claims_finding()
    apply_findings(f.new_run(), f.outcome(finding))
    failed = engine.Outcome(failed_scopes={finding.scope})
    apply_findings(f.new_run(), failed)
    assert Alert.objects.get().signalling
    apply_findings(f.new_run(), engine.Outcome(failed_kinds={"warranty_claims"}))
    assert Alert.objects.get().signalling


def test_escalated_severity_moves_the_due_date_and_notifies():
    quality = user_with("quality")
    apply_findings(f.new_run(), f.outcome(f.claims_finding(severity="low")))
    alert = Alert.objects.get()
    due = alert.report_due_at
    apply_findings(f.new_run(), f.outcome(f.claims_finding(severity="high")))
    alert.refresh_from_db()
    assert alert.severity == "high" and alert.report_due_at < due
    assert Notification.objects.filter(
        recipient=quality, dedupe_key__startswith="ew:escalated"
    ).exists()


def test_a_failing_analysis_marks_the_run_failed(monkeypatch):
    monkeypatch.setattr(engine, "analyse", lambda inputs: 1 / 0)
    monkeypatch.setattr(engine, "load_inputs", lambda as_of: engine.Inputs(as_of, {}, {}, {}, {}))
    monkeypatch.setattr(engine, "fingerprint", lambda inputs: "x")
    run = services.run_request(actor=None, enqueue=False)
    result = services.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "ZeroDivisionError" in run.errors[0]["message"]
    assert result["status"] == RunStatus.FAILED
    assert services.execute_run(run.pk)["skipped"] == "not queued"


def test_run_now_needs_quality_and_enqueues(django_capture_on_commit_callbacks, monkeypatch):
    rows, _ = f.claim_rows(cohorts=4)
    f.patch_claims(monkeypatch, rows)
    with pytest.raises(PermissionDenied):
        services.run_request(actor=user_with("sales"))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_request(actor=user_with("quality"))
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.trigger == Trigger.MANUAL


def test_the_schedule_skips_when_checked_recently_or_nothing_changed(monkeypatch):
    rows, volumes = f.claim_rows(cohorts=6)
    f.patch_claims(monkeypatch, rows)
    now = timezone.now()
    first = services.scheduled_check(now)
    assert first["status"] == RunStatus.SUCCEEDED
    assert services.scheduled_check(now + timedelta(hours=1)) == {"skipped": "checked recently"}
    assert services.scheduled_check(now + timedelta(hours=25)) == {"skipped": "no data changed"}
    ProductionVolume.objects.create(part_number="SA-2041", build_month="2025-01", quantity=9)
    third = services.scheduled_check(now + timedelta(hours=50))
    assert third["status"] == RunStatus.SUCCEEDED
    assert AnalysisRun.objects.filter(trigger=Trigger.SCHEDULE).count() == 2
    assert EngineState.objects.get().last_checked_at == now + timedelta(hours=50)


def test_the_periodic_task_is_the_cheap_schedule(monkeypatch):
    from serviceloop.core.jobs import PERIODIC
    from serviceloop.earlywarning.tasks import run_analysis_task, sweep_overdue_task

    assert run_analysis_task in PERIODIC and sweep_overdue_task in PERIODIC
    EngineState.objects.create(pk=1, last_checked_at=timezone.now())
    assert run_analysis_task.call() == {"skipped": "checked recently"}


def _fake_task(monkeypatch, calls):
    class Task:
        @staticmethod
        def enqueue(*args):
            calls.append(args)

    monkeypatch.setattr("serviceloop.earlywarning.tasks.run_analysis_task", Task)


def test_field_data_imported_enqueues_one_run_on_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    _fake_task(monkeypatch, calls)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        field_data_imported.send(sender=object, source="warranty_claims", count=120)
        assert AnalysisRun.objects.count() == 0  # nothing before the import commits
    assert len(callbacks) >= 1
    run = AnalysisRun.objects.get()
    assert run.trigger == Trigger.IMPORT and run.source == "warranty_claims (120)"
    assert calls == [(Trigger.IMPORT, run.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        field_data_imported.send(sender=object, source="warranty_claims", count=5)
    assert AnalysisRun.objects.count() == 1  # a queued import run serves the burst


def test_our_own_import_enqueues_a_run(django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    _fake_task(monkeypatch, calls)
    upload = f.csv_file([["零件号", "生产月份", "数量"], ["SA-2041", "2025-01", 800]])
    with django_capture_on_commit_callbacks(execute=True):
        run_import(user_with("quality"), "production-volumes", upload)
    run = AnalysisRun.objects.get()
    assert run.source == "production_volumes (1)" and calls == [(Trigger.IMPORT, run.pk)]


@pytest.mark.parametrize("hours, reaped", [(3, True), (1, False)])
def test_a_run_whose_worker_died_is_marked_failed_by_the_sweep(hours, reaped, settings):
    """Issue 9: a run left "running" by a killed worker does not stay running forever."""
    from django.test import Client

    from serviceloop.earlywarning.services.runs import STALE_REASON
    from serviceloop.earlywarning.tasks import sweep_overdue_task

    run = services.run_request(actor=None, trigger=Trigger.SCHEDULE, enqueue=False)
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now() - timedelta(hours=hours)
    )
    counts = sweep_overdue_task.call()
    run.refresh_from_db()
    if not reaped:
        assert counts["stale_runs"] == 0 and run.status == RunStatus.RUNNING
        return
    assert counts["stale_runs"] == 1 and run.status == RunStatus.FAILED
    assert run.finished_at is not None
    assert run.errors[-1]["message"] == STALE_REASON
    entry = AuditEntry.objects.filter(object_id=str(run.pk), reason__contains="worker").get()
    assert entry.after["status"] == RunStatus.FAILED
    assert sweep_overdue_task.call()["stale_runs"] == 0  # idempotent
    quality = user_with("quality")
    client = Client()
    client.force_login(quality)
    for lang, text in (("en", "The worker stopped"), ("zh-hans", "后台进程已停止")):
        settings.LANGUAGE_CODE = lang
        assert text in client.get(run.get_absolute_url()).content.decode(), lang
