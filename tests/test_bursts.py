"""Connections made in bursts against the others (helpers.evidence.bursts): the split and the rule."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from helpers import rules
from helpers.evidence import bursts
from helpers.evidence.stats import TwoShares


def _split(burst: int, burst_messaged: int, other: int, other_messaged: int) -> TwoShares:
    return TwoShares(bursts.OTHERS, other_messaged, other, bursts.BURSTS, burst_messaged, burst)


def test_the_rule_can_come_out_every_way():
    assert bursts.judge_lower_quality(_split(400, 40, 400, 120)).verdict == "supported"
    assert bursts.judge_lower_quality(_split(400, 120, 400, 40)).verdict == "not supported"
    assert bursts.judge_lower_quality(_split(2000, 500, 2000, 510)).verdict == "not supported"  # within the margin
    assert bursts.judge_lower_quality(_split(30, 3, 30, 8)).verdict == "mixed"
    assert bursts.judge_lower_quality(_split(5, 1, 300, 40)).verdict == "not testable"
    assert bursts.judge_lower_quality(None, "no messages file").evidence == "no messages file"


def test_a_burst_is_a_week_of_at_least_burst_week_new_connections():
    monday = date(2024, 1, 1)
    burst_week = [monday + timedelta(days=i % 5) for i in range(bursts.BURST_WEEK)]
    quiet = [monday + timedelta(weeks=w) for w in range(2, 2 + 4)]  # one connection a week
    days = burst_week + quiet + [None]
    connections = pl.DataFrame({"connected_on": days, "is_ghost": [False] * len(days)},
                               schema={"connected_on": pl.Date, "is_ghost": pl.Boolean})
    messaged = [1, 0, 0, 0, 0] + [3, 2, 0, 0] + [9]  # the undated connection counts in neither group
    counts = pl.DataFrame({"connection": range(len(days)), "messages": messaged},
                          schema={"connection": pl.UInt32, "messages": pl.Int64})
    split = bursts.burst_split(connections, counts)
    assert split == TwoShares(bursts.OTHERS, 2, 4, bursts.BURSTS, 1, bursts.BURST_WEEK)
    assert split.table()["rate"].to_list() == [0.5, 1 / bursts.BURST_WEEK]
    difference, low, high = split.difference
    assert difference == 0.5 - 1 / bursts.BURST_WEEK and low < difference < high


def test_the_verdict_states_the_shared_difference_rule():
    verdict = bursts.judge_lower_quality(_split(300, 30, 300, 90))
    assert verdict.verdict == rules.difference(verdict.details["ci_low"], verdict.details["ci_high"])
    assert f"weeks of {bursts.BURST_WEEK} or more" in verdict.details["rule"]
