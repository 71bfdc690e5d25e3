"""The reach verdicts on the sample's member: the same figures as the page's curve, and robustness over joint
draws of every reach and strategy assumption and the fitted laws."""

from __future__ import annotations

import polars as pl

from helpers.evidence import profile
from helpers.evidence.member import member_summary
from helpers.export import load_export
from helpers.model import reach_verdicts, strategies
from helpers.model.judging import with_joint_robustness
from helpers.model.platform import Platform
from helpers.paths import SAMPLE_EXPORT


def test_the_members_size_now_has_one_figure_in_every_table_and_verdict():
    """The page's growth chart, its text and the verdicts quote the same 2nd degree for the member now."""
    platform = Platform.from_assumptions()
    member = member_summary(load_export(SAMPLE_EXPORT))
    k = member.connections
    chart = strategies.growth_curve(member, platform, [50, 500, k, 3000, profile.larger_network(k)], runs=4, seed=3,
                                    draws=12)
    verdicts, curve, _ = reach_verdicts.reach_verdicts(member, platform, [], None, runs=4, seed=3)
    now = chart.filter(pl.col("connections") == k).row(0, named=True)
    assert now["second"] == curve.filter(pl.col("connections") == k)["second"].item()
    assert f"{now['second']:,.0f}" in verdicts[0].evidence
    assert now["second_q05"] < now["second"] < now["second_q95"]


def test_verdicts_from_the_pages_curve_and_gains_are_the_verdicts_computed_afresh():
    """The page hands its growth curve (every size, with the joint draws' bands) and its strategy gains to the
    verdicts instead of having them computed again: the same streams, so the same verdicts and figures."""
    platform = Platform.from_assumptions()
    member = member_summary(load_export(SAMPLE_EXPORT))
    k = member.connections
    targets = profile.growth_targets(k)
    page_curve = strategies.growth_curve(member, platform, strategies.curve_sizes(k), runs=3, seed=5, draws=4)
    page_gains = strategies.strategy_gains(member, platform, targets, runs=3, seed=5)
    afresh, curve, gains = reach_verdicts.reach_verdicts(member, platform, targets, None, runs=3, seed=5)
    handed, handed_curve, _ = reach_verdicts.reach_verdicts(member, platform, targets, None, runs=3, seed=5,
                                                            curve=page_curve, gains=page_gains)
    assert [v.record() for v in handed] == [v.record() for v in afresh]
    assert handed_curve.select(curve.columns).equals(curve) and page_gains.equals(gains)


def test_reach_robustness_moves_acceptance_rates_and_the_fitted_laws_jointly():
    member = member_summary(load_export(SAMPLE_EXPORT))
    k = member.connections
    table = reach_verdicts.robustness(member, profile.growth_targets(k), None, draws=6, runs=2, seed=4)
    assert table.height == 6 * 4
    assert {"strategy.acceptance.random", "strategy.event_ties", "reach.dormant_share"} <= set(table.columns)
    assert table["strategy.acceptance.random"].n_unique() == 6 and table["replicate"].min() >= 1
    verdicts, _, _ = reach_verdicts.reach_verdicts(member, Platform.from_assumptions(), profile.growth_targets(k),
                                                   None, runs=2, seed=4)
    judged = with_joint_robustness(verdicts[3], table)
    assert judged.details["robust_draws"] == 6 and 0 <= judged.details["robust_share"] <= 1
    assert table.equals(reach_verdicts.robustness(member, profile.growth_targets(k), None, draws=6, runs=2, seed=4))


def test_visibility_is_said_as_times_for_a_doubling_not_as_an_elasticity():
    larger = profile.larger_network(1_000)
    curve = pl.DataFrame({"connections": [1_000, larger], "second": [99_000.0, 2 * 100_000.0 - larger]})
    verdict = reach_verdicts.judge_visibility(curve, 1_000)
    assert verdict.verdict == "supported" and verdict.details["elasticity"] > 0.9
    assert "doubling your network goes with 2 times the members who see you" in verdict.evidence
    assert "for each 1%" not in verdict.evidence
    assert "a typical member of your size and make-up within 2 degrees" in verdict.evidence
