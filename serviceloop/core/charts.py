"""Small server-side SVG charts shared by the apps (no JavaScript, no CDN): they render the
same in the browser and in WeasyPrint's PDF. Every text part is escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
BAR = "#0b5cab"
SECOND = "#b36b00"
AXIS = "#888"


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _label(text: str, limit: int = 14) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def hbar_chart(
    items: Sequence[tuple[str, float]], *, title: str, width: int = 560, color: str = BAR
) -> SafeString:
    """Horizontal bars, one per (label, value), largest first as given."""
    bar_h, gap, left, top = 18, 6, 150, 28
    height = top + max(1, len(items)) * (bar_h + gap) + 10
    top_value = _nice_max(max((v for _, v in items), default=0))
    span = width - left - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="12">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    if not items:
        parts.append(f'<text x="{left}" y="{top + 14}" fill="{AXIS}">—</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = 0 if top_value == 0 else span * value / top_value
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{_label(str(label), 18)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" rx="2">'
            f"<title>{escape(str(label))}: {value:g}</title></rect>"
            f'<text x="{left + w + 4:.1f}" y="{y + 13}">{value:g}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height - 8}" stroke="{AXIS}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text part is escaped above)


def _gridlines(left: int, top: int, plot_h: int, width: int, top_value: float) -> list[str]:
    """Horizontal grid lines at 0, half and the top of a column chart, with their values."""
    out = []
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{AXIS}">'
            f"{top_value * frac:g}</text>"
        )
    return out


def column_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 560,
    height: int = 220,
    color: str = BAR,
) -> SafeString:
    """Vertical columns over a category axis (months, duration buckets)."""
    left, bottom, top = 36, 40, 30
    plot_h = height - top - bottom
    n = max(1, len(items))
    slot = (width - left - 10) / n
    top_value = _nice_max(max((v for _, v in items), default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="11">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    parts.extend(_gridlines(left, top, plot_h, width, top_value))
    for i, (label, value) in enumerate(items):
        h = 0 if top_value == 0 else plot_h * value / top_value
        x = left + i * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{color}"><title>{escape(str(label))}: {value:g}</title></rect>'
        )
        if value:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h - h - 3:.1f}" '
                f'text-anchor="middle">{value:g}</text>'
            )
        step = max(1, math.ceil(58 / slot))  # room for a "2026-11" label
        if i % step == 0:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{_label(str(label), 10)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text part is escaped above)


def grouped_column_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    width: int = 560,
    height: int = 220,
    colors: Sequence[str] = (BAR, SECOND, "#1e7b34"),
) -> SafeString:
    """Columns side by side per category (e.g. planned vs done per month), with a legend."""
    left, bottom, top = 36, 40, 44
    plot_h = height - top - bottom
    n = max(1, len(labels))
    slot = (width - left - 10) / n
    k = max(1, len(series))
    top_value = _nice_max(max((v for _, vals in series for v in vals), default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="11">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    x_legend = float(left)
    for s, (name, _vals) in enumerate(series):
        color = colors[s % len(colors)]
        parts.append(
            f'<rect x="{x_legend:.1f}" y="24" width="10" height="10" fill="{color}"/>'
            f'<text x="{x_legend + 14:.1f}" y="33">{_label(str(name), 16)}</text>'
        )
        x_legend += 28 + 12 * len(str(name))
    parts.extend(_gridlines(left, top, plot_h, width, top_value))
    bar_w = slot * 0.8 / k
    for i, label in enumerate(labels):
        x0 = left + i * slot + slot * 0.1
        for s, (name, vals) in enumerate(series):
            value = vals[i] if i < len(vals) else 0
            h = 0 if top_value == 0 else plot_h * value / top_value
            parts.append(
                f'<rect x="{x0 + s * bar_w:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{bar_w * 0.92:.1f}" height="{h:.1f}" fill="{colors[s % len(colors)]}">'
                f"<title>{escape(str(label))} {escape(str(name))}: {value:g}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + slot * 0.4:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{_label(str(label), 10)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text part is escaped above)
