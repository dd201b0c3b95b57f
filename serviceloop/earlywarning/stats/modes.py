"""Failure-mode shift of returned parts (R-5.4.3 (d)): a mode whose share of a part's
field failures rose in the latest months.

For each failure mode the recent window (``recent`` months) is compared with the months
before it (``prior`` months) by a one-sided Fisher exact test on the 2 x 2 table
(this mode / other modes) x (recent / prior); with ``K`` modes the p-values are
Bonferroni-adjusted (``min(1, K p)``). A mode signals when the adjusted p-value is below
``alpha``, it has at least ``min_count`` recent failures and its share rose by at least
``min_increase`` (absolute). The Pareto tables of both windows are the evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from .detectors import ParetoRow, failure_mode_pareto


@dataclass(frozen=True)
class ModeShiftAlert:
    mode: str
    recent_count: int
    recent_total: int
    prior_count: int
    prior_total: int
    recent_share: float
    prior_share: float
    odds_ratio: float
    p_value: float
    adjusted_p_value: float
    modes_tested: int
    recent_from: int  # month ordinals (see claims.month_ordinal), inclusive
    recent_to: int
    prior_from: int
    signal: str = "failure_mode_shift"
    requirement: str = "R-5.4.3(d)"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ModeShift:
    recent: tuple[ParetoRow, ...]
    prior: tuple[ParetoRow, ...]
    alerts: tuple[ModeShiftAlert, ...]


def mode_shift(
    modes: Sequence[str],
    months: npt.ArrayLike,
    *,
    current: int,
    recent: int = 3,
    prior: int = 12,
    alpha: float = 0.01,
    min_count: int = 3,
    min_increase: float = 0.1,
) -> ModeShift:
    """Compare the failure modes of months ``[current - recent, current)`` (month ordinals)
    with those of the ``prior`` months before; see the module docstring."""
    labels = np.asarray([str(m) for m in modes], dtype=object)
    month = np.asarray(months, dtype=np.int64)
    if labels.shape != month.shape:
        raise ValueError("one month per failure mode is needed")
    r_from, p_from = current - recent, current - recent - prior
    in_recent = (month >= r_from) & (month < current)
    in_prior = (month >= p_from) & (month < r_from)
    recent_rows = failure_mode_pareto(list(labels[in_recent]))
    prior_rows = failure_mode_pareto(list(labels[in_prior]))
    n1, n2 = int(in_recent.sum()), int(in_prior.sum())
    if n1 == 0 or n2 == 0:
        return ModeShift(recent_rows, prior_rows, ())
    candidates = sorted(set(labels[in_recent]) | set(labels[in_prior]))
    k = len(candidates)
    alerts = []
    for mode in candidates:
        a = int(np.count_nonzero(in_recent & (labels == mode)))
        b = int(np.count_nonzero(in_prior & (labels == mode)))
        share1, share2 = a / n1, b / n2
        if a < min_count or share1 - share2 < min_increase:
            continue
        table = [[a, n1 - a], [b, n2 - b]]
        odds, p = stats.fisher_exact(table, alternative="greater")
        adjusted = min(1.0, float(p) * k)
        if adjusted >= alpha:
            continue
        alerts.append(
            ModeShiftAlert(
                mode=str(mode),
                recent_count=a,
                recent_total=n1,
                prior_count=b,
                prior_total=n2,
                recent_share=share1,
                prior_share=share2,
                odds_ratio=float(odds),
                p_value=float(p),
                adjusted_p_value=adjusted,
                modes_tested=k,
                recent_from=r_from,
                recent_to=current - 1,
                prior_from=p_from,
            )
        )
    return ModeShift(recent_rows, prior_rows, tuple(alerts))
