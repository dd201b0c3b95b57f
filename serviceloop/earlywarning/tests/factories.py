"""Test helpers of the early warning: synthetic claims, findings, alerts raised through the
run service, reports taken along the workflow, and files for imports."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from serviceloop.core.testing.factories import CustomerFactory, user_with
from serviceloop.earlywarning import engine
from serviceloop.earlywarning.models import AnalysisRun, Trigger
from serviceloop.earlywarning.services import runs as run_services
from serviceloop.earlywarning.stats.claims_monitor import month_label, month_ordinal
from serviceloop.warranty.selectors import AnalysisRow, analysis_columns


def current_ordinal(today: date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year * 12 + today.month - 1


def claim_rows(
    *,
    part: str = "SA-2041",
    cohorts: int = 18,
    units: int = 1000,
    rate: float = 0.002,
    bad: dict[int, float] | None = None,
    today: date | None = None,
    seed: int = 7,
    modes: tuple[str, ...] = ("漏油", "异响", "断裂"),
) -> tuple[list[AnalysisRow], dict[str, int]]:
    """Poisson claims per build month x month in service (lag 1) and the production volumes;
    ``bad`` maps a build month's offset (months before the current one) to a rate factor."""
    rng = np.random.default_rng(seed)
    cur = current_ordinal(today)
    rows: list[AnalysisRow] = []
    volumes: dict[str, int] = {}
    for back in range(cohorts + 1, 1, -1):
        b = cur - back
        label = month_label(b)
        volumes[label] = units
        factor = (bad or {}).get(back, 1.0)
        for m in range(1, 13):
            fail = b + 1 + m - 1
            if fail >= cur:
                break
            for _ in range(rng.poisson(units * rate * factor)):
                fd = date(fail // 12, fail % 12 + 1, int(rng.integers(1, 28)))
                pd = fd - timedelta(days=int((m - 0.5) * 30.4))
                mode = str(rng.choice(modes))
                rows.append(AnalysisRow(part, label, fd, pd, float(m * 1500), mode, "covered"))
    return rows, volumes


def columns(rows: list[AnalysisRow]) -> dict[str, Any]:
    return analysis_columns(rows)


def patch_claims(monkeypatch: Any, rows: list[AnalysisRow]) -> None:
    """Make the engine read these claims instead of the warranty app's."""
    from serviceloop.earlywarning.engine import inputs

    monkeypatch.setattr(inputs, "load_claims", lambda: analysis_columns(rows))
    monkeypatch.setattr(
        inputs,
        "load_part_claims",
        lambda part: analysis_columns([r for r in rows if r.part_number == part]),
    )


# --------------------------------------------------------------------------- findings


def claims_finding(part: str = "SA-2041", cohort: str = "2025-03", severity: str = "high"):
    mis = list(range(1, 13))
    return engine.Finding(
        kind="warranty_claims",
        key=f"warranty_claims:{part}:{cohort}",
        severity=severity,
        part_number=part,
        cohort=cohort,
        evidence={
            "build_month": cohort,
            "mis": 5,
            "observed": 6,
            "expected": 1.9,
            "cumulative_observed": 14,
            "cumulative_expected": 5.2,
            "rate_ratio": 2.69,
            "cusum": 6.3,
            "threshold": 4.9,
            "reference_value": 2.7,
            "shift": 2.0,
            "false_alarm_probability": 0.0093,
            "p_value": 0.0004,
            "phi": 1.1,
            "overdispersed": False,
            "baseline": "other cohorts pooled (leave-one-out)",
            "signal": "warranty_claims",
            "requirement": "R-5.4.3(a)",
            "part_number": part,
            "part_name": "前减振器",
            "units_built": 1520,
            "age_months": 8,
            "latest": {
                "mis": 8,
                "cumulative_observed": 17,
                "cumulative_expected": 7.1,
                "cusum": 7.0,
            },
            "clock": {
                "lag": 1,
                "lag_claims": 120,
                "km_median": 1800.0,
                "km_sigma": 0.5,
                "km_claims": 110,
            },
            "claims_counted": 140,
            "claims_excluded": {"not_covered": 12},
            "dispersion": {
                "pearson_chi2": 120.0,
                "df": 110,
                "phi": 1.09,
                "p_value": 0.24,
                "overdispersed": False,
                "excluded_cohorts": [cohort],
            },
            "pareto": [
                {
                    "mode": "漏油",
                    "count": 60,
                    "share": 0.5,
                    "cumulative_share": 0.5,
                    "vital_few": True,
                },
                {
                    "mode": "异响",
                    "count": 36,
                    "share": 0.3,
                    "cumulative_share": 0.8,
                    "vital_few": True,
                },
                {
                    "mode": "断裂",
                    "count": 24,
                    "share": 0.2,
                    "cumulative_share": 1.0,
                    "vital_few": False,
                },
            ],
            "pooled_fit": None,
            "cohort_fit": None,
        },
        chart={
            "type": "cusum",
            "mis": mis,
            "cusum": [0.0, 0.5, 2.1, 4.0, 6.3, 6.8, 6.5, 7.0, None, None, None, None],
            "threshold": 4.9,
            "alarm_mis": 5,
            "claims": [1, 2, 3, 3, 5, 2, 1, 3, 0, 0, 0, 0],
            "expected": [0.9, 1.0, 1.0, 1.1, 1.2, 1.0, 1.0, 1.0, 0, 0, 0, 0],
            "units": [1520.0] * 8 + [0.0] * 4,
            "cum_rate": [0.66, 1.97, 3.95, 5.92, 9.21, 10.5, 11.2, 13.2, None, None, None, None],
            "cum_expected_rate": [0.6, 1.2, 1.9, 2.6, 3.4, 4.1, 4.7, 5.4, None, None, None, None],
        },
    )


def purchase_finding(customer_id: int, severity: str = "medium", change: float = -0.5):
    months = [month_label(month_ordinal("2024-07") + i) for i in range(18)]
    qty = [500.0] * 12 + [250.0] * 6
    return engine.Finding(
        kind="purchase_drop",
        key=f"purchase_drop:c{customer_id}",
        severity=severity,
        customer_id=customer_id,
        cohort=months[12],
        evidence={
            "customer": "C001",
            "change_month": months[12],
            "months_before": 12,
            "months_after": 6,
            "level_before": 500.0,
            "level_after": 250.0,
            "relative_change": change,
            "statistic": 9.1,
            "p_value": 0.001,
            "n_permutations": 999,
            "signal": "purchase_volume_drop",
            "requirement": "R-5.4.3(b)",
            "customer_code": "C001",
            "customer_name": "测试客户",
            "window": [months[0], months[-1]],
            "mean_before": 500.0,
            "mean_after": 250.0,
            "amount_before": 60000.0,
            "amount_after": 30000.0,
        },
        chart={
            "type": "volume",
            "months": months,
            "quantity": qty,
            "change_index": 12,
            "level_before": 500.0,
            "level_after": 250.0,
        },
    )


def survey_finding(customer_id: int | None, severity: str = "medium"):
    kind = "satisfaction_survey" if customer_id else "end_user_survey"
    periods = [month_label(month_ordinal("2024-01") + 3 * i) for i in range(8)]
    return engine.Finding(
        kind=kind,
        key=f"{kind}:c{customer_id}" if customer_id else f"{kind}:all",
        severity=severity,
        customer_id=customer_id,
        cohort=periods[6],
        evidence={
            "signal": "survey_score_drop",
            "survey": "customer_satisfaction",
            "customer_code": "C001",
            "customer_name": "测试客户",
            "period": periods[-1],
            "episode_start": periods[6],
            "mean_score": 68.0,
            "responses": 3,
            "ewma": 78.2,
            "lower_limit": 80.1,
            "target": 86.0,
            "sigma": 6.0,
            "lam": 0.2,
            "width": 2.962,
            "arl0_lower": 1008.0,
            "periods": 8,
        },
        chart={
            "type": "ewma",
            "periods": periods,
            "means": [86, 85, 87, 86, 84, 80, 72, 68],
            "sizes": [3] * 8,
            "ewma": [86, 85.8, 86.0, 86.0, 85.6, 84.5, 82.0, 78.2],
            "lower": [83.9, 83.3, 82.9, 82.6, 82.4, 82.3, 82.2, 80.1],
            "upper": [88.1, 88.7, 89.1, 89.4, 89.6, 89.7, 89.8, 91.9],
            "target": 86.0,
        },
    )


def outcome(*findings: engine.Finding) -> engine.Outcome:
    return engine.Outcome(findings=list(findings))


def new_run(trigger: str = Trigger.MANUAL) -> AnalysisRun:
    return AnalysisRun.objects.create(trigger=trigger, queued_at=timezone.now())


_cohorts = itertools.count()


def raise_alert(finding: engine.Finding | None = None):
    """An alert raised by a run (as the engine would), for workflow tests; without a
    finding, one of a build month no other call used."""
    from serviceloop.earlywarning.models import Alert

    finding = finding or claims_finding(
        cohort=month_label(month_ordinal("2020-01") + next(_cohorts))
    )
    run_services.apply_findings(new_run(), outcome(finding))
    return Alert.objects.filter(dedupe_key=finding.key).order_by("-occurrence").first()


def drafted_report(alert=None, quality=None):
    from serviceloop.earlywarning.services import report_draft

    alert = alert or raise_alert()
    return report_draft(actor=quality or user_with("quality"), alert=alert)


def issued_report(alert=None, quality=None):
    from serviceloop.earlywarning.services import report_issue

    quality = quality or user_with("quality")
    report = drafted_report(alert, quality)
    return report_issue(actor=quality, report=report)


def notified_report(alert=None, sales=None, customer=None):
    from serviceloop.earlywarning.services import notification_record

    report = issued_report(alert)
    sales = sales or user_with("sales")
    notification_record(
        actor=sales,
        report=report,
        customer=customer or CustomerFactory(),
        notified_on=timezone.localdate(),
        channel="visit",
        agreed_solution="对 2025-03 批次库存全检,已装车的在下次保养时更换。",
    )
    report.refresh_from_db()
    return report


# --------------------------------------------------------------------------- files


def xlsx_file(rows: list[list[Any]], name: str = "data.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def csv_file(rows: list[list[Any]], name: str = "data.csv", encoding: str = "utf-8-sig"):
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return SimpleUploadedFile(name, buf.getvalue().encode(encoding))
