"""The feed verdicts: each rule comes out every way on hand-made tables, and on the model with the assumptions;
robustness over joint draws of every feed assumption."""

from __future__ import annotations

import polars as pl
import pytest

from helpers.model import assumptions, feed_simulation, feed_verdicts, reach_verdicts
from helpers.model.judging import with_joint_robustness


def curves(articles=None, noise=None, candidates=None, size=500):
    """A two-scenario feed table; ``articles``, ``noise`` and ``candidates`` are {scenario: (now, doubled)}."""
    flat = {scenario: (1.0, 1.0) for scenario in feed_simulation.SCENARIOS}
    articles, noise = articles or flat, noise or {s: (0.7, 0.7) for s in feed_simulation.SCENARIOS}
    candidates = candidates or {s: (50.0, 100.0) for s in feed_simulation.SCENARIOS}
    rows = []
    for scenario in feed_simulation.SCENARIOS:
        for position, connections in enumerate((size, 2 * size)):
            rows.append({"connections": connections, "scenario": scenario, "seen_per_day": 5.6, "valuable_seen": 2.0,
                         "candidates_per_day": candidates[scenario][position], "share_promoted": 0.24,
                         "share_modules": 0.05, "share_suggested": 0.02, "articles_seen": articles[scenario][position],
                         "noise_share": noise[scenario][position]})
    return pl.DataFrame(rows)


def both(now, doubled):
    return {scenario: (now, doubled) for scenario in feed_simulation.SCENARIOS}


def test_more_content_rule_comes_out_each_way():
    assert feed_verdicts.judge_more_content(curves(articles=both(1.0, 1.2)), 500).verdict == "supported"
    assert feed_verdicts.judge_more_content(curves(articles=both(1.0, 1.0)), 500).verdict == "not supported"
    assert feed_verdicts.judge_more_content(curves(articles=both(1.0, 1.05)), 500).verdict == "mixed"
    # the scenarios disagree: growth with the make-up kept brings more, indiscriminate growth fewer
    split = {feed_simulation.SCENARIOS[0]: (1.0, 1.3), feed_simulation.SCENARIOS[1]: (1.0, 0.9)}
    verdict = feed_verdicts.judge_more_content(curves(articles=split), 500)
    assert verdict.verdict == "mixed" and verdict.details["ratio_indiscriminate"] == pytest.approx(0.9)
    assert feed_verdicts.judge_more_content(curves(articles=both(0.0, 0.0)), 500).verdict == "not testable"


def test_noise_rule_needs_more_updates_and_a_noisier_feed():
    assert feed_verdicts.judge_noise(curves(noise=both(0.70, 0.73)), 500).verdict == "supported"
    assert feed_verdicts.judge_noise(curves(noise=both(0.70, 0.68)), 500).verdict == "not supported"
    assert feed_verdicts.judge_noise(curves(noise=both(0.70, 0.71)), 500).verdict == "mixed"
    # noisier, but no more potential updates: the claim's mechanism fails
    flat_supply = both(50.0, 50.5)
    assert feed_verdicts.judge_noise(curves(noise=both(0.70, 0.75), candidates=flat_supply), 500).verdict == "not supported"
    # a few more updates only: not enough for the claim, not enough against it
    assert feed_verdicts.judge_noise(curves(noise=both(0.70, 0.75), candidates=both(50.0, 53.0)), 500).verdict == "mixed"
    careless = {feed_simulation.SCENARIOS[0]: (0.70, 0.68), feed_simulation.SCENARIOS[1]: (0.70, 0.76)}
    verdict = feed_verdicts.judge_noise(curves(noise=careless), 500)
    assert verdict.verdict == "mixed" and verdict.details["change_indiscriminate"] == pytest.approx(0.06)


def test_selective_growth_rule_comes_out_each_way():
    table = pl.DataFrame({"strategy": ["colleague", "random"], "valuable_per_added": [0.002, 0.001]})
    assert feed_verdicts.judge_selective_feed(table).verdict == "supported"
    assert feed_verdicts.judge_selective_feed(table.with_columns(pl.lit(0.001).alias("valuable_per_added"))).verdict == "mixed"
    assert feed_verdicts.judge_selective_feed(pl.DataFrame({"strategy": ["colleague", "random"],
                                                   "valuable_per_added": [0.001, 0.002]})).verdict == "not supported"


def test_the_models_verdicts_come_out_either_way_with_the_assumptions():
    member = feed_simulation.typical_composition(700)
    at_values = feed_verdicts.verdicts(member, 1_000, feed_simulation.FeedParams.from_assumptions(), days=730, seed=1)
    assert [v.verdict for v in at_values[:2]] == ["supported", "not supported"]
    # inside every range: a noisy ranker, keen on suggestions, with a high bar for what is worth choosing;
    # the network's added low-value posts push out the best suggestions, and the feed gets noisier
    noisy = feed_simulation.FeedParams.from_assumptions(ranker_noise_sd=1.0, suggested_penalty=2.4, valuable_above=1.2,
                                             topic_sd=0.3)
    assert feed_verdicts.verdicts(member, 1_000, noisy, days=730, seed=1)[1].verdict == "supported"
    # when surfaced posts worth reading already fill every slot, more of them cannot be seen
    saturated = feed_simulation.FeedParams.from_assumptions(**{"affinity.activity": 2.0})
    big = feed_verdicts.verdicts(feed_simulation.typical_composition(5_000), 10_000, saturated, days=730, seed=1)
    assert big[0].verdict == "not supported"


def test_feed_robustness_draws_every_feed_assumption_over_its_range():
    base = feed_simulation.composition(300, 0.2, 0.3)
    table = feed_verdicts.robustness(base, 500, days=60, seed=3, draws=8)
    assert table.height == 8 * 3 and set(feed_simulation.ASSUMPTIONS) <= set(table.columns)
    assert {"feed.valuable_above", "feed.affinity.activity", "feed.suggested_penalty"} <= set(feed_simulation.ASSUMPTIONS)
    drawn, spec = table["feed.valuable_above"], assumptions.load()["feed.valuable_above"]
    assert spec.low <= drawn.min() < drawn.max() <= spec.high
    verdict = with_joint_robustness(feed_verdicts.verdicts(base, 500, feed_simulation.FeedParams.from_assumptions(), days=60, seed=3)[0], table)
    assert 0 <= verdict.details["robust_share"] <= 1 and verdict.details["robust_draws"] == 8


def test_at_the_cap_growth_claims_are_not_testable():
    table = pl.DataFrame({"connections": [30_000], "scenario": [feed_simulation.SCENARIOS[0]], "valuable_seen": [1.0],
                          "articles_seen": [1.0], "second": [1.0], "third": [1.0], "noise_share": [0.5]})
    for judge in (feed_verdicts.judge_more_content, feed_verdicts.judge_noise, reach_verdicts.judge_growth, reach_verdicts.judge_visibility):
        verdict = judge(table, 30_000)
        assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence


def test_a_handful_of_connections_gives_not_testable_never_a_verdict_from_nothing():
    verdicts = feed_verdicts.verdicts(feed_simulation.composition(3, 0.0, 0.0), 6, feed_simulation.FeedParams.from_assumptions(), days=60, seed=1)
    assert [v.verdict for v in verdicts] == ["not testable"] * 3
    assert all("at least 20" in v.evidence for v in verdicts)


def test_model_figures_are_said_to_be_a_typical_members_of_the_size_not_the_members_own():
    from helpers.model.judging import TYPICAL_OF_YOUR_SIZE

    table = curves(articles=both(1.0, 2.0), noise=both(0.70, 0.80))
    for verdict in (feed_verdicts.judge_more_content(table, 500), feed_verdicts.judge_noise(table, 500)):
        assert verdict.verdict != "not testable" and verdict.evidence.startswith(f"In the model, for {TYPICAL_OF_YOUR_SIZE}")
        assert "You see" not in verdict.evidence and "your feed" not in verdict.evidence
