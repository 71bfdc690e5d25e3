"""The feed's sources and slots, a noisy ranker, and what is seen."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.model import feed_simulation as feed


#: A network with no connections at all: only suggestions, promoted cards and modules can fill the feed.
NOBODY = {"colleague": 0, "same_function": 0, "other_connection": 0}


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


def test_the_members_days_drawn_once_give_what_each_network_drawn_alone_gives():
    """A member's sessions, slots and suggestions do not depend on the network: they are drawn once per
    parameters, days and seed and shared by the networks a page simulates, and every network's feed is the one it
    gets simulated first, alone; members of an average (their own seed sequences) keep their own days."""
    params = feed.FeedParams.from_assumptions()
    networks = [feed.typical_composition(size) for size in (80, 700, 5_000)]
    shared = [feed.simulate_feed(counts, params, days=200, seed=9) for counts in networks]
    alone = []
    for counts in networks:
        feed._member_days.cache_clear()
        alone.append(feed.simulate_feed(counts, params, days=200, seed=9))
    assert shared == alone
    assert len({round(run["share_promoted"] * run["seen_per_day"], 9) for run in shared}) == 1  # the same ads a day
    members = [feed.simulate_feed(networks[1], params, days=200, seed=child)
               for child in np.random.SeedSequence(9).spawn(2)]
    assert members[0] != members[1]


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


def test_indiscriminate_growth_adds_strangers_only():
    base = {"colleague": 100, "same_function": 50, "other_connection": 150}
    assert feed.grown(base, 600, "indiscriminate") == {"colleague": 100, "same_function": 50, "other_connection": 450}
    assert feed.grown(base, 600, "make-up kept") == {"colleague": 200, "same_function": 100, "other_connection": 300}
    assert feed.grown(base, 150, "indiscriminate") == {"colleague": 50, "same_function": 25, "other_connection": 75}
