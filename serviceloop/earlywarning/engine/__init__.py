"""The early-warning engine: every signal of R-5.4.3 over the data as it stands.

:func:`analyse` is pure apart from reading nothing at all: it takes :class:`Inputs`
(see :mod:`.inputs`, which reads the database) and returns an :class:`Outcome` of
findings; the services turn findings into alerts. One part, customer or signal that
cannot be analysed is recorded as an error of its scope and the rest goes on.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext

from .common import ENGINE_VERSION, Finding, Outcome, clean, scope_of
from .inputs import Inputs, fingerprint, load_inputs, production_table
from .market import (
    KIND_END_USER,
    KIND_PURCHASE,
    KIND_SATISFACTION,
    end_user_findings,
    purchase_findings,
    satisfaction_findings,
)
from .warranty import (
    KIND_CLAIMS,
    KIND_RETURNED,
    PartAnalysis,
    analyse_part,
    apply_baseline,
    claims_findings,
    estimate_clock,
    prepare_part,
    returned_findings,
)

__all__ = [
    "ENGINE_VERSION",
    "Finding",
    "Inputs",
    "Outcome",
    "PartAnalysis",
    "analyse",
    "analyse_one_part",
    "clean",
    "fingerprint",
    "load_inputs",
    "scope_of",
]


def _parts(inputs: Inputs, out: Outcome) -> None:
    clock = estimate_clock(inputs.claims)
    out.counts["clock"] = clock.as_dict()
    claimed = (
        set(inputs.claims["part_number"].tolist()) if len(inputs.claims["part_number"]) else set()
    )
    missing = sorted(p for p in claimed - set(inputs.production) if p)
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        out.warnings.append(
            gettext("No production volumes for part numbers with claims: %(parts)s")
            % {"parts": shown}
        )
    claims_used = 0
    for part in sorted(inputs.production):
        try:
            pa = prepare_part(
                part,
                inputs.claims,
                inputs.production[part],
                inputs.as_of,
                clock,
                inputs.part_names.get(part, ""),
            )
            apply_baseline(pa, inputs.baselines.get(part))
            analyse_part(pa)
        except Exception as exc:  # one bad part must not stop the others
            for kind in (KIND_CLAIMS, KIND_RETURNED):
                out.error(kind, scope_of(kind, part), f"{part}: {exc}")
            continue
        claims_used += pa.counted_claims
        out.part_analyses.append(pa)
        for kind, message in pa.insufficient:  # not evaluable yet: its alerts stay as they are
            out.failed_scopes.add(scope_of(kind, part))
            out.warnings.append(f"{part}: {message}")
        for kind, message in pa.problems:
            out.error(kind, scope_of(kind, part), f"{part}: {message}")
        out.findings.extend(claims_findings(pa))
        out.findings.extend(returned_findings(pa))
    out.counts["parts"] = len(inputs.production)
    out.counts["claims"] = int(len(inputs.claims["part_number"]))
    out.counts["claims_used"] = claims_used


def analyse(inputs: Inputs) -> Outcome:
    out = Outcome()
    steps = (
        ((KIND_CLAIMS, KIND_RETURNED), lambda: _parts(inputs, out)),
        ((KIND_PURCHASE,), lambda: out.findings.extend(purchase_findings(inputs, out))),
        ((KIND_SATISFACTION,), lambda: out.findings.extend(satisfaction_findings(inputs, out))),
        ((KIND_END_USER,), lambda: out.findings.extend(end_user_findings(inputs, out))),
    )
    for kinds, step in steps:
        try:
            step()
        except Exception as exc:  # a whole signal failed: keep its alerts as they are
            out.failed_kinds.update(kinds)
            for kind in kinds:
                out.errors.append({"signal": kind, "scope": kind, "message": repr(exc)})
    by_kind: dict[str, int] = {}
    for f in out.findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    out.counts["findings"] = len(out.findings)
    out.counts["findings_by_kind"] = by_kind
    return out


def analyse_one_part(part_number: str, as_of: date) -> PartAnalysis:
    """The dashboard's view of one part (same computation as a run, for this part only).
    The sale lag and mileage model are estimated from all claims, as in a run."""
    from . import inputs

    production, names = production_table(part_number)
    clock = estimate_clock(inputs.load_claims())
    claims = inputs.load_part_claims(part_number)
    pa = prepare_part(
        part_number,
        claims,
        production.get(part_number, {}),
        as_of,
        clock,
        names.get(part_number, ""),
    )
    apply_baseline(pa, inputs.baseline_table(part_number).get(part_number))
    return analyse_part(pa)
