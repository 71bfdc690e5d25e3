"""What a report writes down for a later export (helpers.report.predictions)."""

from __future__ import annotations

import json

import polars as pl

from helpers.evidence.stats import TwoShares
from helpers.export import load_export
from helpers.paths import SAMPLE_EXPORT
from helpers.report import predictions


def test_records_round_to_what_they_claim_and_a_share_without_trials_is_not_predicted():
    record = predictions.prediction("x", "2027-01", 1234.5678, [1000.04, 1500.0], [800.123456, 2000], unit="u")
    assert record == {"id": "x", "about": "2027-01", "point": 1235.0, "interval_50": [1000.0, 1500.0],
                      "interval_90": [800.1, 2000.0], "unit": "u"}
    assert predictions.share_prediction("a", "b", 0, 0) is None
    with_note, without = predictions.acceptance(TwoShares("with a note", 30, 60, "without", 0, 0))
    assert without is None and with_note["point"] == 0.5 and with_note["trials"] == 60
    low50, high50 = with_note["interval_50"]
    low90, high90 = with_note["interval_90"]
    assert low90 < low50 < 0.5 < high50 < high90


def test_the_pages_records_are_gathered_in_page_order_with_the_exports_digests(tmp_path):
    export = load_export(SAMPLE_EXPORT)
    predictions.commit(tmp_path, "02-b", [predictions.prediction("b", "x", 2, [1, 3], [0, 4]), None])
    predictions.commit(tmp_path, "01-a", [predictions.prediction("a", "x", 1, [1, 1], [1, 1])])
    document = predictions.write(tmp_path, export, ["01-a", "02-b", "03-none"])
    assert [r["id"] for r in document["predictions"]] == ["a", "b"]
    assert json.loads((tmp_path / predictions.FILE).read_text()) == document
    other = export.connections.with_columns(pl.col("first_name").reverse())
    assert predictions.fingerprint(export) != predictions.fingerprint(
        type(export)(**{**export.__dict__, "connections": other}))


def test_only_the_next_milestone_sizes_a_table_holds_are_predicted():
    table = pl.DataFrame({"connections": [500, 702], "median": [300.0, 380.0], "p05": [30.0, 40.0],
                          "p25": [120.0, 150.0], "p75": [700.0, 900.0], "p95": [2500.0, 3000.0],
                          "p1000": [0.15, 0.2]})
    found = predictions.impressions(table, [702, 1053])
    assert [r["about"] for r in found] == ["702 connections"] and found[0]["p_at_least_1000"] == 0.2
    curve = pl.DataFrame({"connections": [702], "second_q50": [1.0]})
    assert predictions.second_degree(curve, 702) == []  # a curve without its joint draws' quartiles says nothing
