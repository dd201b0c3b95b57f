"""Analysis runs (R-5.4.3): queue, execute, and turn the findings into alerts.

A run reads all inputs, runs every signal (engine.analyse) and upserts alerts under a lock
on the engine state: a finding refreshes the alert with the same dedupe key (its evidence,
severity, cohort), or raises a new one (numbered, Quality notified); a signalling alert
whose scope was evaluated and that no finding matches any more is marked "no longer
signalling". Nothing is ever deleted. Runs are triggered by the schedule (daily, skipped
when no input changed), by imports (core.signals.field_data_imported) and by Quality's
"Run now".
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from serviceloop.core.audit import audit_create, snapshot
from serviceloop.core.jobs import fail_stale
from serviceloop.core.models import User
from serviceloop.core.models.audit import AuditAction
from serviceloop.core.notifications import (
    VERBATIM,
    Later,
    Message,
    choice_label,
    notify,
    users_with_roles,
)
from serviceloop.core.numbering import next_number
from serviceloop.core.permissions import require
from serviceloop.core.roles import RoleCode
from serviceloop.core.services import save_audited
from serviceloop.core.statemachine import locked, transition

from .. import engine
from ..domain import clocks
from ..models import (
    RUN_TRANSITIONS,
    Alert,
    AnalysisRun,
    EngineState,
    RunStatus,
    Severity,
    Trigger,
)
from ..models.alerts import OPEN_STATUSES, SEVERITY_ORDER
from .dashboards import store_run_parts

log = logging.getLogger(__name__)
SCHEDULE_EVERY = timedelta(hours=24)
HEADLINE = "serviceloop.earlywarning.documents.narrative.headline_of"
STATISTICS = "serviceloop.earlywarning.documents.narrative.statistics_of"
SYSTEM = "analysis_run"
# A run still "running" this long after its start lost its worker (killed, machine restarted):
# a full analysis takes seconds to minutes, so the reaper marks it failed (issue 9).
STALE_AFTER = timedelta(hours=2)
STALE_REASON = gettext_noop(
    "The worker stopped during this run (still running 2 hours after its start); "
    "the alerts were left as they were. Start a new run."
)


def _enqueue(run: AnalysisRun) -> None:
    from ..tasks import run_analysis_task

    pk, trigger = run.pk, run.trigger
    transaction.on_commit(lambda: run_analysis_task.enqueue(trigger, pk))


@transaction.atomic
def run_request(
    *, actor: User | None, trigger: str = Trigger.MANUAL, source: str = "", enqueue: bool = True
) -> AnalysisRun:
    """Queue a run for the job worker ("Run now": Quality only); ``enqueue=False`` when the
    caller executes it itself."""
    if actor is not None:
        require(actor, "ew.run")
    run = AnalysisRun.objects.create(
        trigger=trigger, source=source[:100], requested_by=actor, queued_at=timezone.now()
    )
    audit_create(actor=actor, obj=run, system=SYSTEM)
    if enqueue:
        _enqueue(run)
    return run


def on_data_imported(source: str, count: int) -> AnalysisRun | None:
    """Queue a run after an import; one queued import run serves a burst of imports."""
    with transaction.atomic():
        EngineState.objects.select_for_update().get_or_create(pk=1)
        if AnalysisRun.objects.filter(status=RunStatus.QUEUED, trigger=Trigger.IMPORT).exists():
            return None
        return run_request(actor=None, trigger=Trigger.IMPORT, source=f"{source} ({count})")


def scheduled_check(now: datetime | None = None) -> dict[str, Any]:
    """The periodic entry point: at most one look a day, and a run only when the inputs
    differ from those of the last successful run (their fingerprint)."""
    now = now or timezone.now()
    with transaction.atomic():
        state, _created = EngineState.objects.select_for_update().get_or_create(pk=1)
        if state.last_checked_at and now - state.last_checked_at < SCHEDULE_EVERY:
            return {"skipped": "checked recently"}
        state.last_checked_at = now
        state.save(update_fields=["last_checked_at"])
    inputs = engine.load_inputs(timezone.localdate(now))
    last = AnalysisRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at").first()
    if last is not None and last.fingerprint == engine.fingerprint(inputs):
        return {"skipped": "no data changed"}
    with transaction.atomic():
        run = AnalysisRun.objects.create(trigger=Trigger.SCHEDULE, queued_at=now)
        audit_create(actor=None, obj=run, system=SYSTEM)
    return execute_run(run.pk, inputs=inputs)


def _move(run: AnalysisRun, to: str, reason: str = "") -> None:
    before = snapshot(run)
    transition(run, to, actor=None, table=RUN_TRANSITIONS, save=False)
    if to == RunStatus.RUNNING:
        run.started_at = timezone.now()
    else:
        run.finished_at = timezone.now()
    save_audited(
        run, actor=None, before=before, action=AuditAction.TRANSITION, system=SYSTEM, reason=reason
    )


def execute_run(
    run_id: int, *, inputs: engine.Inputs | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """Run every signal and update the alerts; a run not queued any more is left alone."""
    with transaction.atomic():
        run = AnalysisRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            return {"run": run_id, "skipped": "not queued"}
        _move(run, RunStatus.RUNNING)
    try:
        if inputs is None:
            inputs = engine.load_inputs(as_of or timezone.localdate())
        fingerprint = engine.fingerprint(inputs)
        outcome = engine.analyse(inputs)
        with transaction.atomic():
            counts = apply_findings(run, outcome)
            counts["parts_stored"] = store_run_parts(run, outcome.part_analyses)
            run = locked(run)
            run.as_of, run.fingerprint = inputs.as_of, fingerprint
            run.counts = {**engine.clean(outcome.counts), **counts}
            run.errors, run.warnings = outcome.errors, outcome.warnings
            _move(run, RunStatus.SUCCEEDED)
    except Exception as exc:
        log.exception("analysis run %s failed", run_id)
        with transaction.atomic():
            run = AnalysisRun.objects.select_for_update().get(pk=run_id)
            run.errors = [{"signal": "run", "scope": "", "message": repr(exc)[:2000]}]
            _move(run, RunStatus.FAILED)
        return {"run": run_id, "status": run.status, "error": repr(exc)}
    return {"run": run.pk, "status": run.status, **counts}


def reap_stale_runs(now: datetime | None = None) -> int:
    """Mark failed the runs still "running" STALE_AFTER after their start: their worker died
    (the periodic sweep calls this). Audited; the reason is shown translated on the run."""

    def fail(run: AnalysisRun) -> None:
        run.errors = [*run.errors, {"signal": "run", "scope": "", "message": STALE_REASON}]
        _move(run, RunStatus.FAILED, reason="worker stopped (stale run reaped)")
        log.warning("analysis run %s: worker stopped, marked failed", run.pk)

    return fail_stale(AnalysisRun, running=RunStatus.RUNNING, after=STALE_AFTER, fail=fail, now=now)


# --------------------------------------------------------------------------- alerts


def _quality() -> list[User]:
    return list(users_with_roles(RoleCode.QUALITY))


def _raise(run: AnalysisRun, finding: engine.Finding, occurrence: int, now: datetime) -> Alert:
    alert = Alert(
        number=next_number("EW", now),
        kind=finding.kind,
        dedupe_key=finding.key,
        occurrence=occurrence,
        severity=finding.severity,
        part_number=finding.part_number,
        customer_id=finding.customer_id,
        cohort=finding.cohort[:100],
        evidence=finding.evidence,
        chart=finding.chart,
        signalling=True,
        first_run=run,
        last_run=run,
        last_signalled_at=now,
        report_due_at=clocks.report_due(now, finding.severity),
        created_at=now,
    )
    alert.save()
    audit_create(actor=None, obj=alert, system=SYSTEM, reason=f"run #{run.pk}")
    notify(
        _quality(),
        kind="ew_alert",
        title=Message(
            gettext_noop("Early warning %(number)s (%(severity)s): %(headline)s"),
            number=alert.number,
            severity=choice_label(alert, "severity"),
            headline=Later(HEADLINE, alert.pk),
        ),
        body=Message(VERBATIM, text=Later(STATISTICS, alert.pk)),
        url=alert.get_absolute_url(),
        dedupe_key=f"ew:new:{alert.pk}",
    )
    return alert


def _refresh(run: AnalysisRun, alert: Alert, finding: engine.Finding, now: datetime) -> str:
    """Update an alert from a finding; returns "updated", "resumed" or "unchanged"."""
    resumed = not alert.signalling
    changed = (
        alert.evidence != finding.evidence
        or alert.chart != finding.chart
        or alert.severity != finding.severity
        or alert.cohort != finding.cohort[:100]
    )
    if not (changed or resumed):
        Alert.objects.filter(pk=alert.pk).update(last_run=run, last_signalled_at=now)
        return "unchanged"
    before = snapshot(alert)
    escalated = (
        SEVERITY_ORDER[Severity(finding.severity)] > SEVERITY_ORDER[Severity(alert.severity)]
    )
    alert.evidence, alert.chart, alert.cohort = (
        finding.evidence,
        finding.chart,
        finding.cohort[:100],
    )
    alert.severity = finding.severity
    alert.signalling, alert.cleared_at = True, None
    alert.last_run, alert.last_signalled_at = run, now
    if escalated and alert.status in OPEN_STATUSES:
        alert.report_due_at = min(
            alert.report_due_at, clocks.report_due(alert.created_at, alert.severity)
        )
        notify(
            _quality(),
            kind="ew_alert",
            title=Message(
                gettext_noop("Early warning %(number)s is now %(severity)s: %(headline)s"),
                number=alert.number,
                severity=choice_label(alert, "severity"),
                headline=Later(HEADLINE, alert.pk),
            ),
            url=alert.get_absolute_url(),
            dedupe_key=f"ew:escalated:{alert.pk}:{alert.severity}",
        )
    save_audited(alert, actor=None, before=before, system=SYSTEM, reason=f"run #{run.pk}")
    return "resumed" if resumed else "updated"


def apply_findings(run: AnalysisRun, outcome: engine.Outcome) -> dict[str, int]:
    """Upsert the alerts of a run's findings (see the module docstring). Idempotent: the
    same findings a second time change nothing but the run bookkeeping."""
    now = timezone.now()
    counts = {"new": 0, "updated": 0, "resumed": 0, "unchanged": 0, "cleared": 0}
    with transaction.atomic():
        EngineState.objects.select_for_update().get_or_create(pk=1)
        keys = [f.key for f in outcome.findings]
        latest: dict[str, Alert] = {}
        for alert in Alert.objects.filter(dedupe_key__in=keys).order_by("occurrence"):
            latest[alert.dedupe_key] = alert
        for finding in outcome.findings:
            found = latest.get(finding.key)
            if found is None or (found.is_final and not found.signalling):
                occurrence = found.occurrence + 1 if found else 1
                latest[finding.key] = _raise(run, finding, occurrence, now)
                counts["new"] += 1
            else:
                counts[_refresh(run, found, finding, now)] += 1
        stale = Alert.objects.filter(signalling=True).exclude(dedupe_key__in=keys)
        for alert in stale.select_for_update():
            scope = engine.scope_of(alert.kind, alert.part_number, alert.customer_id)
            if alert.kind in outcome.failed_kinds or scope in outcome.failed_scopes:
                continue
            before = snapshot(alert)
            alert.signalling, alert.cleared_at, alert.last_run = False, now, run
            save_audited(alert, actor=None, before=before, system=SYSTEM, reason=f"run #{run.pk}")
            counts["cleared"] += 1
    return counts
