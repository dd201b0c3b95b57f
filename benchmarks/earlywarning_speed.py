"""Speed of the early-warning statistics against peer implementations (R-5.4.3).

    .venv/bin/python benchmarks/earlywarning_speed.py [--quick]

(a) Censored Weibull maximum likelihood on 1,000,000 units: ours vs ``lifelines``'
    WeibullFitter and ``reliability``'s Fit_Weibull_2P (benchmark-only dependencies:
    ``.venv/bin/pip install lifelines reliability``). Same data, same estimates (max relative
    difference reported), time = best of 3 with time.perf_counter in this one process.
(b) Aggregation plus monitoring of 10,000,000 warranty-claim rows (build month and months in
    service per claim, plus a units table): ours (np.bincount + vectorised CUSUM) vs plain
    pandas (groupby/size/unstack, pandas arithmetic for the baseline and a Python-loop
    CUSUM). The pandas version is handed our per-cohort k and h for free (calibration is not
    in its timing), and must raise the same alerts.

Prints a table and writes ``benchmarks/out/earlywarning_speed.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from serviceloop.earlywarning.stats.claims_monitor import (  # noqa: E402
    ClaimsTable,
    aggregate_claims,
    monitor_claims,
    units_at_risk,
)
from serviceloop.earlywarning.stats.reliability import fit_weibull  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
PEER_BUDGET_S = 120.0  # one peer run longer than this at a size: stop growing the size


def best_of(fn: Callable[[], Any], repeats: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


# --------------------------------------------------------------------------- (a) Weibull


def weibull_data(n: int, seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    life = 1000.0 * rng.weibull(1.7, n)
    stop = rng.uniform(0.0, 1500.0, n)
    return np.minimum(life, stop), life <= stop


def ours(t: np.ndarray, e: np.ndarray) -> dict[str, float]:
    fit = fit_weibull(t, e)
    return {"shape": fit.shape, "scale": fit.scale, "loglik": fit.loglik}


def lifelines_fit(t: np.ndarray, e: np.ndarray) -> dict[str, float]:
    from lifelines import WeibullFitter

    fit = WeibullFitter().fit(t, e)
    return {"shape": fit.rho_, "scale": fit.lambda_, "loglik": fit.log_likelihood_}


def reliability_fit(t: np.ndarray, e: np.ndarray) -> dict[str, float]:
    from reliability.Fitters import Fit_Weibull_2P

    fit = Fit_Weibull_2P(
        failures=t[e], right_censored=t[~e], show_probability_plot=False, print_results=False
    )
    return {"shape": fit.beta, "scale": fit.alpha, "loglik": fit.loglik}


def bench_weibull(n: int) -> dict[str, Any]:
    t, e = weibull_data(n)
    ours_time, ours_est = best_of(lambda: ours(t, e))
    rows: list[dict[str, Any]] = [
        {
            "implementation": "serviceloop fit_weibull",
            "n": n,
            "seconds": ours_time,
            "estimates": ours_est,
            "max_rel_diff": 0.0,
            "ratio": 1.0,
        }
    ]
    peers = (
        ("lifelines WeibullFitter", "lifelines", lifelines_fit),
        ("reliability Fit_Weibull_2P", "reliability", reliability_fit),
    )
    for name, module, fn in peers:
        if importlib.util.find_spec(module) is None:
            rows.append({"implementation": name, "skipped": "not installed"})
            continue
        size, note = n, ""
        t_p, e_p = t, e
        start = time.perf_counter()
        fn(t_p[:10_000], e_p[:10_000])  # warm-up (imports, autograd tracing)
        probe = time.perf_counter() - start
        if probe * n / 10_000 > PEER_BUDGET_S:  # would not finish: largest size it can do
            size = int(10_000 * PEER_BUDGET_S / max(probe, 1e-9) / 3)
            note = f"projected over {PEER_BUDGET_S:.0f} s at n={n}; ran n={size}"
            t_p, e_p = weibull_data(size)
        peer_time, peer_est = best_of(lambda fn=fn, t_p=t_p, e_p=e_p: fn(t_p, e_p))
        ref_time, ref_est = (
            (ours_time, ours_est) if size == n else best_of(lambda t_p=t_p, e_p=e_p: ours(t_p, e_p))
        )
        diff = max(abs(peer_est[k] - ref_est[k]) / abs(ref_est[k]) for k in ref_est)
        rows.append(
            {
                "implementation": name,
                "n": size,
                "seconds": peer_time,
                "estimates": peer_est,
                "max_rel_diff": diff,
                "ratio": peer_time / ref_time,
                "note": note,
            }
        )
    return {"n": n, "rows": rows}


# --------------------------------------------------------------------------- (b) claims


def claims_data(n_claims: int, seed: int = 7) -> dict[str, Any]:
    """60 build months of ~2 million units each, 12 MIS, one cohort with a defect
    (claim rate x 2.5 from MIS 4); claim rows shuffled as they arrive from the field."""
    rng = np.random.default_rng(seed)
    n_cohorts, months = 60, 12
    first = 2020 * 12
    cohorts = np.arange(first, first + n_cohorts)
    units = rng.integers(1_500_000, 2_500_000, n_cohorts).astype(float)
    ages = np.minimum(np.arange(n_cohorts)[::-1] + 1, months)  # as of the last build month
    exposure = units_at_risk(units, ages)
    shape = np.linspace(1.6, 0.7, months)
    mean = exposure * shape
    mean[40, 3:] *= 2.5
    mean *= n_claims / mean.sum()
    counts = rng.multinomial(n_claims, (mean / mean.sum()).ravel()).reshape(mean.shape)
    cell = np.repeat(np.arange(counts.size), counts.ravel())
    rng.shuffle(cell)
    build = cohorts[cell // months].astype(np.int32)
    mis = (cell % months + 1).astype(np.int8)
    return {"build": build, "mis": mis, "cohorts": cohorts, "units": units, "ages": ages}


def ours_claims(d: dict[str, Any]) -> list[tuple[int, int]]:
    counts = aggregate_claims(d["build"], d["mis"], d["cohorts"])
    table = ClaimsTable(
        tuple(str(c) for c in d["cohorts"]), counts, units_at_risk(d["units"], d["ages"])
    )
    result = monitor_claims(table)
    return [(int(a.build_month), a.mis) for a in result.alerts]


def pandas_claims(d: dict[str, Any], h: np.ndarray, phi: float, shift: float = 2.0) -> list:
    """Plain pandas: groupby/size/unstack, pandas arithmetic for the leave-one-out baseline
    and the reference values, and a Python-loop CUSUM with the given decision intervals."""
    import pandas as pd

    claims = pd.DataFrame({"build_month": d["build"], "mis": d["mis"]})
    counts = (
        claims.groupby(["build_month", "mis"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=d["cohorts"], columns=range(1, 13), fill_value=0)
    )
    units = pd.DataFrame(
        units_at_risk(d["units"], d["ages"]), index=d["cohorts"], columns=range(1, 13)
    )
    rate = (counts.sum() - counts).clip(lower=0.5) / (units.sum() - units)
    k = units * rate * ((shift - 1.0) / math.log(shift)) / phi
    alerts = []
    for i, cohort in enumerate(counts.index):
        s = 0.0
        for j, m in enumerate(counts.columns):
            if units.iat[i, j] <= 0:
                continue
            s = max(0.0, s + counts.iat[i, j] / phi - k.iat[i, j])
            if s >= h[i]:
                alerts.append((int(cohort), int(m)))
                break
    return alerts


def small_count_table(seed: int = 3) -> ClaimsTable:
    """36 build months of 2,000-5,000 units, about 1-7 claims per cell: the calibration of
    h is a real Markov-chain search here (with millions of units it is closed-form)."""
    rng = np.random.default_rng(seed)
    units = rng.integers(2000, 5000, 36).astype(float)
    exposure = units_at_risk(units, np.minimum(np.arange(36)[::-1] + 1, 12))
    claims = rng.poisson(exposure * np.linspace(0.002, 0.0008, 12))
    return ClaimsTable(tuple(str(i) for i in range(36)), claims, exposure)


def bench_claims(n_claims: int) -> dict[str, Any]:
    import pandas as pd

    d = claims_data(n_claims)
    ours_time, ours_alerts = best_of(lambda: ours_claims(d))
    agg_time, counts = best_of(lambda: aggregate_claims(d["build"], d["mis"], d["cohorts"]))
    table = ClaimsTable(
        tuple(str(c) for c in d["cohorts"]), counts, units_at_risk(d["units"], d["ages"])
    )
    monitor_time, design = best_of(lambda: monitor_claims(table))
    # what the pandas version is handed for free: h per cohort and the dispersion factor
    disp = design.dispersion
    phi = disp.phi if disp.overdispersed else 1.0
    pandas_time, pandas_alerts = best_of(lambda: pandas_claims(d, design.thresholds, phi))
    frame = pd.DataFrame({"build_month": d["build"], "mis": d["mis"]})
    groupby_time, _ = best_of(lambda: frame.groupby(["build_month", "mis"]).size())
    small = small_count_table()
    small_time, small_result = best_of(lambda: monitor_claims(small))
    return {
        "claim_rows": int(d["build"].size),
        "cohorts": int(d["cohorts"].size),
        "rows": [
            {
                "implementation": "serviceloop aggregate_claims + monitor_claims",
                "seconds": ours_time,
                "ratio": 1.0,
                "alerts": ours_alerts,
            },
            {
                "implementation": "pandas groupby + Python-loop CUSUM (h given)",
                "seconds": pandas_time,
                "ratio": pandas_time / ours_time,
                "alerts": pandas_alerts,
            },
        ],
        "parts": {
            "serviceloop aggregate_claims only": agg_time,
            "serviceloop monitor_claims only": monitor_time,
            "pandas groupby(...).size() only (data frame prebuilt)": groupby_time,
            "aggregation ratio (pandas groupby / aggregate_claims)": groupby_time / agg_time,
            "monitor_claims, small counts (36 cohorts, h by Markov-chain search)": small_time,
        },
        "small_count_alerts": len(small_result.alerts),
        "same_alerts": pandas_alerts == ours_alerts,
        "phi": disp.phi,
        "overdispersed": disp.overdispersed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller sizes")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    warnings.filterwarnings("ignore")
    weibull = bench_weibull(1_000_000 // scale)
    claims = bench_claims(10_000_000 // scale)

    print(f"\n(a) censored Weibull MLE, n = {weibull['n']:,} units (best of 3)")
    print(f"{'implementation':32} {'n':>10} {'seconds':>9} {'x ours':>8} {'max rel diff':>13}")
    for row in weibull["rows"]:
        if "skipped" in row:
            print(f"{row['implementation']:32} skipped: {row['skipped']}")
            continue
        print(
            f"{row['implementation']:32} {row['n']:>10,} {row['seconds']:>9.3f} "
            f"{row['ratio']:>8.1f} {row['max_rel_diff']:>13.2e}  {row.get('note', '')}"
        )
    print(
        f"\n(b) claims: {claims['claim_rows']:,} rows, {claims['cohorts']} cohorts x 12 MIS "
        "(best of 3)"
    )
    for row in claims["rows"]:
        print(
            f"{row['implementation']:50} {row['seconds']:>9.3f} s {row['ratio']:>6.1f}x  "
            f"alerts {row['alerts']}"
        )
    print(
        f"same alerts: {claims['same_alerts']}  (phi = {claims['phi']:.3f}, "
        f"over-dispersed: {claims['overdispersed']})"
    )
    for name, value in claims["parts"].items():
        unit = "x" if "ratio" in name else "s"
        print(f"  {name:72} {value:8.3f} {unit}")

    OUT.mkdir(parents=True, exist_ok=True)
    report = {
        "weibull": weibull,
        "claims": claims,
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "numpy": np.__version__,
        },
        "quick": args.quick,
    }
    path = OUT / "earlywarning_speed.json"
    path.write_text(json.dumps(report, indent=2, default=_json_default))
    print(f"\nwrote {path.relative_to(ROOT)}")


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(type(value))


if __name__ == "__main__":
    main()
