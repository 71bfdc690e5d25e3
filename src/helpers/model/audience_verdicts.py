"""The audience model's verdicts (the model halves of wider-post-audience, views-1000-at-500 and more-engagement)
and their robustness over every audience assumption. Rules fixed with the claims, before the fitted model's
results were seen (:mod:`helpers.rules`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers import rules
from helpers.claims import Verdict
from helpers.evidence import profile
from helpers.model.audience import ASSUMED, AudienceModel, central_interval, reactions_fit, verdict_sizes, views_table
from helpers.model.judging import now_and_larger, robustness_table



def _doubled(table: pl.DataFrame, current: int, claim_id: str, elasticity: np.ndarray, what: str):
    """The rows of ``table`` now and at the larger size, the larger size, the factor (draws) by which doubling the
    network multiplies a typical post's ``what`` (``elasticity`` per draw), its verdict, 95% interval and the
    rule's text (:func:`helpers.rules.doubling`); or the verdict when the claim cannot be judged at ``current``."""
    found = now_and_larger(table, current, claim_id)
    if isinstance(found, Verdict):
        return found
    at, doubled, larger = found
    ratio = (larger / current) ** elasticity
    low, high = central_interval(ratio)
    return at, doubled, larger, ratio, rules.doubling(low, high), low, high, rules.doubling_rule(f"a typical post's {what}")


def _basis(model: AudienceModel) -> str:
    fit = model.fit
    return (f"updated with {model.own_posts} of your own posts" if model.own_posts else
            f"fitted to {fit.members} members' own analytics ({fit.posts:,} posts), in {model.described_year:.0f}")


def judge_audience_model(table: pl.DataFrame, model: AudienceModel, current: int) -> Verdict:
    """wider-post-audience: does doubling the network raise a typical post's impressions? ``table`` is
    :func:`views_table` at (at least) :func:`verdict_sizes`."""
    found = _doubled(table, current, "wider-post-audience", model.elasticity, "impressions")
    if isinstance(found, Verdict):
        return found
    at, doubled, larger, ratio, verdict, low, high, rule = found
    evidence = (f"In the model ({_basis(model)}), a typical post of yours has about {at['median']:,.0f} impressions "
                f"at {current:,} connections and {doubled['median']:,.0f} at {larger:,}: x{np.median(ratio):.2f} "
                f"(95% interval x{low:.2f}-x{high:.2f}). Impressions grow with the network, less than in proportion "
                f"(as read between members of different sizes).")
    return Verdict("wider-post-audience", verdict, evidence, {
        "ratio": float(np.median(ratio)), "ratio_low": low, "ratio_high": high, "current": current, "larger": larger,
        "elasticity": float(np.median(model.elasticity)), "elasticity_band": central_interval(model.elasticity),
        "median_now": at["median"], "median_larger": doubled["median"], "own_posts": model.own_posts,
        "year": model.described_year, "rule": rule,
    })


def judge_views_model(table: pl.DataFrame, model: AudienceModel, needed: int | None) -> Verdict:
    """views-1000-at-500: the chance that a post by a member with 500 connections reaches 1,000 impressions,
    over members as they differ (the author effect drawn from the members' own, unless updated)."""
    at = table.filter(pl.col("connections") == 500).row(0, named=True)
    verdict = "supported" if at["p1000_low"] > 0.5 else "not supported" if at["p1000_high"] < 0.5 else "mixed"
    odds = (f"even odds need about {needed:,} connections" if needed else
            f"even at {profile.CONNECTION_CAP:,} connections the odds stay below one half")
    whose = ("your typical post there lies between" if model.own_posts else
             "half of members' typical posts there lie between")
    evidence = (f"In the model ({_basis(model)}), a post by a member with 500 connections reaches 1,000 impressions "
                f"with probability {at['p1000']:.0%} (95% interval {at['p1000_low']:.0%}-{at['p1000_high']:.0%}); a "
                f"typical post has about {at['median']:,.0f}, and {whose} {at['author_q25']:,.0f} and "
                f"{at['author_q75']:,.0f} (the middle half of the model's range); {odds}.")
    return Verdict("views-1000-at-500", verdict, evidence, {
        "p_views_ge_1000_at_500": at["p1000"], "ci_low": at["p1000_low"], "ci_high": at["p1000_high"],
        "connections_for_even_odds": needed, "median_views_at_500": at["median"], "own_posts": model.own_posts,
        "author_typical_q25_at_500": at["author_q25"], "author_typical_q75_at_500": at["author_q75"],
        "year": model.described_year,
        "rule": "supported if, at 500 connections, the 95% interval (over the fitted parameters and every "
                "assumption's range) of the chance that a post reaches 1,000 impressions lies above one half; "
                "not supported if below one half; mixed otherwise",
    })


def judge_engagement_model(table: pl.DataFrame, model: AudienceModel, current: int) -> Verdict:
    """more-engagement, the likes-comments-shares half: does doubling the network raise a typical post's
    reactions? (Profile views are in no export and in no dataset the model is fitted to.)"""
    found = _doubled(table, current, "more-engagement", model.reactions_beta, "reactions")
    if isinstance(found, Verdict):
        return found
    _, _, larger, ratio, verdict, low, high, rule = found
    fit = reactions_fit()
    evidence = (f"Across {fit.authors} members' {fit.posts:,} posts, reactions grow with followers, far less than in proportion: "
                f"doubling your network from {current:,} to {larger:,} multiplies a typical post's reactions by "
                f"x{np.median(ratio):.2f} (95% interval x{low:.2f}-x{high:.2f}). Profile views cannot be measured here.")
    return Verdict("more-engagement", verdict, evidence, {
        "ratio": float(np.median(ratio)), "ratio_low": low, "ratio_high": high, "current": current, "larger": larger,
        "covers": "likes (reactions) only; comments, shares and profile views are not in the fitted data",
        "rule": rule,
    })


def verdicts(model: AudienceModel, current: int) -> list[Verdict]:
    """The model verdicts for a member with ``current`` connections, as the robustness check reads them:
    their rules' figures only (the size for even odds is in a sentence, not in a rule)."""
    table = views_table(model, verdict_sizes(current), full=False)
    return [judge_audience_model(table, model, current), judge_views_model(table, model, None),
            judge_engagement_model(table, model, current)]


def robustness(model_for, current: int, *, draws: int, seed=None) -> pl.DataFrame:
    """The verdicts at ``draws`` joint settings of every audience assumption, spread over their ranges
    (:func:`helpers.model.judging.robustness_table`); at each setting only the fit's own uncertainty is left.

    ``model_for(fixed)`` builds the model with the assumptions in ``fixed`` pinned (e.g. the member's
    updated model).
    """
    return robustness_table(lambda setting: verdicts(model_for(setting), current), ASSUMED.values(),
                            draws=draws, seed=seed)
