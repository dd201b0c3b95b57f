"""Weibull and lognormal fits agree with R's survival::survreg to 1e-8 (R-5.4.3).

The R numbers are recorded in tests/reference/*.json by the committed R scripts; when
Rscript is on PATH the scripts are re-run and compared live as well.
"""

import csv
import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from serviceloop.earlywarning.stats.reliability import fit_lognormal, fit_weibull

REF = Path(__file__).parent / "reference"
RTOL = 1e-8


def load_shockabsorber():
    with (REF / "shockabsorber.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    times = [float(r["miles"]) for r in rows]
    events = [1 if r["event"] == "Failure" else 0 for r in rows]
    return times, events, None


def load_vehiclemotor():
    with (REF / "vehiclemotor.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert {r["event"] for r in rows} == {"0", "2"}
    times = [float(r["hours"]) for r in rows]
    events = [1 if r["event"] == "2" else 0 for r in rows]  # see reference/README.md
    counts = [float(r["count"]) for r in rows]
    return times, events, counts


DATASETS = {"shockabsorber": load_shockabsorber, "vehiclemotor": load_vehiclemotor}
FITTERS = {"weibull": fit_weibull, "lognormal": fit_lognormal}
CASES = [(d, f) for d in DATASETS for f in FITTERS]


def recorded(dataset):
    return json.loads((REF / f"survreg_{dataset}.json").read_text())


def assert_matches_r(dataset, dist, r):
    times, events, counts = DATASETS[dataset]()
    fit = FITTERS[dist](times, events, counts)
    ref = r[dist]
    for key in ("shape", "scale", "loglik"):
        assert getattr(fit, key) == pytest.approx(ref[key], rel=RTOL, abs=0), key
    assert fit.n == r["n"] and fit.failures == r["failures"]
    # covariance of (log shape, log scale) vs survreg's (intercept, log(scale))
    sign = -1.0 if dist == "weibull" else 1.0  # Weibull log shape = -log(survreg scale)
    cov = np.array(fit.cov_log)
    assert cov[0, 0] == pytest.approx(ref["var_logscale"], rel=1e-6)
    assert cov[1, 1] == pytest.approx(ref["var_intercept"], rel=1e-6)
    assert cov[0, 1] == pytest.approx(sign * ref["cov_intercept_logscale"], rel=1e-6)
    return fit


@pytest.mark.parametrize(("dataset", "dist"), CASES)
def test_fit_matches_recorded_survreg(dataset, dist):
    assert_matches_r(dataset, dist, recorded(dataset))


def test_recorded_numbers_are_the_published_shock_absorber_fit():
    # Meeker & Escobar (1998) report eta = 27,719 km and beta = 3.16 for these data.
    r = recorded("shockabsorber")["weibull"]
    assert round(r["scale"]) == 27719 and round(r["shape"], 2) == 3.16


def test_wald_intervals_contain_estimates_and_use_log_scale():
    times, events, _ = load_shockabsorber()
    fit = fit_weibull(times, events)
    r = recorded("shockabsorber")["weibull"]
    z = 1.959963984540054
    se = math.sqrt(r["var_intercept"])
    assert fit.scale_ci[0] == pytest.approx(math.exp(r["intercept"] - z * se), rel=1e-6)
    assert fit.scale_ci[1] == pytest.approx(math.exp(r["intercept"] + z * se), rel=1e-6)
    assert fit.shape_ci[0] < fit.shape < fit.shape_ci[1]


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript not installed")
@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_live_survreg_matches(dataset):
    out = subprocess.run(
        ["Rscript", str(REF / f"survreg_{dataset}.R")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    live = json.loads(out.stdout)
    for dist in FITTERS:
        assert_matches_r(dataset, dist, live)
        for key in ("shape", "scale", "loglik"):
            assert live[dist][key] == pytest.approx(recorded(dataset)[dist][key], rel=1e-12)
