"""The feed model: its sources and slots, the model beside the captured cards, the CLI, and the verdict rules."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import polars as pl
import pytest

from helpers.model import assumptions, feed
from helpers.paths import PROJECT_ROOT

#: A network with no connections at all: only suggestions, promoted cards and modules can fill the feed.
NOBODY = {"colleague": 0, "same_function": 0, "other_connection": 0}


def run_cli(capsys, *argv: str) -> tuple[int, list[str]]:
    code = feed.main(list(argv))
    return code, capsys.readouterr().out.strip().splitlines()


def test_cli_prints_one_json_object_whose_disjoint_kinds_sum_to_one(capsys):
    code, lines = run_cli(capsys, "--connections", "800", "--seed", "3", "--days", "300", "--members", "2")
    found = json.loads(lines[-1])
    assert code == 0 and found["connections"] == 800
    assert {"seen_per_day", "candidates_per_day", "connection_posts_per_day"} <= set(found)
    share = found["share_seen"]
    assert set(share) == {"first_degree", "followed", "activity", "activity_out_of_network", "suggested", "promoted",
                          "modules"}
    assert sum(share[kind] for kind in feed.KINDS) == pytest.approx(1.0, abs=1e-12)
    # out-of-network surfaced posts are a part of the surfaced posts, not a slice of their own
    assert 0 < share["activity_out_of_network"] < share["activity"]
    assert found["share_out_of_network"] == pytest.approx(share["activity_out_of_network"] + share["suggested"])
    assert "800 connections" in lines[0]


def test_cli_is_reproducible_by_seed_byte_for_byte(capsys):
    argv = ("--connections", "300", "--seed", "11", "--days", "200", "--members", "2")
    assert run_cli(capsys, *argv)[1][-1] == run_cli(capsys, *argv)[1][-1]
    assert run_cli(capsys, *argv[:3], "12", *argv[4:])[1][-1] != run_cli(capsys, *argv)[1][-1]


def test_cli_refuses_sizes_linkedin_does_not_allow(capsys):
    for size in ("0", "30001"):
        with pytest.raises(SystemExit) as stop:
            feed.main(["--connections", size])
        assert stop.value.code == 2 and "between 1 and 30,000" in capsys.readouterr().err


def test_feed_shows_what_attention_allows_and_prefers_valuable_posts():
    params = feed.FeedParams.from_assumptions(ranker_noise_sd=0.0)
    small = feed.simulate_feed(feed.typical_composition(100), params, days=2000, seed=1)
    big = feed.simulate_feed(feed.typical_composition(10_000), params, days=2000, seed=1)
    attention = params.sessions_per_day * params.posts_per_session
    assert abs(small["seen_per_day"] - attention) < 0.4 and abs(big["seen_per_day"] - attention) < 0.4
    assert big["candidates_per_day"] > 50 * small["candidates_per_day"]
    assert big["mean_value_seen"] > small["mean_value_seen"] - 0.5  # suggestions keep a small network's feed full
    assert big["valuable_seen"] > 0


def test_the_same_seed_gives_the_same_feed_and_another_seed_another():
    params = feed.FeedParams.from_assumptions()
    counts = feed.typical_composition(700)
    first = feed.simulate_feed(counts, params, days=300, seed=5)
    assert feed.simulate_feed(counts, params, days=300, seed=5) == first
    assert feed.simulate_feed(counts, params, days=300, seed=6) != first


def test_promoted_cards_take_fixed_positions_whatever_the_network():
    # sessions of 1, 2, 6, 7 and 12 cards: an ad at 2, then at 2 + floor(i * 4.6) = 6, 11, ...
    assert feed.session_slots(np.array([1, 2, 5, 6, 10, 11, 12]), 2, 4.6).tolist() == [0, 1, 1, 2, 2, 3, 3]
    params = feed.FeedParams.from_assumptions()
    promoted = {size: feed.simulate_feed(feed.typical_composition(size), params, days=400, seed=2)
                for size in (50, 5_000)}
    # the member's sessions do not depend on the network: the same seed gives the very same ad slots
    cards = {size: f["share_promoted"] * f["seen_per_day"] for size, f in promoted.items()}
    assert cards[50] == pytest.approx(cards[5_000], rel=1e-12)
    # one ad per session, at position 2, when the spacing is longer than any session
    lone = feed.simulate_feed(NOBODY, params.with_("ad_spacing", 1e6).with_("module_share", 0.0), days=3000, seed=4)
    per_session = lone["share_promoted"] * lone["seen_per_day"] / params.sessions_per_day
    share_two_or_more = 1 - np.exp(-(params.posts_per_session - 1))
    assert per_session == pytest.approx(share_two_or_more, rel=0.05)


def test_suggestions_fill_what_the_network_does_not():
    params = feed.FeedParams.from_assumptions()
    empty = feed.simulate_feed(NOBODY, params, days=500, seed=3)
    assert empty["share_suggested"] == pytest.approx(1 - empty["share_promoted"] - empty["share_modules"])
    assert empty["candidates_per_day"] == 0 and empty["share_first_degree"] == 0
    shares = [feed.simulate_feed(feed.typical_composition(size), params, days=1500, seed=3)["share_suggested"]
              for size in (30, 300, 3_000, 30_000)]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0.4 and shares[-1] < 0.01
    # a ranker that scores suggestions far below their value shows none while the network has posts to show
    shunned = feed.simulate_feed(feed.typical_composition(3_000), params.with_("suggested_penalty", 50.0), days=300,
                                 seed=3)
    assert shunned["share_suggested"] == 0


def test_the_out_of_network_share_falls_as_the_network_grows():
    params = feed.FeedParams.from_assumptions()
    shares = [feed.average_feed(feed.typical_composition(size), params, days=600, seed=8, members=3)
              ["share_out_of_network"] for size in (100, 1_000, 5_000)]
    assert shares[0] > shares[1] > shares[2]


def test_a_surfaced_posts_author_is_a_connection_as_often_as_the_reach_models_clustering_closes_ties():
    params = feed.FeedParams.from_assumptions()
    # a connection of a 300-connection member knows c(300) * 299 of the others, out of its own other ties
    shares = [params.first_degree_author_share(size) for size in (100, 300, 2_400)]
    assert shares[0] < shares[1] < shares[2] < 0.9
    more_clustered = params.with_("clustering_at_100", 2 * params.clustering_at_100)
    assert more_clustered.first_degree_author_share(300) == pytest.approx(2 * shares[1], rel=1e-9)
    # with every author a page or a connection, nothing surfaced comes from outside the network
    every_author_inside = params.with_("activity_page_share", 1.0)
    inside = feed.simulate_feed(feed.typical_composition(500), every_author_inside, days=200, seed=1)
    assert inside["share_activity_out_of_network"] == 0 and inside["share_activity"] > 0


def test_a_perfect_ranker_with_no_topic_spread_shows_only_the_best_source():
    params = feed.FeedParams.from_assumptions(ranker_noise_sd=0.0, topic_sd=0.0, followed_per_connection=0.0,
                                              activity_per_connection=0.0, poster_share=1.0, poster_rate_sigma=0.01,
                                              posts_per_connection=1.0, suggested_penalty=10.0)
    result = feed.simulate_feed({"colleague": 50, "same_function": 0, "other_connection": 500}, params, days=100, seed=2)
    assert result["mean_value_seen"] == pytest.approx(params.affinity[feed.SOURCES.index("colleague")])
    assert result["share_suggested"] == 0


def test_noise_is_what_the_member_would_not_have_chosen():
    params = feed.FeedParams.from_assumptions()
    counts = feed.typical_composition(1_000)
    everything_valuable = feed.simulate_feed(counts, params.with_("valuable_above", -100.0), days=300, seed=9)
    assert everything_valuable["noise_share"] == pytest.approx(everything_valuable["share_promoted"]
                                                               + everything_valuable["share_modules"])
    nothing_valuable = feed.simulate_feed(counts, params.with_("valuable_above", 100.0), days=300, seed=9)
    assert nothing_valuable["noise_share"] == 1.0 and nothing_valuable["articles_seen"] == 0


def curves(articles=None, noise=None, candidates=None, size=500):
    """A two-scenario feed table; ``articles``, ``noise`` and ``candidates`` are {scenario: (now, doubled)}."""
    flat = {scenario: (1.0, 1.0) for scenario in feed.SCENARIOS}
    articles, noise = articles or flat, noise or {s: (0.7, 0.7) for s in feed.SCENARIOS}
    candidates = candidates or {s: (50.0, 100.0) for s in feed.SCENARIOS}
    rows = []
    for scenario in feed.SCENARIOS:
        for position, connections in enumerate((size, 2 * size)):
            rows.append({"connections": connections, "scenario": scenario, "seen_per_day": 5.6, "valuable_seen": 2.0,
                         "candidates_per_day": candidates[scenario][position], "share_promoted": 0.24,
                         "share_modules": 0.05, "share_suggested": 0.02, "articles_seen": articles[scenario][position],
                         "noise_share": noise[scenario][position]})
    return pl.DataFrame(rows)


def both(now, doubled):
    return {scenario: (now, doubled) for scenario in feed.SCENARIOS}


def test_more_content_rule_comes_out_each_way():
    assert feed.judge_more_content(curves(articles=both(1.0, 1.2)), 500).verdict == "supported"
    assert feed.judge_more_content(curves(articles=both(1.0, 1.0)), 500).verdict == "not supported"
    assert feed.judge_more_content(curves(articles=both(1.0, 1.05)), 500).verdict == "mixed"
    # the scenarios disagree: growth with the make-up kept brings more, indiscriminate growth fewer
    split = {feed.SCENARIOS[0]: (1.0, 1.3), feed.SCENARIOS[1]: (1.0, 0.9)}
    verdict = feed.judge_more_content(curves(articles=split), 500)
    assert verdict.verdict == "mixed" and verdict.details["ratio_indiscriminate"] == pytest.approx(0.9)
    assert feed.judge_more_content(curves(articles=both(0.0, 0.0)), 500).verdict == "not testable"


def test_noise_rule_needs_more_updates_and_a_noisier_feed():
    assert feed.judge_noise(curves(noise=both(0.70, 0.73)), 500).verdict == "supported"
    assert feed.judge_noise(curves(noise=both(0.70, 0.68)), 500).verdict == "not supported"
    assert feed.judge_noise(curves(noise=both(0.70, 0.71)), 500).verdict == "mixed"
    # noisier, but no more potential updates: the claim's mechanism fails
    flat_supply = both(50.0, 50.5)
    assert feed.judge_noise(curves(noise=both(0.70, 0.75), candidates=flat_supply), 500).verdict == "not supported"
    # a few more updates only: not enough for the claim, not enough against it
    assert feed.judge_noise(curves(noise=both(0.70, 0.75), candidates=both(50.0, 53.0)), 500).verdict == "mixed"
    careless = {feed.SCENARIOS[0]: (0.70, 0.68), feed.SCENARIOS[1]: (0.70, 0.76)}
    verdict = feed.judge_noise(curves(noise=careless), 500)
    assert verdict.verdict == "mixed" and verdict.details["change_indiscriminate"] == pytest.approx(0.06)


def test_selective_growth_rule_comes_out_each_way():
    table = pl.DataFrame({"strategy": ["colleague", "random"], "valuable_per_added": [0.002, 0.001]})
    assert feed.judge_selective_feed(table).verdict == "supported"
    assert feed.judge_selective_feed(table.with_columns(pl.lit(0.001).alias("valuable_per_added"))).verdict == "mixed"
    assert feed.judge_selective_feed(pl.DataFrame({"strategy": ["colleague", "random"],
                                                   "valuable_per_added": [0.001, 0.002]})).verdict == "not supported"


def test_the_models_verdicts_come_out_either_way_with_the_assumptions():
    member = feed.typical_composition(700)
    at_values = feed.verdicts(member, 1_000, feed.FeedParams.from_assumptions(), days=730, seed=1)
    assert [v.verdict for v in at_values[:2]] == ["supported", "not supported"]
    # inside every range: a noisy ranker, keen on suggestions, with a high bar for what is worth choosing;
    # the network's added low-value posts push out the best suggestions, and the feed gets noisier
    noisy = feed.FeedParams.from_assumptions(ranker_noise_sd=1.0, suggested_penalty=2.4, valuable_above=1.2,
                                             topic_sd=0.3)
    assert feed.verdicts(member, 1_000, noisy, days=730, seed=1)[1].verdict == "supported"
    # when surfaced posts worth reading already fill every slot, more of them cannot be seen
    saturated = feed.FeedParams.from_assumptions(**{"affinity.activity": 2.0})
    big = feed.verdicts(feed.typical_composition(5_000), 10_000, saturated, days=730, seed=1)
    assert big[0].verdict == "not supported"


def test_indiscriminate_growth_adds_strangers_only():
    base = {"colleague": 100, "same_function": 50, "other_connection": 150}
    assert feed.grown(base, 600, "indiscriminate") == {"colleague": 100, "same_function": 50, "other_connection": 450}
    assert feed.grown(base, 600, "make-up kept") == {"colleague": 200, "same_function": 100, "other_connection": 300}
    assert feed.grown(base, 150, "indiscriminate") == {"colleague": 50, "same_function": 25, "other_connection": 75}


def test_feed_robustness_draws_every_feed_assumption_over_its_range():
    from helpers.model.judging import with_joint_robustness

    base = feed.composition(300, 0.2, 0.3)
    table = feed.robustness(base, 500, days=60, seed=3, draws=8)
    assert table.height == 8 * 3 and set(feed.ASSUMPTIONS) <= set(table.columns)
    assert {"feed.valuable_above", "feed.affinity.activity", "feed.suggested_penalty"} <= set(feed.ASSUMPTIONS)
    drawn, spec = table["feed.valuable_above"], assumptions.load()["feed.valuable_above"]
    assert spec.low <= drawn.min() < drawn.max() <= spec.high
    verdict = with_joint_robustness(feed.verdicts(base, 500, feed.FeedParams.from_assumptions(), days=60, seed=3)[0], table)
    assert 0 <= verdict.details["robust_share"] <= 1 and verdict.details["robust_draws"] == 8


def test_at_the_cap_growth_claims_are_not_testable():
    from helpers.model import strategies

    table = pl.DataFrame({"connections": [30_000], "scenario": [feed.SCENARIOS[0]], "valuable_seen": [1.0],
                          "articles_seen": [1.0], "second": [1.0], "third": [1.0], "noise_share": [0.5]})
    for judge in (feed.judge_more_content, feed.judge_noise, strategies.judge_growth, strategies.judge_visibility):
        verdict = judge(table, 30_000)
        assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence


def test_a_handful_of_connections_gives_not_testable_never_a_verdict_from_nothing():
    verdicts = feed.verdicts(feed.composition(3, 0.0, 0.0), 6, feed.FeedParams.from_assumptions(), days=60, seed=1)
    assert [v.verdict for v in verdicts] == ["not testable"] * 3
    assert all("at least 20" in v.evidence for v in verdicts)


def test_the_captured_cards_add_up_and_their_intervals_hold_their_shares():
    shares = feed.captured_shares()
    disjoint = shares.filter(pl.col("kind").is_in(feed.KINDS))
    assert int(disjoint["cards"].sum()) == 63 and set(disjoint["of"]) == {63}
    assert int(feed.captured_shares("past_first_page").filter(pl.col("kind").is_in(feed.KINDS))["cards"].sum()) == 43
    assert (shares["low"] < shares["share"]).all() and (shares["share"] < shares["high"]).all()
    authors = feed.captures().filter(pl.col("kind").str.starts_with("activity_author_"))
    assert int(authors["all_cards"].sum()) == 24  # every surfaced card has one author


def test_every_calibrated_constant_says_what_it_was_calibrated_to():
    for name in {entry.split(" ")[0] for entry in feed.CALIBRATED.values()} | {"feed.activity_page_share"}:
        assert assumptions.load()[name].source.startswith("Calibrated: "), name
    assert not assumptions.load()["feed.posts_per_connection"].source.startswith("Calibrated")


def test_the_model_beside_the_captures_passes_every_target_at_its_defaults(capsys):
    code, lines = run_cli(capsys, "--validate")
    targets = [line for line in lines if line.startswith(("PASS", "FAIL"))]
    assert code == 0 and lines[-1] == f"{len(targets)} of {len(targets)} targets pass" and len(targets) == 20
    assert any("at 5,000 connections: connections' posts a day" in line for line in targets)
    assert sum("share of cards" in line for line in targets) == 2 * (len(feed.SHARE_KEYS) + 1)


def test_a_failing_target_fails_the_validation():
    params = feed.FeedParams.from_assumptions(ad_spacing=1.0)
    table = feed.validation(feed.reference_feeds(feed.typical_composition(690), seed=1, days=200, members=1,
                                                 params=params), params)
    promoted = table.filter(pl.col("check").str.contains("promoted") & pl.col("target"))
    assert not promoted["passes"].any() and not feed.print_validation(table, file=open("/dev/null", "w"))


def test_the_feed_tables_are_tracked_by_git():
    done = subprocess.run(["git", "check-ignore", "data/feed_captures.csv", "data/feed_figures.csv"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True)
    if done.returncode == 128:
        pytest.skip("not a git checkout")
    assert done.stdout == ""
