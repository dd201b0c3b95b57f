"""The SVG charts: well-formed XML, the data in them, escaped text, graceful when empty."""

import xml.etree.ElementTree as ET

from serviceloop.earlywarning.documents import charts
from serviceloop.earlywarning.tests import factories as f

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    return root


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter() if t.tag in (f"{SVG}text", f"{SVG}title")]


def test_cusum_and_claims_charts_show_the_path_and_the_threshold():
    chart = f.claims_finding().chart
    cusum, rate = charts.alert_charts("warranty_claims", chart)
    root = _parse(cusum)
    texts = _texts(root)
    assert "h = 4.90" in texts
    assert any("MIS 5: CUSUM 6.30" in t for t in texts)
    assert len(root.findall(f".//{SVG}circle")) == 8  # observed months only
    assert [line for line in root.iter(f"{SVG}polyline") if line.get("stroke-dasharray")]
    assert any("13.20‰" in t for t in _texts(_parse(rate)))


def test_volume_chart_marks_the_change_point():
    chart = f.purchase_finding(1).chart
    (svg,) = charts.alert_charts("purchase_drop", chart)
    root = _parse(svg)
    bars = root.findall(f".//{SVG}rect")[1:]  # the first is the background
    assert len(bars) == 18
    assert any("2025-07" in t for t in _texts(root))  # change month label
    assert {b.get("fill") for b in bars[12:]} == {charts.ORANGE}


def test_ewma_chart_has_limits_and_flags_points_below():
    (svg,) = charts.alert_charts("satisfaction_survey", f.survey_finding(1).chart)
    root = _parse(svg)
    reds = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == charts.RED]
    assert len(reds) == 2  # the last two EWMA values lie below the lower limit
    assert any("EWMA 78.2" in t for t in _texts(root))


def test_pareto_and_weibull_plot():
    rows = f.claims_finding().evidence["pareto"]
    root = _parse(charts.pareto_chart(rows, prior={"漏油": 0.7}, highlight="异响"))
    texts = _texts(root)
    assert "漏油" in texts and "100%" in texts and any("before: 70%" in t for t in texts)
    fill = [r.get("fill") for r in root.iter(f"{SVG}rect")][1:]
    assert fill == [charts.BLUE, charts.RED, charts.BLUE]
    chart = {
        "type": "weibull",
        "groups": [{"label": "SA-2041", "points": [[1.5, 0.001], [3.5, 0.003], [6.5, 0.006]]}],
        "fit": {"shape": 1.3, "scale": 900.0, "cov_log": [[0.04, 0.01], [0.01, 0.09]]},
        "cohort_fit": {"shape": 1.1, "scale": 300.0},
    }
    root = _parse(charts.weibull_plot(chart))
    assert root.findall(f".//{SVG}polygon")  # the confidence band
    assert any("SA-2041: 3.5 → 0.3%" in t for t in _texts(root))
    assert any("β = 1.30" in t for t in _texts(root))


def test_text_is_escaped_and_empty_data_is_fine():
    rows = [
        {
            "mode": '<script>alert("x")</script>',
            "count": 3,
            "share": 1.0,
            "cumulative_share": 1.0,
            "vital_few": True,
        }
    ]
    svg = charts.pareto_chart(rows)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    _parse(svg)
    for empty in (
        charts.cusum_chart({"mis": [], "cusum": []}),
        charts.volume_chart({}),
        charts.ewma_chart({}),
        charts.weibull_plot({}),
        charts.pareto_chart([]),
    ):
        assert "No data to chart." in empty
        _parse(empty)
    assert charts.alert_charts("x", {}) == []


def test_nice_ticks():
    assert charts.nice_ticks(0, 4.9) == [0, 1, 2, 3, 4, 5]
    flat = charts.nice_ticks(0, 0)
    assert flat[0] == 0 and flat[-1] >= 1
    assert charts.nice_ticks(50.5, 91.2)[0] <= 50.5 and charts.nice_ticks(50.5, 91.2)[-1] >= 91.2
