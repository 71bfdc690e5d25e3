"""The feed model beside real feeds: the captured cards and their intervals, what each calibrated constant was
set from, and a failing target failing the validation."""

from __future__ import annotations

import subprocess

import polars as pl
import pytest

from helpers.model import assumptions, feed_simulation, feed_validation
from helpers.paths import PROJECT_ROOT


def test_the_captured_cards_add_up_and_their_intervals_hold_their_shares():
    shares = feed_validation.captured_shares()
    disjoint = shares.filter(pl.col("kind").is_in(feed_simulation.KINDS))
    assert int(disjoint["cards"].sum()) == 63 and set(disjoint["of"]) == {63}
    assert int(feed_validation.captured_shares("past_first_page").filter(pl.col("kind").is_in(feed_simulation.KINDS))["cards"].sum()) == 43
    assert (shares["low"] < shares["share"]).all() and (shares["share"] < shares["high"]).all()
    authors = feed_validation.captures().filter(pl.col("kind").str.starts_with("activity_author_"))
    assert int(authors["all_cards"].sum()) == 24  # every surfaced card has one author


def test_every_calibrated_constant_says_what_it_was_calibrated_to():
    for name in {entry.split(" ")[0] for entry in feed_validation.CALIBRATED.values()} | {"feed.activity_page_share"}:
        assert assumptions.load()[name].source.startswith("Calibrated: "), name
    assert not assumptions.load()["feed.posts_per_connection"].source.startswith("Calibrated")


def test_a_failing_target_fails_the_validation():
    params = feed_simulation.FeedParams.from_assumptions(ad_spacing=1.0)
    table = feed_validation.validation(feed_validation.reference_feeds(feed_simulation.typical_composition(690), seed=1, days=200, members=1,
                                                 params=params), params)
    promoted = table.filter(pl.col("check").str.contains("promoted") & pl.col("target"))
    assert not promoted["passes"].any() and not feed_validation.print_validation(table, file=open("/dev/null", "w"))


def test_the_feed_tables_are_tracked_by_git():
    done = subprocess.run(["git", "check-ignore", "data/feed_captures.csv", "data/feed_figures.csv"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    if done.returncode == 128:
        pytest.skip("not a git checkout")
    assert done.stdout == ""
