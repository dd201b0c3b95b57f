"""Early warning along production time with a prospective baseline (R-5.4.3 (a), issue 14).

Why. The per-cohort monitor of :mod:`.claims_monitor` judges a build month against all
*other* build months pooled. A change that starts at build month k and stays (a new supplier
lot, a process change, a worn tool) soon dominates that pool: the baseline rises with it and
the first affected months raise no alarm. Here a build month is judged only against what was
known before it (ADR 0004):

* **Prospective baseline.** Build month c is compared, MIS by MIS, with the claim rate of the
  ``window`` build months that end ``gap`` months before it (``c - gap - window .. c - gap -
  1``), leaving out build months already under alarm. A cell is judged only when at least
  ``min_reference`` reference build months have reached that MIS. The gap keeps a slow drift
  out of its own baseline. A baseline the user supplies per MIS (engineering target, previous
  generation) replaces the reference rate where given, and is then judged from the first
  build month on.
* **Over-dispersion.** ``phi`` is the Pearson statistic of the reference cells around their
  pooled MIS rates divided by its degrees of freedom (kept within 1 .. ``phi_cap``); every
  log-likelihood ratio is divided by it (quasi-Poisson).
* **Step detector.** For each group of MIS (all 12; early life 1-3; middle 4-8; wear-out
  9-12) a Poisson CUSUM runs over successive build months on the sum of the cell
  log-likelihood ratios ``y ln(rho) - mu (rho - 1)`` (design shift ``rho = 2``), only over the
  MIS each build month has already reached. Onset estimate: the build month after the CUSUM
  was last zero (the standard CUSUM change-point estimate).
* **Drift / any-size step detector.** A generalised likelihood ratio for a rate change of
  unknown size that began at some build month ``tau`` within the last ``glr_window`` months:
  ``max_tau Y ln(Y/E) - (Y - E)`` over the claims ``Y`` and expected claims ``E`` of build
  months ``tau .. c``; ``tau`` that maximises it estimates the start.

The decision limits ``h_step`` and ``h_glr`` are calibrated by simulation for the whole family
(every build month, every MIS group and both detectors, looked at every month of a 60-month
production history observed up to 12 MIS each), so that an in-control history raises any
alarm with probability <= 5 %, also with negative binomial counts (phi 1.5) and seasonal
volumes. The constants and the command that produced them are in :mod:`.production_limits`;
nothing is simulated at request time.

No Django here: plain NumPy, vectorised over many histories (leading axis) so that the
simulation study and the calibration run the very code the application runs.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .production_limits import H_GLR, H_STEP
from .validation import DataError, FloatArray

__all__ = [
    "MIS_GROUPS",
    "ProductionAlert",
    "ProductionParams",
    "ProductionResult",
    "Scan",
    "monitor_production",
    "scan",
]

#: (name, first MIS, last MIS) of the groups the step CUSUM runs on
MIS_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("all", 1, 12),
    ("early", 1, 3),
    ("middle", 4, 8),
    ("late", 9, 12),
)


@dataclass(frozen=True)
class ProductionParams:
    """Tuning of the production-time monitor; the defaults are the calibrated design."""

    window: int = 24  # reference build months
    gap: int = 3  # months between a build month and the end of its reference window
    min_reference: int = 3  # reference build months needed at a MIS to judge it
    shift: float = 2.0  # design shift of the step CUSUM
    glr_window: int = 24  # latest build months a change may have started in (GLR)
    phi_cap: float = 3.0
    h_step: float = H_STEP
    h_glr: float = H_GLR


@dataclass
class Scan:
    """Per build month statistics, arrays with a leading axis of histories (H, C, ...)."""

    expected: FloatArray  # (H, C, M) expected claims of judged cells (0 elsewhere)
    judged: npt.NDArray[np.bool_]  # (H, C, M)
    rates: FloatArray  # (H, C, M) baseline rate per unit used
    reference_months: npt.NDArray[np.int64]  # (H, C, M) reference build months per cell
    phi: FloatArray  # (H, C)
    step: FloatArray  # (H, C, G) CUSUM after build month c
    step_onset: npt.NDArray[np.int64]  # (H, C, G) onset estimate of that CUSUM
    glr: FloatArray  # (H, C)
    glr_onset: npt.NDArray[np.int64]  # (H, C)
    alarm: npt.NDArray[np.bool_]  # (H, C)
    onset: npt.NDArray[np.int64]  # (H, C) onset of the alarm at c (-1 when none)
    detector: npt.NDArray[np.int64]  # (H, C): -1 none, 0..G-1 step group, G the GLR


def _cumulative(a: npt.ArrayLike) -> FloatArray:
    """Cumulative sums over build months with a leading zero: (H, C + 1, M)."""
    x = np.asarray(a, dtype=np.float64)
    return np.concatenate([np.zeros((x.shape[0], 1, x.shape[2])), np.cumsum(x, axis=1)], axis=1)


def _group_matrix(months: int) -> FloatArray:
    g = np.zeros((months, len(MIS_GROUPS)))
    for j, (_, lo, hi) in enumerate(MIS_GROUPS):
        g[lo - 1 : min(hi, months), j] = 1.0
    return g


def scan(
    claims: npt.ArrayLike,
    units: npt.ArrayLike,
    *,
    baseline_rates: npt.ArrayLike | None = None,
    params: ProductionParams | None = None,
    exclude_alarmed: bool = True,
) -> Scan:
    """Run both detectors over build months for H histories at once.

    ``claims`` and ``units`` (units at risk) are (H, C, M) arrays, build months in production
    order; a cell with 0 units is not observed yet. ``baseline_rates`` (M,) or (H, M) gives
    claims per unit at risk per MIS (NaN where not given). ``exclude_alarmed=False`` keeps
    build months under alarm in later references (the same result up to the first alarm;
    the simulation study uses it for speed).
    """
    p = params or ProductionParams()
    y_all = np.asarray(claims, dtype=np.float64)
    u_all = np.asarray(units, dtype=np.float64)
    n_h, n_c, n_m = y_all.shape
    obs = u_all > 0
    groups = _group_matrix(n_m)
    n_g = groups.shape[1]
    given = None
    if baseline_rates is not None:
        given = np.broadcast_to(np.asarray(baseline_rates, dtype=np.float64), (n_h, n_m))
    # y^2 / u of every cell, for the Pearson statistic of the reference
    y2u = np.divide(y_all**2, u_all, out=np.zeros_like(y_all), where=obs)
    incl = np.ones((n_h, n_c), dtype=bool)
    yo = np.where(obs, y_all, 0.0)
    whole = [_cumulative(a) for a in (yo, u_all)]  # the tested months (GLR), all data

    def reference_sums() -> list[FloatArray]:  # cumulative over build months not excluded
        keep = incl[:, :, None]
        return [_cumulative(np.where(keep, a, 0.0)) for a in (yo, u_all, obs, y2u)]

    def window(hi: npt.NDArray[np.int64]) -> list[FloatArray]:
        """Sums (H, K, M) over the latest ``window`` build months before each ``hi`` that are
        not excluded (reaching further back past months under alarm)."""
        counted = np.concatenate([np.zeros((n_h, 1)), np.cumsum(incl, axis=1)], axis=1)
        target = counted[:, hi] - p.window  # (H, K)
        lo = np.maximum((counted[:, None, :] <= target[:, :, None]).sum(axis=2) - 1, 0)
        lo = np.minimum(lo, hi[None, :])
        return [a[:, hi] - np.take_along_axis(a, lo[:, :, None], axis=1) for a in cum]

    def change_references() -> tuple[FloatArray, FloatArray, FloatArray]:
        """Rate x judged and judged (H, C, M) of the window just before each build month,
        the in-control reference of a change starting at that month (GLR), and rate^2 /
        reference claims (the variance of the estimated expectation per unit^2)."""
        r_y, r_u, r_n, _ = window(np.arange(n_c))
        rate = np.divide(np.maximum(r_y, 0.5), r_u, out=np.zeros_like(r_y), where=r_u > 0)
        judged = r_n >= p.min_reference - 0.5
        inv = 1.0 / np.maximum(r_y, 0.5)
        if given is not None:
            has = ~np.isnan(given)[:, None, :]
            rate = np.where(has, given[:, None, :], rate)
            inv = np.where(has, 0.0, inv)
            judged |= has
        rate_j = np.where(judged, rate, 0.0)
        return rate_j, judged.astype(np.float64), rate_j**2 * np.where(judged, inv, 0.0)

    cum = reference_sums()
    tau_rate, tau_judged, tau_var = change_references()
    log_rho, rho1 = math.log(p.shift), p.shift - 1.0
    s = np.zeros((n_h, n_g))
    s_onset = np.zeros((n_h, n_g), dtype=np.int64)
    big_l = p.glr_window
    out = Scan(
        expected=np.zeros((n_h, n_c, n_m)),
        judged=np.zeros((n_h, n_c, n_m), dtype=bool),
        rates=np.full((n_h, n_c, n_m), np.nan),
        reference_months=np.zeros((n_h, n_c, n_m), dtype=np.int64),
        phi=np.ones((n_h, n_c)),
        step=np.zeros((n_h, n_c, n_g)),
        step_onset=np.zeros((n_h, n_c, n_g), dtype=np.int64),
        glr=np.zeros((n_h, n_c)),
        glr_onset=np.zeros((n_h, n_c), dtype=np.int64),
        alarm=np.zeros((n_h, n_c), dtype=bool),
        onset=np.full((n_h, n_c), -1, dtype=np.int64),
        detector=np.full((n_h, n_c), -1, dtype=np.int64),
    )
    starts = np.arange(big_l)
    idx = np.arange(n_c)
    for c in range(n_c):
        hi = max(0, c - p.gap)
        if hi > 0:
            ref_y, ref_u, n_float, ref_y2u = (a[:, 0] for a in window(np.array([hi])))
            n_ref = np.rint(n_float).astype(np.int64)
            raw = np.divide(ref_y, ref_u, out=np.zeros_like(ref_y), where=ref_u > 0)
            rate = np.divide(
                np.maximum(ref_y, 0.5), ref_u, out=np.zeros_like(ref_y), where=ref_u > 0
            )
            x2_cell = np.divide(ref_y2u, raw, out=np.zeros_like(raw), where=raw > 0) - ref_y
            x2 = np.where(n_ref >= 2, x2_cell, 0.0).sum(axis=1)
            df = np.maximum(n_ref - 1, 0).sum(axis=1)
            phi = np.where(df >= 10, np.clip(x2 / np.maximum(df, 1), 1.0, p.phi_cap), 1.0)
        else:
            n_ref = np.zeros((n_h, n_m), dtype=np.int64)
            rate = np.zeros((n_h, n_m))
            ref_y = np.zeros((n_h, n_m))
            phi = np.ones(n_h)
        judged = obs[:, c] & (n_ref >= p.min_reference)
        # the baseline is estimated from ref_y claims: Var(y - mu) = phi mu (1 + mu / ref_y)
        inv_ref = 1.0 / np.maximum(ref_y, 0.5)
        if given is not None:
            has = ~np.isnan(given)
            rate = np.where(has, given, rate)
            inv_ref = np.where(has, 0.0, inv_ref)
            judged = obs[:, c] & (judged | has)
        mu = np.where(judged, u_all[:, c] * rate, 0.0)
        y = np.where(judged, y_all[:, c], 0.0)
        llr = (y * log_rho - mu * rho1) / (phi[:, None] * (1.0 + mu * inv_ref))
        step_in = llr @ groups
        active = judged.astype(np.float64) @ groups > 0
        new_s = np.where(active, np.maximum(s + step_in, 0.0), s)
        s_onset = np.where(active & (s <= 0.0), c, s_onset)
        s = new_s
        # GLR: a change at tau (one of the last L build months) against the reference
        # window just before tau; Y and E over build months tau .. c
        taus = c - big_l + 1 + starts
        valid = taus >= 0
        t_hi = np.maximum(taus, 0)
        g_rate, g_judged = tau_rate[:, t_hi], tau_judged[:, t_hi]
        seg_y = whole[0][:, c + 1, None] - whole[0][:, t_hi]
        seg_u = whole[1][:, c + 1, None] - whole[1][:, t_hi]
        big_y = np.einsum("hlm,hlm->hl", seg_y, g_judged)
        big_e = np.einsum("hlm,hlm->hl", seg_u, g_rate)
        var_e = np.einsum("hlm,hlm->hl", seg_u**2, tau_var[:, t_hi])
        scale = phi[:, None] * (
            1.0 + np.divide(var_e, big_e, out=np.zeros_like(big_e), where=big_e > 0)
        )
        big_y, big_e = big_y / scale, big_e / scale
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.where(
                valid & (big_y > big_e) & (big_e > 0),
                big_y * np.log(np.maximum(big_y, 1e-300) / big_e) - (big_y - big_e),
                0.0,
            )
        best = np.argmax(q, axis=1)
        glr = q[np.arange(n_h), best]
        glr_onset = taus[best]
        # decision
        over = s >= p.h_step
        step_alarm = over.any(axis=1)
        glr_alarm = glr >= p.h_glr
        first_group = np.argmax(over, axis=1)
        onset = np.where(
            step_alarm,
            np.where(over, s_onset, n_c).min(axis=1),
            np.where(glr_alarm, glr_onset, -1),
        )
        alarm = step_alarm | glr_alarm
        onset = np.where(alarm, np.maximum(onset, 0), -1)
        if (
            exclude_alarmed and alarm.any()
        ):  # build months under alarm leave the reference of later ones
            incl &= ~(alarm[:, None] & (idx[None, :] >= onset[:, None]) & (idx[None, :] <= c))
            cum = reference_sums()
            tau_rate, tau_judged, tau_var = change_references()
        out.expected[:, c] = mu
        out.judged[:, c] = judged
        out.rates[:, c] = np.where(judged, rate, np.nan)
        out.reference_months[:, c] = n_ref
        out.phi[:, c] = phi
        out.step[:, c] = s
        out.step_onset[:, c] = s_onset
        out.glr[:, c] = glr
        out.glr_onset[:, c] = glr_onset
        out.alarm[:, c] = alarm
        out.onset[:, c] = onset
        out.detector[:, c] = np.where(step_alarm, first_group, np.where(glr_alarm, n_g, -1))
    return out


# --------------------------------------------------------------------------- one part


@dataclass(frozen=True)
class ProductionAlert:
    """A change along production time: the episode of consecutive build months under alarm.

    ``build_month`` is the first build month whose statistic crossed its limit (at ``mis``,
    the latest MIS it had reached), ``onset_build_month`` the estimated first affected build
    month, ``affected_from``..``affected_to`` the build months under alarm since then.
    ``detector`` is ``step`` (CUSUM, with the MIS group in ``mis_group``) or ``drift`` (GLR).
    Counts are over the judged cells of the affected build months.
    """

    build_month: str
    mis: int
    onset_build_month: str
    affected_from: str
    affected_to: str
    affected_months: int
    detector: str
    mis_group: str
    statistic: float
    threshold: float
    observed: int
    expected: float
    rate_ratio: float
    phi: float
    reference_window: int
    baseline: str
    shift: float
    false_alarm_design: float = 0.05
    signal: str = "warranty_claims"
    requirement: str = "R-5.4.3(a)"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ProductionResult:
    alerts: tuple[ProductionAlert, ...]
    scan: Scan
    cohorts: tuple[str, ...]
    params: ProductionParams = field(default_factory=ProductionParams)


def monitor_production(
    cohorts: tuple[str, ...] | list[str],
    claims: npt.ArrayLike,
    units: npt.ArrayLike,
    *,
    baseline_rates: npt.ArrayLike | None = None,
    baseline_label: str = "",
    params: ProductionParams | None = None,
) -> ProductionResult:
    """The production-time monitor for one part: (C, M) claims and units at risk."""
    p = params or ProductionParams()
    y = np.asarray(claims, dtype=np.float64)
    u = np.asarray(units, dtype=np.float64)
    if y.ndim != 2 or y.shape != u.shape or y.shape[0] != len(cohorts):
        raise DataError(f"claims {y.shape} and units {u.shape} do not match the cohorts")
    base = None
    if baseline_rates is not None:
        base = np.asarray(baseline_rates, dtype=np.float64)
        if base.shape != (y.shape[1],):
            raise DataError(f"need {y.shape[1]} baseline rates (NaN where none)")
    sc = scan(y[None], u[None], baseline_rates=base, params=p)
    alarm = sc.alarm[0]
    alerts = []
    c = 0
    n_c = y.shape[0]
    n_g = len(MIS_GROUPS)
    while c < n_c:
        if not alarm[c]:
            c += 1
            continue
        first = c
        while c + 1 < n_c and alarm[c + 1]:
            c += 1
        onset = int(sc.onset[0, first])
        det = int(sc.detector[0, first])
        # the episode runs while the statistic stays over its limit; the affected build
        # months end where the statistic that fired peaks (the CUSUM end-of-change estimate)
        path = sc.step[0, :, det] if det < n_g else sc.glr[0]
        last = onset + int(np.argmax(path[onset : c + 1]))
        cells = sc.judged[0, onset : last + 1]
        obs_n = int(y[onset : last + 1][cells].sum())
        exp_n = float(sc.expected[0, onset : last + 1][cells].sum())
        seen = np.flatnonzero(u[first] > 0)
        if det < n_g:
            stat, thr, group = float(sc.step[0, first, det]), p.h_step, MIS_GROUPS[det][0]
        else:
            stat, thr, group = float(sc.glr[0, first]), p.h_glr, "all"
        uses_given = base is not None and bool((~np.isnan(base)).any())
        alerts.append(
            ProductionAlert(
                build_month=cohorts[first],
                mis=int(seen[-1]) + 1 if seen.size else 0,
                onset_build_month=cohorts[onset],
                affected_from=cohorts[onset],
                affected_to=cohorts[last],
                affected_months=last - onset + 1,
                detector="step" if det < n_g else "drift",
                mis_group=group,
                statistic=stat,
                threshold=thr,
                observed=obs_n,
                expected=exp_n,
                rate_ratio=obs_n / exp_n if exp_n > 0 else math.inf,
                phi=float(sc.phi[0, first]),
                reference_window=p.window,
                baseline=baseline_label
                or (
                    "given per MIS"
                    if uses_given
                    else f"earlier build months ({p.window} months ending {p.gap} before)"
                ),
                shift=p.shift,
            )
        )
        c += 1
    return ProductionResult(alerts=tuple(alerts), scan=sc, cohorts=tuple(cohorts), params=p)
