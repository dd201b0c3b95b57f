"""``serviceloop analyze``: the early-warning statistics on a CSV file (R-5.4.3).

    serviceloop analyze weibull FILE.csv     # columns time, event (1 failure, 0 censored), [count]
    serviceloop analyze lognormal FILE.csv   # same columns
    serviceloop analyze claims FILE.csv      # columns build_month, mis, units, claims

``weibull``/``lognormal`` print ``{"shape", "scale", "loglik", "n", "failures"}`` (``n`` is the
number of units, the sum of ``count``; ``--ci`` adds Wald intervals). ``claims`` prints
``{"alerts": [...], "dispersion": {...}}``: first one alert per cohort whose CUSUM over MIS
fired (``detector: "cohort"``, at the month in service ``mis`` where it fired, judged
against the other cohorts pooled), then one per change along production time
(``detector: "step"`` or ``"drift"``, stats.production: each build month judged only against
earlier ones). Every alert names ``onset_build_month``, the estimated first affected build
month (the cohort itself for a cohort alert) and the affected range. ``--monitor`` picks one
of the two.

Rows are numbered as a spreadsheet shows them: the header is row 1. Bad input ends with
``CommandError: FILE: row R, column 'C': ...`` on stderr and exit status 1, no traceback.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from serviceloop.earlywarning.stats.claims_monitor import ClaimsTable, monitor_claims
from serviceloop.earlywarning.stats.production import monitor_production
from serviceloop.earlywarning.stats.reliability import (
    fit_lognormal_data,
    fit_weibull_data,
    validate_life_data,
)

FIRST_DATA_ROW = 2  # the header is row 1

LIFE_COLUMNS = ("time", "event")
CLAIMS_COLUMNS = ("build_month", "mis", "units", "claims")


def read_columns(
    path: str, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, list[str]]:
    """Read the named columns of a CSV file as strings (header matched case-insensitively).

    Blank lines at the end of the file are ignored; blank lines inside it are rows with
    empty cells (and so are reported by row number).
    """
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header_row = next(reader, None)
            if header_row is None or not any(c.strip() for c in header_row):
                raise CommandError(
                    f"{path}: empty file or blank row 1 (expected a header row with "
                    f"{', '.join(required)})"
                )
            header = [cell.strip().lower() for cell in header_row]
            missing = [name for name in required if name not in header]
            if missing:
                names = ", ".join(f"'{name}'" for name in missing)
                raise CommandError(
                    f"{path}: row 1 (header), missing column {names}; found: {', '.join(header)}"
                )
            rows = list(reader)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not a UTF-8 text file") from None
    except csv.Error as exc:
        raise CommandError(f"{path}: not a readable CSV file ({exc})") from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise CommandError(f"{path}: no data rows after the header (row 1)")
    out = {}
    for name in [*required, *(o for o in optional if o in header)]:
        j = header.index(name)
        out[name] = [row[j] if j < len(row) else "" for row in rows]
    return out


def _number(x: float) -> float | int | None:
    """JSON-friendly: whole numbers as int, non-finite as null."""
    if not math.isfinite(x):
        return None
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _cohort(label: str) -> str | int:
    return int(label) if label.lstrip("-").isdigit() else label


class Command(BaseCommand):
    help = "Early-warning statistics (R-5.4.3) on a CSV file: weibull, lognormal, claims."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="analysis", required=True, metavar="ANALYSIS")
        for name, what in (
            ("weibull", "2-parameter Weibull"),
            ("lognormal", "lognormal"),
        ):
            life = sub.add_parser(
                name,
                help=f"{what} maximum-likelihood fit of right-censored life data",
                description="CSV columns: time, event (1 failure, 0 censored), optional count.",
            )
            life.add_argument("file")
            life.add_argument("--ci", action="store_true", help="add Wald confidence intervals")
            life.add_argument("--confidence", type=float, default=0.95)
        claims = sub.add_parser(
            "claims",
            help="per-cohort Poisson CUSUM of warranty claims per unit over months in service",
            description="CSV columns: build_month, mis (1-12), units (at risk), claims.",
        )
        claims.add_argument("file")
        claims.add_argument("--shift", type=float, default=2.0, help="claim-rate ratio to detect")
        claims.add_argument(
            "--alpha", type=float, default=0.01, help="false-alarm probability per cohort"
        )
        claims.add_argument(
            "--monitor",
            choices=("both", "cohort", "production"),
            default="both",
            help="cohort: CUSUM per cohort over MIS; production: changes along build months",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            if options["analysis"] == "claims":
                result = self._claims(path, options)
            else:
                result = self._life(path, options)
        except ValueError as exc:  # DataError names the row and column
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(json.dumps(result, allow_nan=False))

    def _life(self, path: str, options: dict[str, Any]) -> dict[str, Any]:
        cols = read_columns(path, LIFE_COLUMNS, ("count",))
        data = validate_life_data(
            cols["time"], cols["event"], cols.get("count"), row_offset=FIRST_DATA_ROW
        )
        fitter = fit_weibull_data if options["analysis"] == "weibull" else fit_lognormal_data
        fit = fitter(data, confidence=options["confidence"])
        out: dict[str, Any] = {
            "shape": fit.shape,
            "scale": fit.scale,
            "loglik": fit.loglik,
            "n": _number(fit.n),
            "failures": _number(fit.failures),
        }
        if options["ci"]:
            out.update(
                confidence=fit.confidence,
                shape_ci=list(fit.shape_ci),
                scale_ci=list(fit.scale_ci),
            )
        return out

    def _claims(self, path: str, options: dict[str, Any]) -> dict[str, Any]:
        cols = read_columns(path, CLAIMS_COLUMNS)
        table = ClaimsTable.from_rows(
            cols["build_month"],
            cols["mis"],
            cols["units"],
            cols["claims"],
            row_offset=FIRST_DATA_ROW,
        )
        result = monitor_claims(table, shift=options["shift"], alpha=options["alpha"])
        which = options.get("monitor", "both")
        alerts = []
        for alert in result.alerts if which != "production" else ():
            evidence = {
                key: (_number(value) if isinstance(value, float) else value)
                for key, value in alert.as_dict().items()
            }
            evidence["build_month"] = _cohort(alert.build_month)
            evidence["onset_build_month"] = evidence["build_month"]
            evidence["affected_from"] = evidence["affected_to"] = evidence["build_month"]
            evidence["detector"] = "cohort"
            alerts.append(evidence)
        if which != "cohort":
            changes = monitor_production(table.cohorts, table.claims, table.units)
            for change in changes.alerts:
                evidence = {
                    key: (_number(value) if isinstance(value, float) else value)
                    for key, value in change.as_dict().items()
                }
                for key in ("build_month", "onset_build_month", "affected_from", "affected_to"):
                    evidence[key] = _cohort(str(evidence[key]))
                alerts.append(evidence)
        d = result.dispersion
        return {
            "alerts": alerts,
            "dispersion": {
                "pearson_chi2": _number(d.pearson_chi2),
                "df": d.df,
                "phi": _number(d.phi),
                "p_value": _number(d.p_value),
                "overdispersed": d.overdispersed,
                "excluded_cohorts": [_cohort(c) for c in d.excluded],
            },
            "cohorts": len(table.cohorts),
        }
