"""The audience model: it grows sublinearly, its author band sits inside the posts' band, same seed same draws,
years are read inside the members' data, the chance of 1,000 is the lognormal tail; and its command line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import numpy as np
import pytest

from audience_fixtures import fixed_model
from conftest import run_main

from helpers.model import assumptions, audience
from helpers.model.audience import AudienceModel
from helpers.model.audience_likelihood import YEAR_REF
from helpers.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def model():
    return AudienceModel.default(seed=5, year=2026)


# ---------------------------------------------------------------------------------------------
# The model


def test_impressions_grow_with_the_network_but_less_than_in_proportion(model):
    table = audience.views_table(model, [100, 1000, 10_000])
    medians = table["median"].to_numpy()
    assert (np.diff(medians) > 0).all()
    assert 1.5 < medians[1] / medians[0] < 9 and 1.5 < medians[2] / medians[1] < 9
    assert 0 < np.median(model.elasticity) < 1


def test_author_band_holds_the_spread_between_members_inside_the_posts_band(model):
    row = audience.views_table(model, [500]).row(0, named=True)
    assert row["p05"] < row["author_q05"] < row["author_q25"] < row["author_q75"] < row["author_q95"] < row["p95"]
    # members differ: half of them within a factor of about 2 either way of the middle, not within 10%
    assert row["author_q75"] / row["author_q25"] > 1.8


def test_small_accounts_get_reactions_and_reach_fewer_members_than_impressions(model):
    result = audience.predict(model, connections=500, seed=1)
    assert 1 <= result["median_reactions"] <= 50
    assert result["median_members_reached"] < result["median_views"]
    assert 0 < result["share_views_1st_degree"] < 1


def test_same_seed_same_draws_other_seed_other_draws():
    a, b, c = (AudienceModel.default(seed=s, year=2026) for s in (3, 3, 4))
    assert np.array_equal(a.parameters["mu"], b.parameters["mu"]) and np.array_equal(a.states.effects, b.states.effects)
    assert not np.array_equal(a.parameters["mu"], c.parameters["mu"])
    assert audience.predict(a, connections=700, seed=1) == audience.predict(b, connections=700, seed=1)


def test_pinning_an_assumption_keeps_the_other_draws(model):
    pinned = AudienceModel.default(seed=5, year=2026, fixed={"audience.follower_extra": 0.4})
    assert (pinned.follower_extra == 0.4).all()
    assert np.array_equal(pinned.parameters["b"], model.parameters["b"])
    assert np.array_equal(pinned.impressions_per_member, model.impressions_per_member)


def test_years_are_read_inside_the_members_data_with_the_year_trend():
    fit = audience.members_fit()
    early, late = (AudienceModel.default(seed=2, year=y) for y in (2010, 2017))
    assert early.described_year == late.described_year == pytest.approx(YEAR_REF + 0.5 + fit.year_range[0])
    now = AudienceModel.default(seed=2, year=2025)  # the middle of 2025 is the fit's year 0
    at = np.full(now.draws, 2000.0)
    shift = now.typical_log_impressions(at) - late.typical_log_impressions(at)
    trend = late.parameters["gamma"]
    assert shift == pytest.approx(-trend * fit.year_range[0])
    if "gamma" in fit.names:
        return  # the fit estimates its own year effect: the assumption is not used
    item = assumptions.load()["audience.year_effect"]  # carried as the assumption, over its range
    assert item.low <= trend.min() and trend.max() <= item.high
    low, mode, high = item.low, item.value, item.high  # drawn triangular about the value: its median
    median = (low + np.sqrt((high - low) * (mode - low) / 2) if mode >= (low + high) / 2
              else high - np.sqrt((high - low) * (high - mode) / 2))
    assert np.median(trend) == pytest.approx(median, abs=0.02)
    pinned = AudienceModel.default(seed=2, year=2025, fixed={"audience.year_effect": 0.0})
    at = np.full(pinned.draws, 2000.0)
    # no trend: the level is the members' own, read at their mean year, whatever year is asked
    assert np.array_equal(pinned.typical_log_impressions(at),
                          AudienceModel.default(seed=2, year=2012, fixed={"audience.year_effect": 0.0})
                          .typical_log_impressions(at))


def test_an_update_made_once_moves_with_the_year_trend_like_one_made_again():
    if "gamma" in audience.members_fit().names:
        pytest.skip("the committed fit estimates its own year effect: no assumed trend to pin")
    base = AudienceModel.default(seed=4, draws=200, year=2026)
    posts = audience.history_windows(np.full(12, 800.0), np.full(12, 600.0), 2022)
    once = base.updated(posts)
    pinned = AudienceModel.default(seed=4, draws=200, year=2026, fixed={"audience.year_effect": -0.6})
    moved, again = pinned.with_states_of(once), pinned.updated(posts)
    at = np.full(base.draws, 1000.0)
    assert np.median(moved.author_typical(at)) == pytest.approx(np.median(again.author_typical(at)), rel=0.03)
    assert np.median(moved.author_typical(at)) < 0.8 * np.median(once.author_typical(at))


def test_chance_of_1000_is_the_lognormal_tail():
    flat = fixed_model(0.0, 1000.0, spread=0.5)
    # typical post exactly 1,000 at every size: the chance is one half
    assert flat.p_at_least(np.full(flat.draws, 777.0)) == pytest.approx(np.full(flat.draws, 0.5))
    assert audience.even_odds(flat) == 1
    steep = fixed_model(1.0, 100.0)  # typical post = followers / 20: 1,000 at 20,000 followers
    assert audience.even_odds(steep) == pytest.approx(20_000, rel=1e-3)
    assert audience.even_odds(fixed_model(0.5, 10.0)) is None


# ---------------------------------------------------------------------------------------------
# The command line


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.model.audience", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=120)


def last_json(*args: str) -> dict:
    """The command's last line, run in this process (``main``, which ``python -m`` calls: the test above runs
    that once)."""
    done = run_main(audience.main, *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_cli_prints_one_json_object_last_with_the_issue_s_keys():
    done = run("--connections", "500", "--seed", "3", "--runs", "4000", "--year", "2026")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("median_views", "mean_views", "views_q10", "views_q90", "p_views_ge_1000", "median_reactions",
                "median_members_reached", "share_views_1st_degree", "author_typical_q05", "author_typical_q25",
                "author_typical_q75", "author_typical_q95"):
        assert isinstance(result[key], float), key
    assert result["views_q10"] < result["median_views"] < result["views_q90"]
    assert (result["author_typical_q05"] < result["author_typical_q25"] < result["author_typical_q50"]
            < result["author_typical_q75"] < result["author_typical_q95"])
    assert result["views_q05"] < result["author_typical_q05"] and result["author_typical_q95"] < result["views_q95"]
    assert run("--connections", "500", "--seed", "3", "--runs", "4000", "--year", "2026").stdout == done.stdout


def test_cli_year_history_and_followers():
    plain = last_json("--connections", "500", "--runs", "2000", "--year", "2026")
    assert plain["year"] == 2026
    default = last_json("--connections", "500", "--runs", "2000")
    assert default["year"] == date.today().year
    old = last_json("--connections", "500", "--runs", "2000", "--year", "2017")
    older = last_json("--connections", "500", "--runs", "2000", "--year", "2012")
    # years before the members' data are read as its first year
    assert old["median_views"] == older["median_views"] and old["year_described"] < 2022
    high = last_json("--connections", "500", "--runs", "2000", "--year", "2026", "--history-views", "5000",
                     "4000", "--history-connections", "300", "320")
    low = last_json("--connections", "500", "--runs", "2000", "--year", "2026", "--history-views", "20",
                    "--history-connections", "300")
    assert low["p_views_ge_1000"] < plain["p_views_ge_1000"] < high["p_views_ge_1000"]
    assert high["own_posts"] == 2
    followers = last_json("--followers", "20000", "--runs", "2000", "--year", "2026")
    assert followers["audience"] == 20000 and followers["median_views"] > plain["median_views"]
    assert followers["author_typical_q25"] > plain["author_typical_q25"]


@pytest.mark.parametrize("args, message", [
    (("--connections", "40000"), "30,000"),
    (("--connections", "500", "--history-views", "100"), "one --history-connections"),
    (("--connections", "500", "--followers", "600"), "not allowed with"),
    (("--connections", "500", "--year", "1999"), "--year"),
])
def test_cli_refuses_bad_arguments_clearly(args, message):
    done = run_main(audience.main, *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
