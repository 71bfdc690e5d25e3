"""The member's own posts: they move the author effect towards the truth, a capped list is read as LinkedIn
writes it, the update's check is calibrated, and the windows read a full list with Shares.csv and the total."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from audience_fixtures import capped_export_parts, fixed_model

from helpers.evidence import posts
from helpers.evidence.member import member_summary
from helpers.export import load_export
from helpers.model import assumptions, audience
from helpers.model.audience import AudienceModel
from helpers.model.audience_filter import HALF_YEAR, correlation, middle_year
from helpers.model.audience_likelihood import Window
from helpers.model.audience_own_posts import capped_list_example, coverage, member_posts, own_posts_table, own_windows
from helpers.model.audience_windows import read_as_complete
from helpers.paths import SAMPLE_EXPORT


@pytest.fixture(scope="module")
def model():
    return AudienceModel.default(seed=5, year=2026)


def test_own_posts_move_the_author_effect_towards_the_truth(model):
    rng = np.random.default_rng(2)
    truth = 1.0  # this member's posts do e^1 times the typical member's
    centre = float(np.median(model.typical_log_impressions(np.full(model.draws, 1500.0))))
    spread = float(np.median(model.states.spreads))
    posts = np.exp(centre + truth + rng.normal(0, spread, 40))
    windows = audience.history_windows(np.full(40, 1500 / 1.1), posts, model.year)
    then = model.updated(windows, at=middle_year(windows[0]))
    assert abs(np.median(then.states.effects) - truth) < 0.35
    assert np.std(then.states.effects) < np.std(model.states.effects) and then.own_posts == 40
    # half a year on, a returning drift has moved the level back towards the members' by its correlation
    later = model.updated(windows)
    left = correlation(np.exp(model.parameters["log_kappa"]), np.exp(model.parameters["log_tau"]),
                               HALF_YEAR)
    assert 0 < np.median(later.states.effects) < np.median(then.states.effects)
    assert np.mean(later.states.effects) == pytest.approx(np.mean(then.states.effects * left[:, None]), abs=0.05)
    assert np.median(later.own_share) < np.median(left)
    assert model.updated([]) is model


def test_a_capped_list_read_as_complete_overstates_a_member_and_read_as_capped_does_not(model):
    example = capped_list_example(model, seed=3)
    assert example["read_as_complete"] > 1.5 * example["truth"]
    assert example["listed_median"] > 2 * example["truth"]
    assert abs(np.log(example["read_with_censoring"] / example["truth"])) < np.log(1.4)


def test_coverage_of_later_posts_is_calibrated_on_posts_the_model_simulates():
    base = fixed_model(0.6, 500.0, spread=0.8, draws=100)
    rng = np.random.default_rng(7)
    network = np.linspace(400, 1200, 60)
    impressions = np.exp(np.log(500.0) + 0.6 * np.log(network / 2000) + 0.5 + rng.normal(0, 0.8, network.size))
    days = pl.date_range(pl.date(2025, 1, 1), pl.date(2025, 3, 1), eager=True)[:60]
    windows = [Window("you", str(i), d, d, f, f, np.log([v]), np.array([d], dtype="datetime64[D]"))
               for i, (d, f, v) in enumerate(zip(days, network, impressions))]
    table, summary = coverage(windows, base)
    assert summary["fitted_on"] == 30 and summary["tested_on"] == 30 and table.height == 30
    assert 0.3 <= summary["updated"]["in_50"] <= 0.75 and summary["updated"]["in_90"] >= 0.75


def test_own_windows_read_a_full_list_with_shares_and_the_total():
    made, merged, shares, posts = capped_export_parts()
    [window] = own_windows(posts, merged.windows, merged.listings, shares)
    assert window.log_cap == pytest.approx(np.log(merged.windows["impressions_min"][0]))
    assert window.listed == 50 and window.unlisted == len(made) - 50 and window.unlisted_complete
    listed = sum(sorted(p.impressions for p in made)[-50:])
    other = 1 - assumptions.value("audience.window_total_other")
    assert window.unlisted_total == pytest.approx(sum(p.impressions for p in made) * other - listed)
    # without Shares.csv the number of the others is unknown, bounded by the posting rate
    [blind] = own_windows(posts, merged.windows, merged.listings, None)
    assert not blind.unlisted_complete and blind.max_unlisted > 100


def test_the_update_on_a_full_list_reads_the_member_lower_than_the_list():
    model = AudienceModel.default(seed=5, draws=200, year=2025)  # the year the member's posts were made in
    made, merged, shares, posts = capped_export_parts(200)
    windows = own_windows(posts, merged.windows, merged.listings, shares)
    when = max(middle_year(w) for w in windows)  # the member's level while they made these posts
    capped = model.updated(windows, at=when)
    complete = model.updated([read_as_complete(w) for w in windows], at=when)
    truth = np.median([p.impressions for p in made])
    at = np.full(model.draws, 1500.0)
    assert np.median(complete.author_typical(at)) > 1.5 * np.median(capped.author_typical(at))
    assert abs(np.log(np.median(capped.author_typical(at)) / truth)) < np.log(1.4)


def test_the_member_summary_gives_the_windows_the_export_does():
    export = load_export(SAMPLE_EXPORT)
    own, windows = member_posts(member_summary(export))
    workbooks = export.analytics
    table = own_posts_table(posts.posts_with_network_size(workbooks.posts, export.connections, workbooks.followers,
                                                          workbooks.follower_total, workbooks.follower_total_on))
    assert own.equals(table) and own.height >= audience.MIN_OWN_POSTS
    direct = own_windows(table, workbooks.windows, workbooks.listings, export.shares["shared_at"].dt.date().drop_nulls())
    assert [(w.window, w.posts, w.unlisted, w.log_cap) for w in windows] == \
        [(w.window, w.posts, w.unlisted, w.log_cap) for w in direct] and windows
    bare = replace(member_summary(export), own_posts=None)
    assert member_posts(bare) == (None, [])
