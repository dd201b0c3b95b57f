"""What the engine hands to the services: findings (one per alert-worthy condition) and the
outcome of a whole analysis, plus small helpers to keep evidence JSON-clean."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Bump when the analysis changes so that the schedule re-runs on unchanged data.
ENGINE_VERSION = "2"


@dataclass
class Finding:
    """One condition that signals, ready to become (or refresh) an alert.

    ``key`` is stable across runs for the same signal, subject and cohort; ``scope`` names
    the signal and subject the finding belongs to (see :func:`scope_of`).
    """

    kind: str
    key: str
    severity: str
    evidence: dict[str, Any]
    chart: dict[str, Any]
    part_number: str = ""
    customer_id: int | None = None
    cohort: str = ""

    @property
    def scope(self) -> str:
        return scope_of(self.kind, self.part_number, self.customer_id)


def scope_of(kind: str, part_number: str = "", customer_id: int | None = None) -> str:
    """The signal + subject an alert belongs to: a run that evaluated this scope without an
    error may clear the scope's alerts that no longer signal."""
    if part_number:
        return f"{kind}:{part_number}"
    if customer_id is not None:
        return f"{kind}:c{customer_id}"
    return f"{kind}:all"


@dataclass
class Outcome:
    """Everything one analysis produced: findings, which scopes could not be evaluated (their
    alerts are left alone), and what the run page shows."""

    findings: list[Finding] = field(default_factory=list)
    failed_kinds: set[str] = field(default_factory=set)
    failed_scopes: set[str] = field(default_factory=set)
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    # each part's analysis (engine.warranty.PartAnalysis), stored for its dashboard (issue 15)
    part_analyses: list[Any] = field(default_factory=list)

    def error(self, kind: str, scope: str, message: str) -> None:
        self.failed_scopes.add(scope)
        self.errors.append({"signal": kind, "scope": scope, "message": message})


def clean(value: Any) -> Any:
    """JSON-safe: NumPy scalars/arrays to Python, non-finite floats to None, tuples to lists."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return [clean(v) for v in value.tolist()]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        if not math.isfinite(f):
            return None
        return round(f, 6) if abs(f) >= 1e-4 or f == 0 else float(f"{f:.6g}")
    return value
