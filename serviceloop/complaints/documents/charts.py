"""Small server-side SVG charts: now shared by every app in `serviceloop.core.charts`."""

from serviceloop.core.charts import column_chart, hbar_chart

__all__ = ["column_chart", "hbar_chart"]
