"""The audience verdicts: each rule can come out every way, reads how much members differ and the fitted
elasticity, is not testable at the cap, and is judged again over joint settings of every assumption."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from audience_fixtures import fixed_model

from helpers.model import audience
from helpers.model.audience import AudienceModel
from helpers.model.audience_states import AuthorStates
from helpers.model.audience_verdicts import judge_audience_model, judge_engagement_model, judge_views_model, robustness


@pytest.fixture(scope="module")
def model():
    return AudienceModel.default(seed=5, year=2026)


def test_verdict_rules_can_come_out_every_way():
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    grows = fixed_model(0.6, 400.0)
    flat = fixed_model(0.0, 400.0)
    assert judge_audience_model(table(grows), grows, 500).verdict == "supported"
    assert judge_audience_model(table(flat), flat, 500).verdict == "not supported"
    wide = replace(grows, parameters={**grows.parameters, "b": np.linspace(-0.2, 0.6, grows.draws)})
    assert judge_audience_model(table(wide), wide, 500).verdict == "mixed"
    big = fixed_model(0.6, 5000.0, spread=0.3)
    small = fixed_model(0.6, 50.0, spread=0.3)
    assert judge_views_model(table(big), big, 100).verdict == "supported"
    assert judge_views_model(table(small), small, None).verdict == "not supported"
    unsure = replace(big, parameters={**big.parameters, "mu": np.log(np.geomspace(50, 50_000, big.draws))})
    assert judge_views_model(table(unsure), unsure, 1000).verdict == "mixed"


def test_the_chance_of_1000_counts_how_much_members_differ():
    alike = fixed_model(0.6, 400.0, spread=0.5)
    differ = replace(alike, states=AuthorStates(
        np.tile(np.linspace(-2, 2, audience.STATES), (alike.draws, 1)), alike.states.spreads))
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    chance = {name: table(m).filter(pl.col("connections") == 500)["p1000"][0] for name, m in (("alike", alike),
                                                                                              ("differ", differ))}
    assert chance["alike"] < 0.01 and chance["differ"] > 0.05 and chance["differ"] > 20 * chance["alike"]
    assert "half of members' typical posts" in judge_views_model(table(differ), differ, None).evidence
    mine = replace(differ, own_posts=12)
    assert "your typical post there lies between" in judge_views_model(table(mine), mine, None).evidence


def test_what_this_means_for_you_says_how_much_members_differ(model):
    from helpers.claims import CLAIMS
    from helpers.report import ledger

    table = audience.views_table(model, audience.verdict_sizes(700))
    verdict = judge_views_model(table, model, audience.even_odds(model))
    records = [{"id": c, "verdict": "not testable", "details": {"parts": []}} for c in CLAIMS if c != verdict.id]
    records.append({"id": verdict.id, "verdict": verdict.verdict,
                    "details": {"parts": [{"name": "model", "verdict": verdict.verdict, "details": verdict.details}]}})
    [line] = ledger.advice(records)
    row = table.filter(pl.col("connections") == 500).row(0, named=True)
    assert f"{row['p1000']:.0%}" in line and f"{row['author_q25']:,.0f} and {row['author_q75']:,.0f}" in line
    assert f"({model.described_year:.0f})" in line


def test_reactions_verdict_reads_the_fitted_elasticity():
    table = lambda m: audience.views_table(m, audience.verdict_sizes(500))  # noqa: E731
    grows, flat = fixed_model(0.6, 400.0), fixed_model(0.0, 400.0)
    assert judge_engagement_model(table(grows), grows, 500).verdict == "supported"
    assert judge_engagement_model(table(flat), flat, 500).verdict == "not supported"
    unsure = replace(grows, reactions_beta=np.linspace(-0.1, 0.5, grows.draws))
    verdict = judge_engagement_model(table(unsure), unsure, 500)
    assert verdict.verdict == "mixed" and "Profile views" in verdict.evidence


def test_at_the_cap_the_wider_audience_claim_is_not_testable(model):
    verdict = judge_audience_model(audience.views_table(model, [500, 30_000]), model, 30_000)
    assert verdict.verdict == "not testable" and "cap of 30,000" in verdict.evidence


def test_robustness_judges_at_joint_settings_of_every_assumption():
    table = robustness(lambda fixed: AudienceModel.default(seed=5, draws=200, year=2026, fixed=fixed), 700,
                                draws=6, seed=2)
    assert table.height == 6 * 3 and set(audience.ASSUMED.values()) <= set(table.columns)
    assert set(table["claim"]) == {"wider-post-audience", "views-1000-at-500", "more-engagement"}
    pinned = AudienceModel.default(seed=5, draws=50, fixed={name: table[name][0] for name in audience.ASSUMED.values()})
    assert all((getattr(pinned, field) == table[name][0]).all() for field, name in audience.ASSUMED.items())
