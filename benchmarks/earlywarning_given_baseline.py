"""What a part with a user-supplied baseline gets at 2,000-5,000 units per build month (issue 14).

    nice -n 10 .venv/bin/python benchmarks/earlywarning_given_baseline.py [--scale 1]

The shipped monitor (``stats.production`` with the shipped limits of
``stats.production_limits``) told the true in-control rate per MIS as its given baseline, as
when Quality enters an engineering target or the previous generation's rates (Early warning ›
Claim baselines). Same simulated field and measures as ``earlywarning_study.py`` (500
histories per cell): false alarms in control under the three conditions, then P3 / P12 / false
alarms before the change for the drift (+5 %/month), a 2x step and a 2x early-life mode.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import earlywarning_study as study  # noqa: E402

from serviceloop.earlywarning.stats.production import ProductionParams  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--histories", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    p = ProductionParams()

    def decide(y: np.ndarray, u: np.ndarray, t: int) -> np.ndarray:
        step, glr = study.stat_oracle(y, u, t)  # the true rates as the given baseline
        return (step >= p.h_step) | (glr >= p.h_glr)

    rng = np.random.default_rng(args.seed)
    for name, cond in study.CONDITIONS.items():
        y, u = study.simulate(
            rng, args.histories, phi=cond["phi"], seasonal=cond["seasonal"], scale=args.scale
        )
        first = study.replay(y, u, decide)
        print(f"in control ({name}): false alarms {(first <= study.T_END).mean():.1%}", flush=True)
    for scenario, effect in (("drift", 0.0), ("step", 2.0), ("early", 2.0)):
        y, u = study.simulate(rng, args.histories, scenario, effect, scale=args.scale)
        t0 = study.K + study.first_affected_mis(scenario)
        first = study.replay(y, u, decide, min(study.T_END, t0 + 23))
        p3 = ((first >= t0) & (first <= t0 + 2)).mean()
        p12 = ((first >= t0) & (first <= t0 + 11)).mean()
        label = "+5 %/month" if effect == 0 else f"{effect:g}x"
        fa = (first < t0).mean()
        print(f"{scenario} {label}: P3 {p3:.1%}, P12 {p12:.1%}, false alarms {fa:.1%}", flush=True)


if __name__ == "__main__":
    main()
