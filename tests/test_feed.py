"""The feed model: attention bounds what is seen, a perfect ranker's exact answer, and the verdict rules."""

from __future__ import annotations

import polars as pl
import pytest

from helpers.model import feed


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


def curves(articles, low, size=500):
    """A two-scenario feed table: ``articles`` and ``low`` are {scenario: (now, doubled)}."""
    rows = []
    for scenario in feed.SCENARIOS:
        for position, connections in enumerate((size, 2 * size)):
            rows.append({"connections": connections, "scenario": scenario, "seen": 6.0, "available": 50.0 * (1 + position),
                         "valuable_seen": 2.0, "articles_seen": articles[scenario][position],
                         "low_affinity_share": low[scenario][position]})
    return pl.DataFrame(rows)


def both(now, doubled):
    return {scenario: (now, doubled) for scenario in feed.SCENARIOS}


def test_feed_verdict_branches():
    flat = both(0.8, 0.8)
    assert feed.judge_more_content(curves(both(1.0, 1.2), flat), 500).verdict == "supported"
    assert feed.judge_more_content(curves(both(1.0, 1.0), flat), 500).verdict == "not supported"
    assert feed.judge_more_content(curves(both(1.0, 1.05), flat), 500).verdict == "mixed"
    # the scenarios disagree: growth with the make-up kept brings more, indiscriminate growth fewer
    split = {feed.SCENARIOS[0]: (1.0, 1.3), feed.SCENARIOS[1]: (1.0, 0.9)}
    verdict = feed.judge_more_content(curves(split, flat), 500)
    assert verdict.verdict == "mixed" and verdict.details["ratio_indiscriminate"] == pytest.approx(0.9)
    same = both(1.0, 1.0)
    assert feed.judge_noise(curves(same, both(0.80, 0.85)), 500).verdict == "supported"
    assert feed.judge_noise(curves(same, both(0.80, 0.78)), 500).verdict == "not supported"
    assert feed.judge_noise(curves(same, both(0.80, 0.81)), 500).verdict == "mixed"
    noisier_if_careless = {feed.SCENARIOS[0]: (0.80, 0.78), feed.SCENARIOS[1]: (0.80, 0.86)}
    assert feed.judge_noise(curves(same, noisier_if_careless), 500).verdict == "mixed"
    table = pl.DataFrame({"strategy": ["colleague", "random"], "valuable_per_added": [0.002, 0.001]})
    assert feed.judge_selective_feed(table).verdict == "supported"
    assert feed.judge_selective_feed(table.with_columns(pl.lit(0.001).alias("valuable_per_added"))).verdict == "mixed"
    assert feed.judge_selective_feed(pl.DataFrame({"strategy": ["colleague", "random"],
                                                   "valuable_per_added": [0.001, 0.002]})).verdict == "not supported"


def test_indiscriminate_growth_adds_strangers_only():
    base = {"colleague": 100, "same_function": 50, "other_connection": 150}
    assert feed.grown(base, 600, "indiscriminate") == {"colleague": 100, "same_function": 50, "other_connection": 450}
    assert feed.grown(base, 600, "make-up kept") == {"colleague": 200, "same_function": 100, "other_connection": 300}
    assert feed.grown(base, 150, "indiscriminate") == {"colleague": 50, "same_function": 25, "other_connection": 75}


def test_low_affinity_is_a_fixed_set_of_sources_whatever_the_affinities():
    params = feed.FeedParams.from_assumptions(ranker_noise_sd=0.0, topic_sd=0.0, out_of_network_per_day=0,
                                              engagements_per_day=0.0, poster_share=1.0, poster_rate_median=1.0,
                                              **{"affinity.other_connection": 2.0})
    result = feed.simulate_feed({"colleague": 50, "same_function": 0, "other_connection": 500}, params, days=50, seed=2)
    # other connections now outrank colleagues, and they still count as low affinity
    assert result["low_affinity_share"] == 1.0


def test_feed_robustness_draws_every_feed_assumption_over_its_range():
    from helpers.model.judging import with_joint_robustness

    base = feed.composition(300, 0.2, 0.3)
    table = feed.robustness(base, 500, days=60, seed=3, draws=8)
    assert table.height == 8 * 3 and set(feed.ASSUMPTIONS) <= set(table.columns)
    verdict = with_joint_robustness(feed.verdicts(base, 500, feed.FeedParams.from_assumptions(), days=60, seed=3)[0], table)
    assert 0 <= verdict.details["robust_share"] <= 1 and verdict.details["robust_draws"] == 8


def test_at_the_cap_growth_claims_are_not_testable():
    from helpers.model import strategies

    table = pl.DataFrame({"connections": [30_000], "scenario": [feed.SCENARIOS[0]], "valuable_seen": [1.0],
                          "articles_seen": [1.0], "second": [1.0], "third": [1.0], "low_affinity_share": [0.5]})
    for judge in (feed.judge_more_content, feed.judge_noise, strategies.judge_growth, strategies.judge_visibility):
        verdict = judge(table, 30_000)
        assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence


def test_a_handful_of_connections_gives_not_testable_never_a_verdict_from_nothing():
    verdicts = feed.verdicts(feed.composition(3, 0.0, 0.0), 6, feed.FeedParams.from_assumptions(), days=60, seed=1)
    assert [v.verdict for v in verdicts] == ["not testable"] * 3
    assert all("at least 20" in v.evidence for v in verdicts)
    nothing = curves(both(0.0, 0.0), both(0.5, 0.5))
    assert feed.judge_more_content(nothing, 500).verdict == "not testable"
