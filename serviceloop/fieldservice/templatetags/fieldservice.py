"""Template helpers of field service: small server-side SVG charts (no JavaScript, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _n(x: float) -> str:
    return f"{x:.1f}"


@register.simple_tag
def sparkline(values: Sequence[int], width: int = 96, height: int = 22):
    """Weekly counts as tiny bars, oldest left."""
    values = list(values or [])
    if not values:
        return ""
    top = max(max(values), 1)
    step = width / len(values)
    rows = []
    for i, v in enumerate(values):
        h = max(v / top * (height - 2), 1.0 if v else 0.5)
        rows.append((_n(i * step + 1), _n(height - h), _n(max(step - 2, 1)), _n(h), v))
    bars = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', rows
    )
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}">{}</svg>',
        width,
        height,
        width,
        height,
        " ".join(str(v) for v in values),
        bars,
    )


@register.simple_tag
def bar_chart(values: Sequence[int], labels: Sequence[str], height: int = 140):
    """A labelled bar chart (inline SVG) that scales to its container's width."""
    values = list(values or [])
    if not values:
        return ""
    top = max(max(values), 1)
    plot = height - 34
    rows = []
    for i, (v, label) in enumerate(zip(values, labels, strict=False)):
        h = v / top * plot
        x = i * 40 + 6
        rows.append(
            (
                x,
                _n(14 + plot - h),
                _n(h),
                label,
                v,
                x + 14,
                _n(12 + plot - h),
                v,
                x + 14,
                height - 4,
                label,
            )
        )
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="28" height="{}"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" class="v">{}</text><text x="{}" y="{}" class="l">{}</text>',
        rows,
    )
    return format_html(
        '<svg class="bars" viewBox="0 0 {} {}" role="img">{}</svg>',
        len(values) * 40,
        height,
        body,
    )
