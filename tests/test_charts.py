"""The model pages' shared shapes (``helpers.report.charts``, its model-pages block): counts in words, the
assumptions table, the robust verdicts and the robustness bar, the log-size band."""

from __future__ import annotations

import altair as alt
import polars as pl

from helpers.claims import Verdict
from helpers.report import charts


def test_counts_read_as_prose_writes_them():
    assert [charts.in_words(n) for n in (0, 11, 15, 20, 21, 82_168)] == ["zero", "eleven", "fifteen", "twenty", "21",
                                                                          "82,168"]
    assert charts.compared_with(338, 367) == "about the same as"
    assert charts.compared_with(0.088, 0.055) == "larger than" and charts.compared_with(1, 2) == "smaller than"


def test_the_assumptions_table_lists_every_prefix_in_turn(monkeypatch):
    shown = []
    monkeypatch.setattr(charts, "show_table", lambda frame, formats, titles: shown.append((frame, titles)))
    charts.show_assumptions("strategy.", "reach.focus")
    (frame, titles), = shown
    names = frame["assumption"].to_list()
    assert names[0] == "strategy.acceptance.colleague" and names[-1] == "reach.focus_cap"
    assert all(name.startswith(("strategy.", "reach.focus")) for name in names)
    assert {"value", "low", "high", "unit", "source"} <= set(frame.columns) and titles["source"] == "Source"


def test_robust_verdicts_carry_their_share_of_the_draws(capsys):
    table = pl.DataFrame({"draw": [0, 1, 2, 3], "claim": ["fof-exponential"] * 4, "verdict": ["supported"] * 3 + ["mixed"],
                          "x": [0.1, 0.2, 0.3, 0.4]})
    judged = charts.show_robust_verdicts([Verdict("fof-exponential", "supported", "evidence", {})], table)
    assert judged[0].details["robust_share"] == 0.75 and not judged[0].details["robust"]
    spec = charts.robustness_bar(table, judged).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert sorted((row["verdict"], row["draws"], row["same"]) for row in rows) == [("mixed", 1, False),
                                                                                ("supported", 3, True)]


def test_the_log_size_band_draws_a_band_a_line_and_the_marks():
    frame = pl.DataFrame({"connections": [100, 1000], "members": [10.0, 100.0], "low": [5.0, 50.0],
                          "high": [20.0, 200.0], "layer": ["2nd degree"] * 2})
    spec = charts.log_size_band(frame, y="members", y_title="Members", group="layer", title="t", subtitle="s",
                                marks={500: "500"}).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "line", "rule"]
    assert spec["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"


def test_the_impressions_histogram_is_on_a_log_scale_labelled_in_impressions():
    frame = pl.DataFrame({"impressions": [0, 120, 150, 900, 1_000, 1_100, 4_000, 25_000]})
    chart = charts.log_histogram(frame, "impressions", 1_000, title=alt.Title("t"), x_title="Impressions (log scale)",
                                 y_title="Posts")
    spec = chart.to_dict()
    bars, rule = spec["layer"]
    x = bars["encoding"]["x"]
    assert x["field"] == "impressions" and x["scale"]["type"] == "log" and "log10" not in x["title"]
    assert bars["mark"]["type"] == "rect" and bars["encoding"]["y2"] == {"datum": 0}  # bars stand on the axis
    assert x["axis"]["values"] == [1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0] and x["axis"]["format"] == ",.0f"
    rows = spec["datasets"][bars["data"]["name"]]
    assert sum(row["count"] for row in rows) == frame.height
    assert all(row["impressions"] < row["impressions_end"] for row in rows)
    assert next(r for r in rows if r["impressions"] <= 1_000 < r["impressions_end"])["count"] == 1
    assert spec["datasets"][rule["data"]["name"]] == [{"at": 1_000}]


def test_log_size_axes_keep_their_labels_apart_and_legends_fit_the_chart_width():
    frame = pl.DataFrame({"connections": [50, 10_000, 20_000, 30_000], "members": [10.0, 1e4, 2e4, 3e4],
                          "low": [5.0] * 4, "high": [4e4] * 4, "layer": ["2nd degree"] * 4, "scenario": ["kept"] * 4})
    band = charts.log_size_band(frame, y="members", y_title="Members", group="layer", title="t", subtitle="s").to_dict()
    lines = charts.size_lines(frame, y="members", y_title="Members", title="t").to_dict()
    for x in (band["layer"][0]["encoding"]["x"], lines["encoding"]["x"]):
        assert x["scale"]["type"] == "log" and x["axis"]["labelOverlap"] == "greedy"
        assert x["axis"]["labelSeparation"] >= 4 and x["axis"]["format"] == ","
    config = charts.report_theme()["config"]
    assert config["axis"]["labelOverlap"] == "greedy" and config["axis"]["labelSeparation"] >= 4
    legend = config["legend"]
    symbol_and_gap = 40
    assert legend["orient"] == "bottom"
    assert legend["columns"] * (legend["labelLimit"] + symbol_and_gap) <= config["view"]["continuousWidth"]


def test_the_published_figures_come_in_two_tables_narrow_enough_for_the_page(monkeypatch):
    shown = []
    monkeypatch.setattr(charts, "show_table", lambda frame, formats, titles: shown.append(frame))
    columns = ["id", "date", "connections", "members_then", "measure", "published", "model", "model_q05", "model_q95",
               "model_then", "published_third_share", "model_third_share", "model_then_third_share"]
    published = pl.DataFrame([["A", "2004-08", 157, 1e6, "2nd degree per connection", 825.0, 390.0, 185.0, 881.0, None,
                               0.406, 0.588, None],
                              ["Q", "2017-04", None, 5e8, "gain per added connection", 400.0, 249.0, 81.0, 803.0, None,
                               None, None, None]], schema=columns, orient="row")
    charts.show_published_beside_model(published)
    second, third = shown
    assert second.width <= 10 and third.width <= 6 and third["id"].to_list() == ["A"]
    assert set(second.columns) | set(third.columns) == set(columns)


def test_shares_a_few_points_apart_get_an_axis_fitted_to_them_not_zero_to_one():
    frame = pl.DataFrame({"connections": [500, 1_000, 2_000] * 2, "scenario": ["kept"] * 3 + ["indiscriminate"] * 3,
                          "noise_share": [0.962, 0.968, 0.975, 0.963, 0.971, 0.984], "fixed": [0.95] * 6})
    y = charts.size_lines(frame, y="noise_share", y_title="Share", title="t", share=True,
                          share_also=("fixed",)).to_dict()["encoding"]["y"]
    low, high = y["scale"]["domain"]
    assert y["scale"]["zero"] is False and y["axis"]["format"] == "%"
    assert 0.9 < low < 0.95 and 0.984 < high < 1.0
    assert (0.984 - 0.95) / (high - low) > 0.5  # the lines take most of the axis, not 4% of it
    assert charts.share_domain(pl.DataFrame({"s": [0.0, 1.0]}), ("s",)) == [0.0, 1.0]


def test_an_axis_of_shares_ends_on_a_labelled_tenth_past_every_bar():
    found = charts.share_axis([0.05, 0.38])  # 40% labelled, past the 38% bar, and no label dropped for overlap
    assert found["scale"].to_dict() == {"domain": [0.0, 0.4]}
    assert found["axis"].to_dict() == {"format": "%", "labelOverlap": False, "values": [0.0, 0.1, 0.2, 0.3, 0.4]}
    assert charts.share_axis([-0.11, 0.38])["axis"].to_dict()["values"] == [-0.2, 0.0, 0.2, 0.4]
    assert charts.share_axis([0.01])["scale"].to_dict() == {"domain": [0.0, 0.1]}


def test_the_chance_of_1000_chart_marks_and_labels_the_members_own_size():
    from helpers.report.audience_charts import chance_of_1000

    table = pl.DataFrame({"connections": [100, 500, 690, 1000, 30_000], "p1000": [0.04, 0.13, 0.16, 0.2, 0.71],
                          "p1000_low": [0.01, 0.06, 0.08, 0.1, 0.45], "p1000_high": [0.1, 0.22, 0.26, 0.3, 0.92]})
    spec = chance_of_1000(table, 690, "2026").to_dict()
    rows = [row for data in spec["datasets"].values() for row in data]
    assert {"connections": 690, "p1000": 0.16, "p1000_low": 0.08, "p1000_high": 0.26,
            "label": "you: 690 connections, 16%"} in rows
    assert {"connections": 500, "label": "500 connections"} in rows
    x = spec["layer"][0]["encoding"]["x"]
    assert x["scale"] == {"type": "log", "domain": [100, 30_000], "nice": False}  # every size, none beyond
