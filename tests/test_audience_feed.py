"""The audience and feed models: calibration bands, the CLI, engines against each other and exact answers."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import numpy as np
import polars as pl
import pytest

from helpers import audience, feed
from helpers.audience import AudienceParams, cascade_on_graph, independent_cascade, simulate_posts
from helpers.paths import PROJECT_ROOT
from helpers.platform_reach import Degrees
from helpers.population import Graph, focus_graph


@pytest.fixture(scope="module")
def at_500():
    return simulate_posts(500, AudienceParams.from_assumptions(), posts=40_000, seed=11).summary()


def test_typical_post_is_seen_by_10_to_15_percent_of_connections(at_500):
    assert 0.10 <= at_500["share_of_audience_seeing"] <= 0.15


def test_about_40_percent_of_views_come_from_beyond_the_first_degree(at_500):
    assert 0.30 <= 1 - at_500["share_views_1st_degree"] <= 0.50


def test_most_posts_spread_no_further_than_their_first_audience(at_500):
    assert 0.70 <= at_500["share_cascades_without_reshare"] <= 0.95


def test_same_seed_same_posts_and_views_grow_with_connections():
    params = AudienceParams.from_assumptions()
    a = simulate_posts(700, params, posts=3000, seed=5)
    b = simulate_posts(700, params, posts=3000, seed=5)
    assert np.array_equal(a.views, b.views)
    assert np.median(simulate_posts(2800, params, posts=3000, seed=5).views) > 3 * np.median(a.views)


def test_cli_prints_one_json_object_last():
    done = subprocess.run([sys.executable, "-m", "helpers.audience", "--connections", "500", "--seed", "3",
                           "--runs", "2000"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for key in ("median_views", "mean_views", "p_views_ge_1000", "share_views_1st_degree",
                "share_cascades_without_reshare"):
        assert isinstance(result[key], float), key
    again = subprocess.run([sys.executable, "-m", "helpers.audience", "--connections", "500", "--seed", "3",
                            "--runs", "2000"], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert again.stdout == done.stdout


def test_cli_refuses_sizes_beyond_the_cap():
    done = subprocess.run([sys.executable, "-m", "helpers.audience", "--connections", "40000"],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert done.returncode == 2 and "30,000" in done.stderr and "Traceback" not in done.stderr


def test_independent_cascade_exact_cases():
    path = Graph.from_networkx(nx.path_graph(6))
    assert independent_cascade(path, 0, 1.0, runs=5, seed=1).tolist() == [6] * 5
    assert independent_cascade(path, 0, 0.0, runs=5, seed=1).tolist() == [1] * 5
    # on a path from one end, the expected size is 1 + p + p^2 + ... + p^5
    p = 0.5
    sizes = independent_cascade(path, 0, p, runs=40_000, seed=2)
    expected = sum(p**i for i in range(6))
    assert abs(sizes.mean() - expected) < 4 * sizes.std() / np.sqrt(sizes.size)
    two = Graph.from_networkx(nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3)))
    assert independent_cascade(two, 0, 1.0, runs=3, seed=1).tolist() == [4, 4, 4]


def test_branching_process_agrees_with_the_cascade_on_a_generated_graph():
    rng = np.random.default_rng(3)
    n, k = 200_000, 400
    degrees = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(40), 0.8, n))), 3000).astype(np.int64)
    groups = rng.integers(0, n // 100, (n, 1))
    distribution = Degrees(0, 0, 0, values=degrees)
    alters = np.arange(1, k + 1)
    degrees[alters] = distribution.size_biased(k, rng).astype(np.int64)
    graph = focus_graph(degrees, groups, np.array([0.0]), ego=0, alters=alters, triadic=0.15, seed=1)
    params = AudienceParams.from_assumptions(reshare_rate=0.0, spill_degree_cap=1e9, follower_extra=0.0)
    on_graph = cascade_on_graph(graph, 0, params, runs=2000, seed=2)
    branching = simulate_posts(k, params, posts=20_000, seed=2, degrees=distribution)
    assert abs(branching.views.mean() / on_graph.views.mean() - 1) < 0.10
    assert abs(branching.summary()["share_views_1st_degree"] - on_graph.summary()["share_views_1st_degree"]) < 0.03


def test_even_odds_interpolates_in_log_size():
    table = pl.DataFrame({"connections": [1000, 4000], "p1000": [0.25, 0.75]})
    assert audience.even_odds(table) == 2000
    assert audience.even_odds(pl.DataFrame({"connections": [1000], "p1000": [0.1]})) is None


def test_audience_verdict_branches():
    def table(median_now, median_doubled, p, low, high):
        return pl.DataFrame({"connections": [500, 1000], "median": [float(median_now), float(median_doubled)], "p05": [1.0, 1.0],
                             "p95": [9.0, 9.0], "p1000": [p, p], "p1000_low": [low, low], "p1000_high": [high, high]})

    assert audience.judge_audience_model(table(50, 100, 0.01, 0.0, 0.02), 500).verdict == "supported"
    assert audience.judge_audience_model(table(50, 50.5, 0.01, 0.0, 0.02), 500).verdict == "not supported"
    assert audience.judge_audience_model(table(50, 53, 0.01, 0.0, 0.02), 500).verdict == "mixed"
    assert audience.judge_views_model(table(50, 100, 0.01, 0.005, 0.02)).verdict == "not supported"
    assert audience.judge_views_model(table(50, 100, 0.7, 0.6, 0.8)).verdict == "supported"
    assert audience.judge_views_model(table(50, 100, 0.5, 0.45, 0.55)).verdict == "mixed"


def test_own_calibration_recovers_a_known_scale():
    params = AudienceParams.from_assumptions()
    sizes = np.array([300, 600, 900, 1200] * 5)
    truth = 2.0
    impressions = np.array([np.median(simulate_posts(int(s), params, posts=4000, seed=9, scale=truth).views)
                            for s in sizes])
    assert abs(audience.fit_scale(sizes, impressions, params, seed=9) / truth - 1) < 0.15


def test_feed_shows_no_more_than_attention_allows_and_prefers_valuable_posts():
    params = feed.FeedParams.from_assumptions(ranker_noise_sd=0.0)
    small = feed.simulate_feed(feed.composition(100, 0.3, 0.3), params, days=500, seed=1)
    big = feed.simulate_feed(feed.composition(10_000, 0.3, 0.3), params, days=500, seed=1)
    attention = params.sessions_per_day * params.posts_per_session
    assert abs(small["seen"] - attention) < 0.5 and abs(big["seen"] - attention) < 0.5
    assert big["available"] > 10 * small["available"]
    assert big["mean_value_seen"] > small["mean_value_seen"]
    again = feed.simulate_feed(feed.composition(100, 0.3, 0.3), params, days=500, seed=1)
    assert again == small


def test_a_perfect_ranker_with_no_topic_spread_shows_only_the_best_source():
    params = feed.FeedParams.from_assumptions(ranker_noise_sd=0.0, topic_sd=0.0, out_of_network_per_day=0,
                                              engagements_per_day=0.0, poster_share=1.0, poster_rate_median=1.0)
    result = feed.simulate_feed({"colleague": 50, "same_function": 0, "other_connection": 500}, params, days=100, seed=2)
    assert result["low_affinity_share"] == 0.0 and result["mean_value_seen"] == pytest.approx(1.0)


def test_feed_verdict_branches():
    def curve(valuable, doubled, low, low_doubled):
        return pl.DataFrame({"connections": [500, 1000], "valuable_seen": [valuable, doubled], "seen": [6.0, 6.0],
                             "available": [50.0, 90.0], "low_affinity_share": [low, low_doubled]})

    assert feed.judge_more_content(curve(2.0, 2.5, 0.9, 0.9), 500).verdict == "supported"
    assert feed.judge_more_content(curve(2.0, 2.0, 0.9, 0.9), 500).verdict == "not supported"
    assert feed.judge_more_content(curve(2.0, 2.1, 0.9, 0.9), 500).verdict == "mixed"
    assert feed.judge_noise(curve(2, 2, 0.80, 0.85), 500).verdict == "supported"
    assert feed.judge_noise(curve(2, 2, 0.80, 0.78), 500).verdict == "not supported"
    assert feed.judge_noise(curve(2, 2, 0.80, 0.81), 500).verdict == "mixed"
    table = pl.DataFrame({"strategy": ["colleague", "random"], "valuable_per_added": [0.002, 0.001]})
    assert feed.judge_selective_feed(table).verdict == "supported"
    assert feed.judge_selective_feed(table.with_columns(pl.lit(0.001).alias("valuable_per_added"))).verdict == "mixed"


def test_at_the_cap_growth_claims_are_not_testable():
    from helpers import strategies

    table = pl.DataFrame({"connections": [30_000], "median": [1.0], "valuable_seen": [1.0], "second": [1.0],
                          "third": [1.0], "low_affinity_share": [0.5]})
    for judge in (audience.judge_audience_model, feed.judge_more_content, feed.judge_noise,
                  strategies.judge_growth, strategies.judge_visibility):
        verdict = judge(table, 30_000)
        assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence
