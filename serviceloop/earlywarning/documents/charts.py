"""Server-side SVG charts of the early warning (no JavaScript, no CDN): the same markup in
the browser and in the WeasyPrint PDF. Each function takes the JSON-clean chart data an
alert or report stores and returns one ``<svg>``; every text is escaped.

* :func:`cusum_chart` - (a) a cohort's CUSUM path against its decision interval;
* :func:`claims_chart` - (a) cumulative claims per 1000 units, cohort vs expected;
* :func:`volume_chart` - (b) monthly purchase volume with the change point and levels;
* :func:`ewma_chart` - (c)/(e) survey means, EWMA and its limits;
* :func:`pareto_chart` - (d) failure modes with cumulative share;
* :func:`weibull_plot` - (d) Weibull probability plot with the fit and its confidence band.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
BLUE, RED, GREY, GREEN, ORANGE = "#0b5cab", "#b3261e", "#8a939e", "#1e7b34", "#b36b00"
PALETTE = (BLUE, ORANGE, GREEN, "#6a3d9a", "#8c564b")
W, H = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 46, 44


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 5 x 10^n steps) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0, 1.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 5, 10) if s * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while v <= hi + step * 1e-9:
        ticks.append(round(v, 10))
        v += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10 or float(v).is_integer():
        return f"{v:.0f}" if float(v).is_integer() else f"{v:.1f}"
    return f"{v:.2g}" if abs(v) < 0.1 else f"{v:.1f}"


class Plot:
    """A plotting frame: linear (or given) scales, axes, and SVG parts."""

    def __init__(
        self,
        title: str,
        xlim: tuple[float, float],
        ylim: tuple[float, float],
        *,
        width: int = W,
        height: int = H,
        right: int = RIGHT,
    ) -> None:
        self.width, self.height, self.right = width, height, right
        self.x0, self.x1 = xlim
        self.y0, self.y1 = ylim
        if self.x1 == self.x0:
            self.x1 = self.x0 + 1
        if self.y1 == self.y0:
            self.y1 = self.y0 + 1
        self.title = title
        self.parts: list[str] = []

    @property
    def pw(self) -> float:
        return self.width - LEFT - self.right

    @property
    def ph(self) -> float:
        return self.height - TOP - BOTTOM

    def x(self, v: float) -> float:
        return LEFT + (v - self.x0) / (self.x1 - self.x0) * self.pw

    def y(self, v: float) -> float:
        return TOP + (1 - (v - self.y0) / (self.y1 - self.y0)) * self.ph

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(
        self,
        x: float,
        y: float,
        label: Any,
        *,
        anchor: str = "middle",
        size: int = 11,
        color: str = "#333",
        extra: str = "",
    ) -> None:
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{color}"{extra}>{escape(str(label))}</text>'
        )

    def axes(
        self,
        xticks: Sequence[tuple[float, str]],
        yticks: Sequence[tuple[float, str]],
        xlabel: str = "",
        ylabel: str = "",
    ) -> None:
        bottom, left = TOP + self.ph, LEFT
        for value, label in yticks:
            y = self.y(value)
            self.add(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + self.pw:.1f}" y2="{y:.1f}" '
                f'stroke="#e3e6ea" stroke-width="1"/>'
            )
            self.text(left - 6, y + 4, label, anchor="end", size=10)
        for value, label in xticks:
            x = self.x(value)
            self.add(
                f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="{GREY}"/>'
            )
            self.text(x, bottom + 16, label, size=10)
        self.add(
            f'<line x1="{left}" y1="{bottom}" x2="{left + self.pw:.1f}" y2="{bottom}" '
            f'stroke="{GREY}"/><line x1="{left}" y1="{TOP}" x2="{left}" y2="{bottom}" '
            f'stroke="{GREY}"/>'
        )
        if xlabel:
            self.text(left + self.pw / 2, self.height - 6, xlabel, size=11, color="#555")
        if ylabel:
            self.text(
                14,
                TOP + self.ph / 2,
                ylabel,
                size=11,
                color="#555",
                extra=f' transform="rotate(-90 14 {TOP + self.ph / 2:.1f})"',
            )

    def polyline(
        self,
        points: Sequence[tuple[float, float]],
        color: str,
        *,
        width: float = 2,
        dash: str = "",
        label: str = "",
    ) -> None:
        if len(points) < 1:
            return
        coords = " ".join(f"{self.x(a):.1f},{self.y(b):.1f}" for a, b in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        title = f"<title>{escape(label)}</title>" if label else ""
        self.add(
            f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="{width}"'
            f"{dash_attr}>{title}</polyline>"
        )

    def dot(self, a: float, b: float, color: str, *, r: float = 3.5, label: str = "") -> None:
        title = f"<title>{escape(label)}</title>" if label else ""
        self.add(
            f'<circle cx="{self.x(a):.1f}" cy="{self.y(b):.1f}" r="{r}" fill="{color}">'
            f"{title}</circle>"
        )

    def legend(self, items: Sequence[tuple[str, str, str]]) -> None:
        """(color, label, style) with style "line", "dash" or "dot", top right."""
        x: float = self.width - self.right - 4
        for color, label, style in reversed(items):
            width = 12 * len(label) if any(ord(c) > 255 for c in label) else 6.5 * len(label)
            x -= width + 26
            y = 36
            if style == "dot":
                self.add(f'<circle cx="{x + 8}" cy="{y - 4}" r="4" fill="{color}"/>')
            else:
                dash = ' stroke-dasharray="5 3"' if style == "dash" else ""
                self.add(
                    f'<line x1="{x}" y1="{y - 4}" x2="{x + 16}" y2="{y - 4}" stroke="{color}" '
                    f'stroke-width="2"{dash}/>'
                )
            self.text(x + 20, y, label, anchor="start", size=10)

    def svg(self) -> SafeString:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="ew-chart" viewBox="0 0 '
            f'{self.width} {self.height}" width="{self.width}" height="{self.height}" '
            f'role="img" aria-label="{escape(self.title)}" font-family="{FONT}">'
            f"<title>{escape(self.title)}</title>"
            f'<rect x="0" y="0" width="{self.width}" height="{self.height}" fill="#fff"/>'
            f'<text x="{LEFT}" y="18" font-size="13" font-weight="bold" fill="#1f2933">'
            f"{escape(self.title)}</text>"
        )
        return mark_safe(head + "".join(self.parts) + "</svg>")  # noqa: S308  (all text escaped)


def _values(seq: Sequence[Any] | None) -> list[float | None]:
    out: list[float | None] = []
    for v in seq or []:
        out.append(None if v is None or not math.isfinite(float(v)) else float(v))
    return out


def _finite(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def empty_chart(title: str) -> SafeString:
    p = Plot(title, (0, 1), (0, 1), height=120)
    p.text(p.width / 2, 70, _("No data to chart."), color=GREY)
    return p.svg()


# --------------------------------------------------------------------------- (a)


def cusum_chart(chart: dict[str, Any]) -> SafeString:
    title = _("CUSUM of the build month against its decision interval")
    mis = [int(m) for m in chart.get("mis") or []]
    path = _values(chart.get("cusum"))
    h = float(chart.get("threshold") or 0)
    seen = [(m, v) for m, v in zip(mis, path, strict=False) if v is not None]
    if not seen:
        return empty_chart(title)
    top = max([h, *(v for _, v in seen)]) * 1.15 or 1.0
    yt = nice_ticks(0, top)
    p = Plot(title, (0.5, max(mis) + 0.5), (0, yt[-1]))
    p.axes(
        [(m, str(m)) for m in mis],
        [(t, fmt(t)) for t in yt],
        _("Month in service"),
        _("CUSUM (claims)"),
    )
    p.polyline([(0.5, h), (max(mis) + 0.5, h)], RED, dash="6 4", label=f"h = {h:.2f}")
    p.text(p.x(max(mis) + 0.5) - 2, p.y(h) - 5, f"h = {h:.2f}", anchor="end", size=10, color=RED)
    p.polyline(seen, BLUE, label=_("CUSUM"))
    alarm = chart.get("alarm_mis")
    claims = chart.get("claims") or []
    expected = chart.get("expected") or []
    for m, v in seen:
        i = m - 1
        label = _("MIS %(m)s: CUSUM %(v)s, claims %(c)s, expected %(e)s") % {
            "m": m,
            "v": f"{v:.2f}",
            "c": fmt(float(claims[i])) if i < len(claims) else "—",
            "e": f"{float(expected[i]):.2f}"
            if i < len(expected) and expected[i] is not None
            else "—",
        }
        hot = alarm is not None and m >= int(alarm) and v >= h
        p.dot(m, v, RED if hot else BLUE, r=4.5 if m == alarm else 3.5, label=label)
    p.legend([(BLUE, _("CUSUM"), "line"), (RED, _("decision interval h"), "dash")])
    return p.svg()


def claims_chart(chart: dict[str, Any]) -> SafeString:
    title = _("Cumulative claims per 1000 units")
    mis = [int(m) for m in chart.get("mis") or []]
    own = _values(chart.get("cum_rate"))
    exp = _values(chart.get("cum_expected_rate"))
    pts = [(m, v) for m, v in zip(mis, own, strict=False) if v is not None]
    ept = [(m, v) for m, v in zip(mis, exp, strict=False) if v is not None]
    if not pts:
        return empty_chart(title)
    yt = nice_ticks(0, max(v for _, v in pts + ept) * 1.1 or 1.0)
    p = Plot(title, (0.5, max(mis) + 0.5), (0, yt[-1]))
    p.axes([(m, str(m)) for m in mis], [(t, fmt(t)) for t in yt], _("Month in service"), "‰")
    p.polyline(ept, GREY, dash="5 3", label=_("expected (other build months)"))
    p.polyline(pts, RED, label=_("this build month"))
    for m, v in pts:
        p.dot(m, v, RED, r=3, label=f"MIS {m}: {v:.2f}‰")
    p.legend([(RED, _("this build month"), "line"), (GREY, _("expected"), "dash")])
    return p.svg()


def production_chart(chart: dict[str, Any]) -> SafeString:
    """(a) the production-time statistic over build months, its limit and the onset."""
    title = _("Change along production time: statistic per build month")
    cohorts = [str(c) for c in chart.get("cohorts") or []]
    path = _values(chart.get("statistic"))
    h = float(chart.get("threshold") or 0)
    pts = [(i + 1, v) for i, v in enumerate(path) if v is not None]
    if not pts:
        return empty_chart(title)
    n = len(cohorts)
    top = max([h, *(v for _, v in pts)]) * 1.15 or 1.0
    yt = nice_ticks(0, top)
    p = Plot(title, (0.5, n + 0.5), (0, yt[-1]))
    step = max(1, math.ceil(n / 8))
    p.axes(
        [(i + 1, cohorts[i]) for i in range(0, n, step)],
        [(t, fmt(t)) for t in yt],
        _("Build month"),
        _("Statistic (log-likelihood ratio)"),
    )
    p.polyline([(0.5, h), (n + 0.5, h)], RED, dash="6 4", label=f"h = {h:.2f}")
    p.polyline(pts, BLUE, label=_("statistic"))
    onset = chart.get("onset")
    affected = chart.get("affected") or [None, None]
    lo = cohorts.index(affected[0]) + 1 if affected[0] in cohorts else None
    hi = cohorts.index(affected[1]) + 1 if affected[1] in cohorts else None
    for i, v in pts:
        hot = lo is not None and hi is not None and lo <= i <= hi
        label = _("%(month)s: statistic %(v)s") % {"month": cohorts[i - 1], "v": f"{v:.2f}"}
        p.dot(i, v, RED if hot else BLUE, r=4.5 if cohorts[i - 1] == onset else 3, label=label)
    if onset in cohorts:
        x = cohorts.index(onset) + 1
        p.polyline([(x, 0), (x, yt[-1])], ORANGE, dash="3 3", label=_("estimated onset"))
    p.legend(
        [
            (BLUE, _("statistic"), "line"),
            (RED, _("decision limit h"), "dash"),
            (ORANGE, _("estimated onset"), "dash"),
        ]
    )
    return p.svg()


# --------------------------------------------------------------------------- (b)


def volume_chart(chart: dict[str, Any]) -> SafeString:
    title = _("Monthly purchase volume and the change point")
    months = list(chart.get("months") or [])
    qty = [v or 0.0 for v in _values(chart.get("quantity"))]
    if not months:
        return empty_chart(title)
    n = len(months)
    yt = nice_ticks(0, max(qty) * 1.1 or 1.0)
    p = Plot(title, (0, n), (0, yt[-1]))
    step = max(1, math.ceil(n / 8))
    p.axes(
        [(i + 0.5, months[i]) for i in range(0, n, step)],
        [(t, fmt(t)) for t in yt],
        _("Month"),
        _("Quantity"),
    )
    tau = chart.get("change_index")
    bar = p.pw / n * 0.7
    for i, (month, v) in enumerate(zip(months, qty, strict=True)):
        color = BLUE if tau is None or i < int(tau) else ORANGE
        y = p.y(v)
        p.add(
            f'<rect x="{p.x(i + 0.5) - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
            f'height="{p.y(0) - y:.1f}" fill="{color}">'
            f"<title>{escape(month)}: {fmt(v)}</title></rect>"
        )
    if tau is not None:
        t = int(tau)
        before, after = chart.get("level_before"), chart.get("level_after")
        if before is not None:
            p.polyline([(0, float(before)), (t, float(before))], GREEN, dash="6 3")
        if after is not None:
            p.polyline([(t, float(after)), (n, float(after))], RED, dash="6 3")
        x = p.x(t)
        p.add(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + p.ph:.1f}" stroke="{RED}" '
            f'stroke-width="1.5" stroke-dasharray="3 3"/>'
        )
        if t < n:
            p.text(
                x + 4,
                TOP + 12,
                _("change from %(m)s") % {"m": months[t]},
                anchor="start",
                size=10,
                color=RED,
            )
        p.legend([(GREEN, _("level before"), "dash"), (RED, _("level after"), "dash")])
    return p.svg()


# --------------------------------------------------------------------------- (c)/(e)


def ewma_chart(chart: dict[str, Any]) -> SafeString:
    title = _("Survey score: monthly mean, EWMA and control limits")
    periods = list(chart.get("periods") or [])
    means, ewma = _values(chart.get("means")), _values(chart.get("ewma"))
    lower, upper = _values(chart.get("lower")), _values(chart.get("upper"))
    if not periods:
        return empty_chart(title)
    n = len(periods)
    values = _finite(means) + _finite(ewma) + _finite(lower) + _finite(upper)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or 1.0
    yt = nice_ticks(lo - pad, hi + pad)
    p = Plot(title, (0.5, n + 0.5), (yt[0], yt[-1]))
    step = max(1, math.ceil(n / 8))
    p.axes(
        [(i + 1, periods[i]) for i in range(0, n, step)],
        [(t, fmt(t)) for t in yt],
        _("Survey month"),
        _("Score (0-100)"),
    )
    target = chart.get("target")
    if target is not None:
        p.polyline([(0.5, float(target)), (n + 0.5, float(target))], GREY, width=1, dash="2 3")

    def steps(vals: list[float | None]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i, v in enumerate(vals):
            if v is not None:
                out += [(i + 0.5, v), (i + 1.5, v)]
        return out

    p.polyline(steps(lower), RED, width=1.5, dash="5 3", label=_("lower limit"))
    p.polyline(steps(upper), RED, width=1, dash="5 3", label=_("upper limit"))
    for i, v in enumerate(means):
        if v is not None:
            p.dot(i + 1, v, "#b8c0c8", r=3, label=f"{periods[i]}: {v:.1f}")
    pts = [(i + 1, v) for i, v in enumerate(ewma) if v is not None]
    p.polyline(pts, BLUE, label="EWMA")
    for i, v in enumerate(ewma):
        if v is None:
            continue
        below = lower[i] is not None and v < float(lower[i])  # type: ignore[arg-type]
        p.dot(i + 1, v, RED if below else BLUE, r=3.5, label=f"{periods[i]}: EWMA {v:.1f}")
    p.legend(
        [("#b8c0c8", _("monthly mean"), "dot"), (BLUE, "EWMA", "line"), (RED, _("limits"), "dash")]
    )
    return p.svg()


# --------------------------------------------------------------------------- (d)


def pareto_chart(
    rows: Sequence[dict[str, Any]],
    *,
    prior: dict[str, float] | None = None,
    highlight: str | None = None,
    title: str | None = None,
) -> SafeString:
    title = title or _("Failure modes (Pareto)")
    rows = list(rows)[:10]
    if not rows:
        return empty_chart(title)
    n = len(rows)
    top = max(float(r["count"]) for r in rows)
    yt = nice_ticks(0, top * 1.1 or 1.0)
    p = Plot(title, (0, n), (0, yt[-1]), right=44, height=H + 20)
    p.axes([], [(t, fmt(t)) for t in yt], "", _("Failures"))
    bar = p.pw / n * 0.68
    for i, r in enumerate(rows):
        count = float(r["count"])
        y = p.y(count)
        color = RED if highlight and r["mode"] == highlight else BLUE
        label = f"{r['mode']}: {fmt(count)} ({float(r['share']) * 100:.0f}%)"
        p.add(
            f'<rect x="{p.x(i + 0.5) - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
            f'height="{p.y(0) - y:.1f}" fill="{color}"><title>{escape(label)}</title></rect>'
        )
        name = str(r["mode"])
        p.text(p.x(i + 0.5), TOP + p.ph + 16, name if len(name) <= 8 else name[:7] + "…", size=10)
        p.text(p.x(i + 0.5), y - 4, fmt(count), size=10)

    # cumulative share on the right axis (0-100 %)
    def share_y(s: float) -> float:
        return TOP + (1 - s) * p.ph

    coords = " ".join(
        f"{p.x(i + 0.5):.1f},{share_y(float(r['cumulative_share'])):.1f}"
        for i, r in enumerate(rows)
    )
    p.add(f'<polyline points="{coords}" fill="none" stroke="{ORANGE}" stroke-width="2"/>')
    for i, r in enumerate(rows):
        p.add(
            f'<circle cx="{p.x(i + 0.5):.1f}" cy="{share_y(float(r["cumulative_share"])):.1f}" '
            f'r="3" fill="{ORANGE}"/>'
        )
    right = LEFT + p.pw
    for s in (0, 0.5, 0.8, 1.0):
        p.text(right + 6, share_y(s) + 4, f"{s * 100:.0f}%", anchor="start", size=10, color=ORANGE)
    if prior:
        total = sum(float(r["count"]) for r in rows) / max(
            sum(float(r["share"]) for r in rows), 1e-9
        )
        for i, r in enumerate(rows):
            share = prior.get(str(r["mode"]))
            if share is None:
                continue
            y = p.y(share * total)
            x = p.x(i + 0.5)
            p.add(
                f'<path d="M{x - 6:.1f},{y:.1f} L{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                f'L{x:.1f},{y + 6:.1f} Z" fill="#fff" stroke="{GREEN}" stroke-width="2">'
                f"<title>{escape(_('before: %(s)s') % {'s': f'{share * 100:.0f}%'})}</title></path>"
            )
        p.legend(
            [
                (BLUE, _("failures"), "dot"),
                (ORANGE, _("cumulative share"), "line"),
                (GREEN, _("share before"), "dot"),
            ]
        )
    else:
        p.legend([(BLUE, _("failures"), "dot"), (ORANGE, _("cumulative share"), "line")])
    return p.svg()


def _weibull_y(f: float) -> float:
    return math.log(-math.log1p(-f))


def weibull_plot(chart: dict[str, Any]) -> SafeString:
    """Weibull probability paper: log time against ln(-ln(1 - F)), the fitted line and its
    pointwise confidence band from the covariance of (log shape, log scale)."""
    title = _("Weibull probability plot (months in service)")
    groups = [g for g in chart.get("groups") or [] if g.get("points")]
    fit = chart.get("fit")
    if not groups and not fit:
        return empty_chart(title)
    times = [pt[0] for g in groups for pt in g["points"]] or [1.0, 12.0]
    fracs = [pt[1] for g in groups for pt in g["points"] if 0 < pt[1] < 1] or [0.001, 0.01]
    t_lo, t_hi = max(min(times) / 1.5, 0.1), max(max(times) * 1.5, 2.0)
    f_lo, f_hi = max(min(fracs) / 3, 1e-5), min(max(fracs) * 3, 0.99)
    p = Plot(
        title,
        (math.log10(t_lo), math.log10(t_hi)),
        (_weibull_y(f_lo), _weibull_y(f_hi)),
        height=H + 40,
    )
    xt = [t for t in (0.2, 0.5, 1, 2, 3, 6, 12, 24, 60, 120, 240, 600) if t_lo <= t <= t_hi]
    ft = [
        f
        for f in (1e-5, 1e-4, 1e-3, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.9, 0.99)
        if f_lo <= f <= f_hi
    ]
    p.axes(
        [(math.log10(t), fmt(t)) for t in xt],
        [(_weibull_y(f), f"{f * 100:g}%") for f in ft],
        _("Months in service (log scale)"),
        _("Fraction failed"),
    )
    if fit and fit.get("shape") and fit.get("scale"):
        beta, eta = float(fit["shape"]), float(fit["scale"])
        cov = fit.get("cov_log") or [[0, 0], [0, 0]]
        z = 1.959964
        xs = [math.log10(t_lo) + i * (math.log10(t_hi) - math.log10(t_lo)) / 40 for i in range(41)]
        line, upper, lower = [], [], []
        for lx in xs:
            lt = lx * math.log(10)
            y = beta * (lt - math.log(eta))
            var = (
                y * y * float(cov[0][0])
                + beta * beta * float(cov[1][1])
                - 2 * y * beta * float(cov[0][1])
            )
            half = z * math.sqrt(max(var, 0.0))
            line.append((lx, y))
            upper.append((lx, y + half))
            lower.append((lx, y - half))
        y_lo, y_hi = p.y0, p.y1

        def clip(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
            return [(a, min(max(b, y_lo), y_hi)) for a, b in points]

        band = clip(upper) + list(reversed(clip(lower)))
        coords = " ".join(f"{p.x(a):.1f},{p.y(b):.1f}" for a, b in band)
        p.add(f'<polygon points="{coords}" fill="{BLUE}" fill-opacity="0.12" stroke="none"/>')
        inside = [(a, b) for a, b in line if y_lo <= b <= y_hi]
        p.polyline(
            inside,
            BLUE,
            label=_("Weibull fit β = %(b)s, η = %(e)s") % {"b": f"{beta:.2f}", "e": f"{eta:.0f}"},
        )
    cohort_fit = chart.get("cohort_fit")
    if cohort_fit and cohort_fit.get("shape") and cohort_fit.get("scale"):
        beta, eta = float(cohort_fit["shape"]), float(cohort_fit["scale"])
        pts = []
        for i in range(41):
            lx = math.log10(t_lo) + i * (math.log10(t_hi) - math.log10(t_lo)) / 40
            y = beta * (lx * math.log(10) - math.log(eta))
            if p.y0 <= y <= p.y1:
                pts.append((lx, y))
        p.polyline(pts, RED, dash="6 3")
    legend = []
    for i, g in enumerate(groups):
        color = PALETTE[0] if i == 0 else RED
        for t, f in g["points"]:
            if 0 < f < 1 and t > 0:
                p.dot(
                    math.log10(t),
                    _weibull_y(f),
                    color,
                    r=3.5 if i else 3,
                    label=f"{g['label']}: {t:g} → {f * 100:.3g}%",
                )
        legend.append((color, str(g["label"]), "dot"))
    if fit:
        legend.append((BLUE, _("fit with 95% band"), "line"))
    p.legend(legend)
    return p.svg()


# --------------------------------------------------------------------------- dispatch


def alert_charts(kind: str, chart: dict[str, Any]) -> list[SafeString]:
    """The charts of an alert (or a report's frozen copy), by signal."""
    ctype = (chart or {}).get("type")
    if ctype == "cusum":
        return [cusum_chart(chart), claims_chart(chart)]
    if ctype == "production":
        return [production_chart(chart), claims_chart(chart)]
    if ctype == "volume":
        return [volume_chart(chart)]
    if ctype == "ewma":
        return [ewma_chart(chart)]
    if ctype == "weibull":
        out = [weibull_plot(chart)]
        if chart.get("pareto"):
            out.append(pareto_chart(chart["pareto"]))
        return out
    if ctype == "pareto":
        return [
            pareto_chart(
                chart.get("rows") or [],
                prior=chart.get("prior"),
                highlight=chart.get("highlight"),
                title=_("Failure modes of the last 3 months (◇ = share before)"),
            )
        ]
    return []
