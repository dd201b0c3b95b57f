"""Simulation study of the warranty-claims early warning (R-5.4.3 (a)).

    .venv/bin/python benchmarks/earlywarning_simulation.py [--reps N]

Synthetic field: 36 consecutive build months of 2,000-5,000 units each, every cohort
followed over its 12 months in service (MIS); claim rate per unit at risk falls from 0.2 %
at MIS 1 to 0.08 % at MIS 12 (about 60 claims per cohort over the warranty). Cohort c is
built in month c, so its MIS m falls in calendar month c + m.

Scenarios: in control, and a defect in build month 18 that multiplies its claim rate by 3
(or 2, or 1.5) from MIS 4 on.

Methods:
* ``cusum-known``: our per-cohort Poisson CUSUM (``monitor_claims``) with the true baseline
  rates given (``baseline_rates``);
* ``cusum-estimated``: the same with the default leave-one-cohort-out baseline estimated
  from the data (all 36 cohorts complete, i.e. as seen at the end of the study);
* ``cusum-known-a0.3%``: as ``cusum-known`` with alpha = 0.3 % per cohort, which puts the
  probability of any false alarm among the 36 cohorts near the Shewhart chart's over the
  47 months, for a like-for-like comparison of detection;
* ``shewhart-total``: a naive Shewhart chart on the total claims of each calendar month,
  alarm when ``Y > mu + 3 sqrt(mu)`` with ``mu`` the true expected total (3-sigma Poisson
  limit, given the true baseline as well).

Measures: false-alarm rate per cohort over its 12 MIS (CUSUM) and per month (Shewhart); the
probability of at least one false alarm anywhere in the 47-month study; detection rate
within the defective cohort's warranty window (MIS 4..12) and detection delay in months,
``alarm month - onset month + 1`` (1 = flagged with the first month of defective data).
An alarm on the defective cohort before MIS 4 counts as a false alarm, not a detection.
Fixed seeds; prints a table and writes ``benchmarks/out/earlywarning_simulation.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serviceloop.earlywarning.stats.claims_monitor import ClaimsTable, monitor_claims  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
COHORTS, MONTHS = 36, 12
RATES = np.linspace(0.002, 0.0008, MONTHS)
DEFECT_COHORT, ONSET_MIS = 18, 4
LABELS = tuple(str(c) for c in range(COHORTS))
#: name -> (baseline known?, per-cohort false-alarm probability alpha)
CUSUM_METHODS = {
    "cusum-known": (True, 0.01),
    "cusum-estimated": (False, 0.01),
    "cusum-known-a0.3%": (True, 0.003),  # about the study-wide false-alarm risk of Shewhart
}


def simulate(rng: np.random.Generator, factor: float) -> tuple[ClaimsTable, np.ndarray]:
    units = rng.integers(2000, 5001, COHORTS).astype(float)
    exposure = np.repeat(units[:, None], MONTHS, axis=1)
    mean = exposure * RATES
    if factor != 1.0:
        mean[DEFECT_COHORT, ONSET_MIS - 1 :] *= factor
    return ClaimsTable(LABELS, rng.poisson(mean), exposure), exposure * RATES


def calendar_totals(values: np.ndarray) -> np.ndarray:
    """Sum (cohort, MIS) cells into calendar months c + m (index c + m - 1, m = 1..12)."""
    out = np.zeros(COHORTS + MONTHS - 1)
    c, m = np.indices(values.shape)
    np.add.at(out, (c + m).ravel(), values.ravel())
    return out


def shewhart(table: ClaimsTable, baseline: np.ndarray) -> np.ndarray:
    """Calendar months (index c + m - 1) whose total exceeds mu + 3 sqrt(mu)."""
    observed = calendar_totals(table.claims.astype(float))
    expected = calendar_totals(baseline)
    return np.flatnonzero(observed > expected + 3.0 * np.sqrt(expected))


def cusum_alarms(table: ClaimsTable, known: bool, alpha: float) -> dict[int, int]:
    result = monitor_claims(table, baseline_rates=RATES if known else None, alpha=alpha)
    return {int(a.build_month): a.mis for a in result.alerts}


def run(reps: int, factor: float, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    onset = DEFECT_COHORT + ONSET_MIS - 1  # calendar index of the first defective month
    last = DEFECT_COHORT + MONTHS - 1  # ... and of the last month under warranty
    stats: dict[str, dict[str, list[float]]] = {
        m: {"false_cohorts": [], "any_false": [], "detected": [], "delay": []}
        for m in (*CUSUM_METHODS, "shewhart-total")
    }
    shewhart_false_months: list[float] = []
    for _ in range(reps):
        table, baseline = simulate(rng, factor)
        for name, (known, alpha) in CUSUM_METHODS.items():
            alarms = cusum_alarms(table, known, alpha)
            hit = alarms.get(DEFECT_COHORT)
            detected = factor != 1.0 and hit is not None and hit >= ONSET_MIS
            false = [c for c in alarms if not (detected and c == DEFECT_COHORT)]
            if factor != 1.0:  # rate among the in-control cohorts only
                false_rate = len([c for c in false if c != DEFECT_COHORT]) / (COHORTS - 1)
            else:
                false_rate = len(false) / COHORTS
            stats[name]["false_cohorts"].append(false_rate)
            stats[name]["any_false"].append(float(bool(false)))
            stats[name]["detected"].append(float(detected))
            if detected and hit is not None:
                stats[name]["delay"].append(hit - ONSET_MIS + 1)
        months = shewhart(table, baseline)
        before = months[months < onset] if factor != 1.0 else months
        after = months[(months >= onset) & (months <= last)] if factor != 1.0 else months[:0]
        n_months = onset if factor != 1.0 else COHORTS + MONTHS - 1
        shewhart_false_months.append(before.size / n_months)
        s = stats["shewhart-total"]
        s["any_false"].append(float(before.size > 0))
        s["detected"].append(float(after.size > 0))
        if after.size:
            s["delay"].append(int(after[0]) - onset + 1)
    summary: dict[str, Any] = {"factor": factor, "reps": reps, "seed": seed, "methods": {}}
    for name, s in stats.items():
        delays = np.array(s["delay"], dtype=float)
        summary["methods"][name] = {
            "false_alarm_rate_per_cohort": float(np.mean(s["false_cohorts"]))
            if s["false_cohorts"]
            else None,
            "false_alarm_rate_per_month": float(np.mean(shewhart_false_months))
            if name == "shewhart-total"
            else None,
            "p_any_false_alarm": float(np.mean(s["any_false"])),
            "detection_rate": float(np.mean(s["detected"])) if factor != 1.0 else None,
            "mean_delay_months": float(delays.mean()) if delays.size else None,
            "median_delay_months": float(np.median(delays)) if delays.size else None,
            "delay_p90_months": float(np.quantile(delays, 0.9)) if delays.size else None,
        }
    return summary


def fmt(x: float | None, spec: str) -> str:
    return "-".rjust(int(spec.split(".")[0])) if x is None else format(x, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    start = time.perf_counter()
    scenarios = [
        run(args.reps, factor, args.seed + i) for i, factor in enumerate((1.0, 3.0, 2.0, 1.5))
    ]
    elapsed = time.perf_counter() - start
    print(
        f"\n{COHORTS} cohorts x {MONTHS} MIS, {args.reps} replications per scenario, "
        f"seed {args.seed}; defect in build month {DEFECT_COHORT} from MIS {ONSET_MIS}"
    )
    header = (
        f"{'scenario':10} {'method':17} {'FA/cohort':>9} {'FA/month':>9} {'P(any FA)':>9} "
        f"{'detected':>9} {'mean delay':>10} {'median':>7} {'p90':>5}"
    )
    print(header)
    print("-" * len(header))
    for sc in scenarios:
        label = "in control" if sc["factor"] == 1.0 else f"rate x{sc['factor']:g}"
        for name, m in sc["methods"].items():
            print(
                f"{label:10} {name:17} {fmt(m['false_alarm_rate_per_cohort'], '9.4f')} "
                f"{fmt(m['false_alarm_rate_per_month'], '9.4f')} "
                f"{fmt(m['p_any_false_alarm'], '9.3f')} {fmt(m['detection_rate'], '9.3f')} "
                f"{fmt(m['mean_delay_months'], '10.2f')} "
                f"{fmt(m['median_delay_months'], '7.1f')} {fmt(m['delay_p90_months'], '5.1f')}"
            )
    print(
        "\nFA/cohort: false-alarm rate per cohort over its 12 MIS (design: 1 %); FA/month: "
        "per calendar month;\nP(any FA): at least one false alarm in the study (47 months "
        "in control; before the onset otherwise).\nDelays in months, 1 = alarm with the "
        f"first month of defective data. ({elapsed:.0f} s)"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "earlywarning_simulation.json"
    path.write_text(json.dumps({"scenarios": scenarios, "seconds": elapsed}, indent=2))
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
