"""Time of one early-warning analysis run (every signal of R-5.4.3) at company scale.

    .venv/bin/python benchmarks/earlywarning_run.py [--quick]

Synthetic data, no database (the engine's pure part, engine.analyse, plus the input
fingerprint the schedule uses to skip unchanged data): 60 part numbers x 36 build months
x 5,000 units with claims at 0.2 % per unit-month (about 250,000 claim rows; two build
months, 10 and 14 months back, of three parts at 4x: six planted cohorts), 500 customers
x 24 months of purchases (five dropping), 300 customers x 8 quarterly satisfaction surveys
x 3 answers (three drifting) and 24 months x 200 end-user answers. Prints the time, the
findings per signal and whether every planted condition was found; writes
benchmarks/out/earlywarning_run.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from serviceloop.earlywarning import engine  # noqa: E402
from serviceloop.earlywarning.stats.claims_monitor import month_label, month_ordinal  # noqa: E402
from serviceloop.warranty.selectors import analysis_columns  # noqa: E402

TODAY = date(2026, 6, 15)
CUR = month_ordinal("2026-06")


def claims(parts: int, cohorts: int, units: int, rng: np.random.Generator):
    """Claim columns built directly as arrays (analysis_columns of AnalysisRow-like data)."""
    part_col, build_col, fail_col, buy_col = [], [], [], []
    production: dict[str, dict[str, int]] = {}
    planted = set()
    for p in range(parts):
        part = f"SA-{2000 + p}"
        production[part] = {}
        bad = {CUR - 10, CUR - 14} if p < 3 else set()
        for b in range(CUR - cohorts - 1, CUR - 1):
            label = month_label(b)
            production[part][label] = units
            factor = 4.0 if b in bad else 1.0
            if b in bad:
                planted.add((part, label))
            for m in range(1, 13):
                fail = b + m
                if fail >= CUR:
                    break
                k = rng.poisson(units * 0.002 * factor)
                if not k:
                    continue
                part_col += [part] * k
                build_col += [label] * k
                day = np.datetime64(f"{fail // 12:04d}-{fail % 12 + 1:02d}-10")
                fail_col += [day] * k
                buy_col += [day - np.timedelta64(int((m - 0.5) * 30.4), "D")] * k
    n = len(part_col)
    cols = {
        "part_number": np.array(part_col, dtype=object),
        "build_month": np.array(build_col, dtype=object),
        "failure_date": np.array(fail_col, dtype="datetime64[D]"),
        "purchase_date": np.array(buy_col, dtype="datetime64[D]"),
        "mileage_km": rng.uniform(500, 20000, n),
        "failure_mode": rng.choice(np.array(["漏油", "异响", "断裂", "磨损"], dtype=object), n),
        "decision": np.array(["covered"] * n, dtype=object),
        "sources": np.array(["warranty_claim"] * n, dtype=object),
    }
    assert set(cols) == set(analysis_columns([]))
    return cols, production, planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a tenth of the parts and customers")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    parts, customers = (6, 50) if args.quick else (60, 500)
    cols, production, planted = claims(parts, 36, 5000, rng)
    inputs = engine.Inputs(TODAY, cols, production, {}, {})
    dropping = set(range(1, 6))
    for c in range(1, customers + 1):
        inputs.customers[c] = (f"C{c:04d}", f"客户{c}")
        level = rng.uniform(100, 3000)
        series = {}
        for o in range(CUR - 24, CUR):
            factor = 0.45 if c in dropping and o >= CUR - 6 else 1.0
            series[month_label(o)] = (int(rng.poisson(level * factor)), None)
        inputs.purchases[c] = series
    drifting = {1, 2, 3}
    for c in range(1, min(customers, 300) + 1):
        for i, o in enumerate(range(CUR - 22, CUR, 3)):
            for _ in range(3):
                drop = 10 * (i - 4) if c in drifting and i >= 5 else 0
                inputs.survey_kind.append("customer_satisfaction")
                inputs.survey_customer.append(c)
                inputs.survey_date.append(date(o // 12, o % 12 + 1, 10))
                inputs.survey_score.append(float(np.clip(rng.normal(86 - drop, 5), 0, 100)))
    for o in range(CUR - 24, CUR):
        for _ in range(200):
            inputs.survey_kind.append("end_user")
            inputs.survey_customer.append(None)
            inputs.survey_date.append(date(o // 12, o % 12 + 1, 12) + timedelta(days=0))
            inputs.survey_score.append(float(np.clip(rng.normal(80, 10), 0, 100)))
    t0 = time.perf_counter()
    fp = engine.fingerprint(inputs)
    t1 = time.perf_counter()
    out = engine.analyse(inputs)
    t2 = time.perf_counter()
    found_claims = {(f.part_number, f.cohort) for f in out.findings if f.kind == "warranty_claims"}
    found_drop = {f.customer_id for f in out.findings if f.kind == "purchase_drop"}
    found_survey = {f.customer_id for f in out.findings if f.kind == "satisfaction_survey"}
    result = {
        "claims": int(len(cols["part_number"])),
        "parts": parts,
        "build_months": 36 * parts,
        "customers": customers,
        "survey_answers": len(inputs.survey_score),
        "fingerprint_seconds": round(t1 - t0, 3),
        "analyse_seconds": round(t2 - t1, 3),
        "findings": out.counts["findings_by_kind"],
        "errors": len(out.errors),
        "planted_claims_found": f"{len(planted & found_claims)}/{len(planted)}",
        "other_claims_alerts": len(found_claims - planted),
        "dropping_customers_found": f"{len(dropping & found_drop)}/{len(dropping)}",
        "other_drop_alerts": len(found_drop - dropping),
        "drifting_customers_found": f"{len(drifting & found_survey)}/{len(drifting)}",
        "other_survey_alerts": len(found_survey - drifting),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "fingerprint": fp[:12],
    }
    for k, v in result.items():
        print(f"{k:28s} {v}")
    out_dir = ROOT / "benchmarks" / "out"
    out_dir.mkdir(exist_ok=True)
    name = "earlywarning_run_quick.json" if args.quick else "earlywarning_run.json"
    (out_dir / name).write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
