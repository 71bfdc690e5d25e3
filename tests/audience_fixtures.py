"""What the audience tests share: the shared datasets' guard, a model with fixed parameters, a capped workbook."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from helpers.export import analytics, synth_workbooks
from helpers.model import audience, audience_fit
from helpers.model.audience import AudienceModel
from helpers.model.audience_own_posts import own_posts_table
from helpers.model.audience_states import AuthorStates
from helpers.model.audience_windows import MEMBER_ANALYTICS


SHARED = audience_fit.DATASETS
needs_shared = pytest.mark.skipif(not (SHARED / "posts-findev.csv.gz").exists()
                                  or not (SHARED / MEMBER_ANALYTICS).exists(),
                                  reason="the shared post datasets (../shared/datasets) are not beside the project")


def fixed_model(elasticity: float, level: float, spread: float = 0.5, draws: int = 200) -> AudienceModel:
    """A model whose every draw has the same elasticity, typical level at 2,000 followers and post spread, and
    whose members do not differ (every author state at effect 0)."""
    one = np.ones(draws)
    parameters = {"mu": np.log(level) * one, "b": elasticity * one, "gamma": 0 * one, "log_sigma": np.log(spread) * one,
                  "log_omega": -np.inf * one, "log_kappa": -np.inf * one, "log_tau": np.log(0.05) * one}
    states = AuthorStates(np.zeros((draws, audience.STATES)), np.full((draws, audience.STATES), spread))
    return AudienceModel(fit=replace(audience.members_fit(), year_range=(-30.0, 30.0)), parameters=parameters,
                         states=states, reactions_beta=elasticity * one, log_rate_ref=np.log(0.015) * one, rate_sd=0.0,
                         rate_elasticity=0 * one, follower_extra=0 * one, impressions_per_member=1.3 * one,
                         beyond_share=0.4 * one, year_effect=0 * one, year=2025)


def capped_export_parts(posts: int = 80):
    """A workbook over 2025 listing the top 50 of ``posts`` posts, the days of the member's shares and posts table."""
    rng = np.random.default_rng(11)
    moments = sorted(datetime(2025, 1, 10, 9) + timedelta(days=int(d)) for d in rng.integers(0, 330, posts))
    made = [synth_workbooks.Post(moment, 7_200_000_000_000_000_000 + i, int(rng.lognormal(6, 1)), 10, 3)
            for i, moment in enumerate(moments)]
    followers = {date(2025, 1, 1) + timedelta(days=i): 1 for i in range(365)}
    workbook = synth_workbooks.aggregate_workbook(made, date(2025, 1, 1), date(2025, 12, 31), followers, 1500, False,
                                                  rng)
    book = analytics.read_workbook("Content_2025-01-01_2025-12-31_Alex Example.xlsx", workbook)
    merged = analytics.merge([book])
    share_days = pl.Series("shared_at", moments).dt.date()
    table = merged.posts.with_columns(pl.lit(1000).alias("network_size"), pl.lit(1500).alias("followers"))
    return made, merged, share_days, own_posts_table(table)
