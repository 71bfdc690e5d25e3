"""Growing the member's network: with its make-up kept, and by each strategy's added connections; reading the
growth curves (the exponent, where the 3rd degree saturates)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from helpers.evidence.member import member_summary
from helpers.evidence.profile import CONNECTION_CAP, larger_network
from helpers.export import load_export
from helpers.model import assumptions, strategies
from helpers.paths import SAMPLE_EXPORT


@pytest.fixture(scope="module")
def member():
    return member_summary(load_export(SAMPLE_EXPORT))


def test_each_strategy_adds_connections_in_the_groups_it_names(member):
    rng = np.random.default_rng(1)
    fresh = int(member.companies.max()) + 1

    def added(strategy, count=200, weights=(0.3, 0.2)):
        return strategies.added_connections(member, strategy, count, rng, 1.0, fresh, weights)

    company, _, extra = added("colleague")
    assert (company == member.own_company).all() and (extra == 0).all()
    company, function, _ = added("same_title")
    assert (company >= fresh).all() and (function == member.own_function).all()
    company, _, extra = added("event")
    per_employer = assumptions.value("strategy.event_attendees_per_employer")
    assert np.unique(company).size <= 200 // per_employer and (extra == 1.0).all()
    # a friend of a friend knows at least the connection who introduced them, and shares its groups as often as
    # ties form through them: with no ties through groups, never
    company, _, extra = added("friend_of_friend", weights=(0.0, 0.0))
    assert (company >= fresh).all() and (extra == assumptions.value("strategy.friend_of_friend_ties")).all()
    company, _, _ = added("friend_of_friend", weights=(1.0, 0.0))
    assert np.isin(company, member.companies).all()
    with pytest.raises(ValueError, match="unknown strategy"):
        added("cold calls")


def test_a_grown_network_keeps_the_members_make_up(member):
    rng = np.random.default_rng(2)
    companies, functions = strategies.grown_network(member, 3 * member.connections, rng)
    assert companies.size == functions.size == 3 * member.connections
    assert (companies[: member.connections] == member.companies).all()
    share = (functions == member.own_function).mean()
    assert abs(share - member.same_function_share) < 0.05
    smaller, _ = strategies.grown_network(member, 100, rng)
    assert smaller.size == 100 and np.isin(smaller, member.companies).all()


def test_the_curve_is_read_from_50_connections_to_the_cap_and_at_the_members_sizes():
    sizes = strategies.curve_sizes(690)
    assert sizes[0] == strategies.CURVE_SIZES[0] and sizes[-1] == CONNECTION_CAP
    assert {690, larger_network(690)} <= set(sizes) and sizes == sorted(set(sizes))


def test_saturation_is_read_on_points_far_enough_apart_and_the_exponent_on_log_log():
    # a near-duplicate size (690, 700) cannot fake a slowdown
    grid = pl.DataFrame({"connections": [100, 690, 700, 1000, 2000, 4000],
                         "third": [1e7, 6e7, 5.9e7, 8e7, 1.2e8, 1.3e8]})
    assert strategies.saturation_starts(grid) == 2000
    line = pl.DataFrame({"connections": [10, 100, 1000], "second": [5.0, 50.0, 500.0]})
    assert strategies.growth_exponent(line, "second", 10, 1000) == pytest.approx(1.0)
    assert np.isnan(strategies.growth_exponent(line, "second", 10, 10))


def test_gains_are_counted_per_accepted_connection_and_per_invitation():
    gains = pl.DataFrame({"label": ["a"], "strategy": ["random"], "to": [1000], "second_per_accepted": [100.0],
                          "second_per_invitation": [10.0]})
    long = strategies.gains_long(gains)
    assert dict(zip(long["per"], long["gain"])) == {"per accepted connection": 100.0, "per invitation sent": 10.0}


def test_everyones_ties_form_as_a_typical_members_and_colleagues_share_their_circles():
    from helpers.model.platform import Platform, everyone_weights
    from helpers.model.scenarios import layer_sizes

    platform = Platform.from_assumptions()
    wide = platform.with_(colleague_share=0.35)
    # the weights are the platform's typical member's, whatever the member's own make-up
    assert strategies.focus_weights_by_setting([platform, wide]).tolist() == [list(everyone_weights(platform)),
                                                                                list(everyone_weights(wide))]
    assert everyone_weights(wide)[0] > everyone_weights(platform)[0]
    k = 300
    functions = np.arange(k) % 14
    apart = layer_sizes(np.arange(k), functions, platform, *everyone_weights(platform), runs=10, seed=3)
    together = layer_sizes(np.r_[np.zeros(150, dtype=int), np.arange(1, 151)], functions, platform,
                           *everyone_weights(platform), runs=10, seed=3)
    # half of them colleagues of one employer: their ties through it land in the same circle, so fewer new people
    # (the same random numbers in both: the difference is the make-up's)
    assert together.l2 < 0.99 * apart.l2


def test_a_members_own_shares_do_not_set_how_their_connections_ties_form(member):
    from dataclasses import replace

    from helpers.model.platform import Platform

    platform = Platform.from_assumptions()
    other = replace(member, colleague_share=0.9, same_function_share=0.9)  # the same connections, other shares
    sizes = [member.connections, 2 * member.connections]
    curves = [strategies.growth_curve(m, platform, sizes, runs=4, seed=1) for m in (member, other)]
    assert curves[0].equals(curves[1])
    gains = [strategies.strategy_gains_many(m, [platform], [member.connections + 100], runs=4, seed=1)[0]
             for m in (member, other)]
    assert gains[0].equals(gains[1]) and gains[0].height > 0
