"""Stored part analyses (issue 15): the part dashboard read 7.3 s per view at 200,000 claims
because it loaded every claim and refitted on each request. Now the analysis run stores each
part's analysis (`store_run_parts`, from the very `PartAnalysis` the run computed) and the
dashboard and the API read it back (`selectors.dashboard`); Quality may ask for one part to
be recomputed in the background (`recompute_request` -> `refresh_part`).

The stored data is derived from the run, like a run's counts: storing it writes no audit
entry of its own (the run is audited); Quality's request to recompute is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from serviceloop.core.audit import AuditAction, audit_record
from serviceloop.core.models import User
from serviceloop.core.permissions import require

from ..engine import ENGINE_VERSION, PartAnalysis, analyse_one_part
from ..engine.warranty import fit_dict, group_table, pareto_rows, weibull_chart
from ..models import AnalysisRun, PartDashboard

SYSTEM = "part_dashboard"


def part_view(pa: PartAnalysis) -> dict[str, Any]:
    """Everything the dashboard and the API show of one part, as JSON."""
    from ..selectors.dashboard import heat_rows

    table = pa.table
    disp = pa.dispersion
    return {
        "name": pa.name,
        "cohorts": list(pa.cohorts),
        "counted_claims": pa.counted_claims,
        "clock": pa.clock.as_dict(),
        "heat": heat_rows(pa),
        "claims": table.claims.tolist() if table is not None else [],
        "units_at_risk": [[round(u, 3) for u in r] for r in table.units.tolist()]
        if table is not None
        else [],
        "table_cohorts": list(table.cohorts) if table is not None else [],
        "excluded": dict(pa.excluded),
        "pareto": pareto_rows(pa.pareto, 50),
        "weibull": weibull_chart(pa),
        "pooled_fit": fit_dict(pa.pooled_fit),
        "group_fits": group_table(pa),
        "homogeneity": [
            {"statistic": float(h.statistic), "df": int(h.df), "p_value": float(h.p_value)}
            for h in pa.homogeneity
        ],
        "dispersion": None if disp is None else {"phi": float(disp.phi)},
        "problems": [[k, str(m)] for k, m in pa.problems + pa.insufficient],
    }


def _store(pa: PartAnalysis, run: AnalysisRun | None, now: Any) -> PartDashboard:
    found, _created = PartDashboard.objects.update_or_create(
        part_number=pa.part,
        defaults={
            "as_of": pa.as_of,
            "computed_at": now,
            "run": run,
            "engine_version": ENGINE_VERSION,
            "data": part_view(pa),
            "recompute_requested_at": None,
            "recompute_requested_by": None,
        },
    )
    return found


def store_run_parts(run: AnalysisRun, analyses: Iterable[PartAnalysis]) -> int:
    """Store the analysis of every part a run computed (in the caller's transaction)."""
    now = timezone.now()
    n = 0
    for pa in analyses:
        _store(pa, run, now)
        n += 1
    return n


def refresh_part(part_number: str, as_of: date | None = None) -> PartDashboard:
    """Compute one part's analysis now and store it (the recompute job; the first view of
    a part no run has stored yet)."""
    pa = analyse_one_part(part_number, as_of or timezone.localdate())
    with transaction.atomic():
        return _store(pa, None, timezone.now())


def recompute_request(*, actor: User, part_number: str) -> PartDashboard | None:
    """Quality asks for a part's analysis to be computed again, in the background."""
    require(actor, "ew.run")
    from ..tasks import refresh_part_dashboard_task

    with transaction.atomic():
        stored = PartDashboard.objects.select_for_update().filter(part_number=part_number).first()
        now = timezone.now()
        if stored is not None:
            stored.recompute_requested_at, stored.recompute_requested_by = now, actor
            stored.save(update_fields=["recompute_requested_at", "recompute_requested_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=stored,
            object_type="" if stored else "earlywarning.partdashboard",
            object_id="" if stored else part_number,
            object_repr=part_number,
            after={"recompute_requested_at": now.isoformat()},
            reason="recompute",
        )
        transaction.on_commit(lambda: refresh_part_dashboard_task.enqueue(part_number))
    return stored
