"""``serviceloop analyze``: good files give JSON, bad files a one-line error (R-5.4.3)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from serviceloop.earlywarning.management.commands.analyze import Command
from serviceloop.earlywarning.stats.reliability import fit_weibull

REF = Path(__file__).parent / "reference"
ROOT = Path(__file__).resolve().parents[3]


def analyze(*args):
    out = StringIO()
    call_command(Command(), *args, stdout=out)
    return json.loads(out.getvalue())


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def vehiclemotor_csv(tmp_path):
    lines = (REF / "vehiclemotor.csv").read_text().splitlines()[1:]
    body = "\n".join(
        f"{h},{1 if e == '2' else 0},{c}" for h, e, c in (ln.split(",") for ln in lines)
    )
    return write(tmp_path, "time,event,count\n" + body + "\n")


def test_weibull_json_matches_the_survreg_fit(tmp_path):
    result = analyze("weibull", vehiclemotor_csv(tmp_path))
    assert set(result) == {"shape", "scale", "loglik", "n", "failures"}
    ref = json.loads((REF / "survreg_vehiclemotor.json").read_text())["weibull"]
    for key in ("shape", "scale", "loglik"):
        assert result[key] == pytest.approx(ref[key], rel=1e-8)
    assert (result["n"], result["failures"]) == (43, 13)


def test_counts_make_n_the_number_of_units(tmp_path):
    path = write(tmp_path, "time,event,count\n10,1,3\n20,0,5\n15,1,2\n")
    result = analyze("weibull", path)
    assert (result["n"], result["failures"]) == (10, 5)
    direct = fit_weibull([10, 20, 15], [1, 0, 1], [3, 5, 2])
    assert result["shape"] == pytest.approx(direct.shape, rel=1e-12)


def test_lognormal_and_confidence_intervals(tmp_path):
    result = analyze("lognormal", vehiclemotor_csv(tmp_path), "--ci")
    ref = json.loads((REF / "survreg_vehiclemotor.json").read_text())["lognormal"]
    assert result["shape"] == pytest.approx(ref["shape"], rel=1e-8)
    assert result["scale_ci"][0] < result["scale"] < result["scale_ci"][1]


def test_header_case_spaces_bom_and_extra_columns_are_tolerated(tmp_path):
    path = write(tmp_path, "\ufeff Time , EVENT ,note\n5,1,a\n7,0,b\n9,1,c\n\n")
    assert analyze("weibull", path)["n"] == 3


def claims_csv(tmp_path, defect=True):
    rows = ["build_month,mis,units,claims"]
    for b in range(1, 13):
        for m in range(1, 14 - b if b > 1 else 13):
            units = 5000
            claims = 5 if not (defect and b == 3 and m >= 4) else 20
            rows.append(f"2024-{b:02d},{m},{units},{claims}")
    return write(tmp_path, "\n".join(rows) + "\n", "claims.csv")


def test_claims_alerts_name_cohort_and_mis_with_evidence(tmp_path):
    result = analyze("claims", claims_csv(tmp_path))
    assert [(a["build_month"], a["mis"]) for a in result["alerts"]] == [("2024-03", 4)]
    alert = result["alerts"][0]
    for key in (
        "observed",
        "expected",
        "cusum",
        "threshold",
        "rate",
        "expected_rate",
        "reference_value",
        "false_alarm_probability",
        "p_value",
        "phi",
    ):
        assert key in alert
    assert alert["observed"] == 20 and alert["cusum"] >= alert["threshold"]
    assert "dispersion" in result
    assert analyze("claims", claims_csv(tmp_path, defect=False))["alerts"] == []


def test_integer_cohort_labels_come_back_as_integers(tmp_path):
    path = write(tmp_path, "build_month,mis,units,claims\n1,1,100,1\n2,1,100,40\n3,1,100,1\n")
    result = analyze("claims", path)
    assert result["alerts"] and result["alerts"][0]["build_month"] == 2


BAD_LIFE = [
    ("", None, None, "empty file"),
    ("time,event\n", None, None, "no data rows"),
    ("time,status\n1,1\n", 1, "event", "missing column 'event'"),
    ("time,event\n5,1\n-3,0\n", 3, "time", "must be positive"),
    ("time,event\n5,1\n0,0\n", 3, "time", "must be positive"),
    ("time,event\n5,1\n7,1\nabc,0\n", 4, "time", "'abc' is not a number"),
    ("time,event\n5,1\n7,\n", 3, "event", "empty cell"),
    ("time,event\n5,1\n7,x\n", 3, "event", "'x' is not a number"),
    ("time,event\n5,1\n7,2\n", 3, "event", "1 (failure) or 0 (censored)"),
    ("time,event\n5,0\n7,0\n", None, "event", "censored"),
    ("time,event,count\n5,1,1\n7,0,-4\n", 3, "count", ">= 0"),
    ("time,event\n5,1\n7\n", 3, "event", "empty cell"),
    ("time,event\n5,1\n\n7,0\n", 3, "time", "empty cell"),
    ("\ntime,event\n5,1\n", None, None, "blank row 1"),
]


@pytest.mark.parametrize(("text", "row", "column", "words"), BAD_LIFE)
def test_bad_life_files_name_row_and_column(tmp_path, text, row, column, words):
    path = write(tmp_path, text)
    with pytest.raises(CommandError) as info:
        analyze("weibull", path)
    message = str(info.value)
    assert path in message and words in message
    if row is not None:
        assert f"row {row}" in message
    if column is not None:
        assert f"'{column}'" in message


BAD_CLAIMS = [
    ("build_month,mis,units\n2024-01,1,5\n", 1, "claims", "missing column 'claims'"),
    ("build_month,mis,units,claims\n2024-01,13,5,1\n", 2, "mis", "past the 12-month"),
    ("build_month,mis,units,claims\n2024-01,1,-5,1\n", 2, "units", ">= 0"),
    ("build_month,mis,units,claims\n2024-01,1,5,one\n", 2, "claims", "not a number"),
    ("build_month,mis,units,claims\n2024-01,1,5,1\n2024-01,1,5,1\n", 3, "mis", "duplicate"),
    ("build_month,mis,units,claims\n,1,5,1\n", 2, "build_month", "empty"),
    ("build_month,mis,units,claims\n2024-01,1,0,3\n", 2, "claims", "no units at risk"),
]


@pytest.mark.parametrize(("text", "row", "column", "words"), BAD_CLAIMS)
def test_bad_claims_files_name_row_and_column(tmp_path, text, row, column, words):
    path = write(tmp_path, text)
    with pytest.raises(CommandError) as info:
        analyze("claims", path)
    message = str(info.value)
    assert words in message and f"row {row}" in message and f"'{column}'" in message


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        analyze("weibull", str(tmp_path / "nope.csv"))


HARNESS = """
import sys, django
from django.conf import settings
settings.configure(INSTALLED_APPS=["serviceloop.earlywarning"])
django.setup()
from django.core.management import execute_from_command_line
execute_from_command_line(["serviceloop", *sys.argv[1:]])
"""


def run_cli(*args):
    """The real command line in a fresh process: the installed ``serviceloop`` console
    script when present, else the same management entry point with minimal settings."""
    script = Path(sys.executable).with_name("serviceloop")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if script.exists():
        command = [str(script), "analyze", *args]
    else:
        env.pop("DJANGO_SETTINGS_MODULE", None)
        command = [sys.executable, "-c", HARNESS, "analyze", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_command_line_bad_input_exits_nonzero_without_traceback(tmp_path):
    """One real process (interpreter start-up is the slow part; call_command covers the
    rest): exit status 1, one line on stderr, nothing on stdout."""
    done = run_cli("weibull", write(tmp_path, "time,event\n5,1\n-3,0\n"))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("CommandError: ") and "row 3, column 'time'" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_claims_alert_names_its_onset_build_month(tmp_path):
    """A step from build month 2021-07 on: the production-time alert names it as onset;
    cohort alerts carry their own build month as onset."""
    rows = ["build_month,mis,units,claims"]
    rng = np.random.default_rng(3)
    for c in range(36):
        label = f"{2020 + c // 12}-{c % 12 + 1:02d}"
        for m in range(1, min(36 - c, 12) + 1):
            rate = 0.0015 * (2.5 if c >= 18 else 1.0)
            rows.append(f"{label},{m},4000,{rng.poisson(4000 * rate)}")
    path = write(tmp_path, "\n".join(rows) + "\n", "step.csv")
    result = analyze("claims", path)
    assert result["alerts"] and all("onset_build_month" in a for a in result["alerts"])
    changes = [a for a in result["alerts"] if a["detector"] in ("step", "drift")]
    assert [a["onset_build_month"] for a in changes] == ["2021-07"]
    assert changes[0]["affected_from"] == "2021-07" and changes[0]["affected_to"] == "2022-12"
    cohort = [a for a in result["alerts"] if a["detector"] == "cohort"]
    assert all(a["onset_build_month"] == a["build_month"] for a in cohort)
    only = analyze("claims", path, "--monitor", "production")
    assert {a["detector"] for a in only["alerts"]} <= {"step", "drift"}
