"""The page's tables: the blogger's baseline among members of his size, the parameter table from the posterior."""

from __future__ import annotations

import polars as pl
import pytest

from helpers.model.audience import AudienceModel
from helpers.model.audience_summaries import BLOGGER, blogger_baseline, parameter_table, replay


@pytest.fixture(scope="module")
def model():
    return AudienceModel.default(seed=5, year=2026)


def test_the_blogger_s_baseline_is_read_among_members_of_his_size_in_the_data_s_first_year():
    then = AudienceModel.default(seed=7, draws=200, year=BLOGGER["year"])
    baseline = blogger_baseline(then, seed=7)
    assert round(baseline["year_described"]) == 2021  # 2017 is before the members' data: their first year
    typical = then.author_typical(then.audience(connections=BLOGGER["connections"]))
    assert baseline["percentile"] == pytest.approx(float((typical < BLOGGER["views"]).mean()))
    assert baseline["author_q25"] < baseline["author_q50"] < baseline["author_q75"]
    # a post below most members' typical ones lowers the chance of his next one, never raises it
    below = baseline["percentile"] < 0.5
    assert (baseline["p1000_at_500_after"] < baseline["p1000_at_500"]) == below
    assert baseline["p1000_at_500_low"] <= baseline["p1000_at_500"] <= baseline["p1000_at_500_high"]
    table = replay([("none", [], [], then), ("his", [538], [357], then)], seed=7)
    assert table["p"].to_list() == pytest.approx([baseline["p1000_at_500"], baseline["p1000_at_500_after"]])


def test_the_parameter_table_reads_the_posterior(model):
    table = parameter_table(model)
    assert (table["low"] <= table["estimate"]).all() and (table["estimate"] <= table["high"]).all()
    if model.fit.drift == "returning":
        left = table.filter(pl.col("parameter").str.starts_with("Share of a member's level left"))
        assert left.height == 1 and 0 <= left["low"][0] <= left["high"][0] <= 1
