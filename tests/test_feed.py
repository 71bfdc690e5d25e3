"""The feed model: attention bounds what is seen, a perfect ranker's exact answer, and the verdict rules."""

from __future__ import annotations

import polars as pl
import pytest

from helpers import feed


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

    table = pl.DataFrame({"connections": [30_000], "valuable_seen": [1.0], "second": [1.0],
                          "third": [1.0], "low_affinity_share": [0.5]})
    for judge in (feed.judge_more_content, feed.judge_noise, strategies.judge_growth, strategies.judge_visibility):
        verdict = judge(table, 30_000)
        assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence
