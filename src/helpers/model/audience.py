"""Who sees a post: impressions by audience size, fitted to real LinkedIn posts; ``python -m helpers.model.audience``.

The model has two layers.

1. **Reactions, fitted** (``helpers.model.audience_fit``): on 3,354 recent posts of 120 members, the
   reactions of a post are Poisson around ``exp(alpha + beta log(F / 2000) + u + e)``, with ``F`` the
   author's followers, ``u`` the author effect (sd ``tau``) and ``e`` the post effect (sd ``sigma``).
2. **Impressions from reactions**: a post's reactions per impression ``r(F) = r_ref (F / 2000)^eps`` fall
   with audience size (as they do for company pages, where both are published), and vary from post to
   post (sd ``rate_sd``). Impressions are therefore lognormal, with median
   ``exp(alpha + (beta - eps) log(F / 2000) + shift) / r_ref`` for a typical author, where ``shift``
   moves the scraped active posters to the member being modelled.

Every figure is computed over joint draws of the fitted parameters (their robust covariance) and of
every assumption in ``data/assumptions.toml`` (``audience.*``, Latin hypercube over their ranges), so
intervals carry both. A member's own posts update their author effect ``u`` (normal-normal, per
draw); :func:`coverage` checks the update on the member's later posts.

Where the views come from is not simulated: a post's impressions from beyond the author's own
audience are those its reactions bring (each reaction shows it in the reactor's feed), so their share
is ``q (F / 2000)^eps / (1 + q (F / 2000)^eps)`` with ``q`` set by the published 40% at 2,000
followers; small accounts' posts travel relatively further through reactions.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace

import numpy as np
import polars as pl
from scipy import special

from helpers.claims import Verdict
from helpers.evidence import profile
from helpers.model import assumptions
from helpers.model.audience_fit import F_REF, Fit, load_fit
from helpers.model.judging import now_and_larger

#: Assumptions the model draws jointly, by the field they fill.
ASSUMED = {
    "rate_ref": "audience.reactions_per_impression", "rate_elasticity": "audience.rate_elasticity",
    "rate_sd": "audience.rate_sd", "selection_shift": "audience.selection_shift",
    "follower_extra": "audience.follower_extra", "impressions_per_member": "audience.impressions_per_member",
    "beyond_share": "audience.beyond_first_share",
}
TARGET_VIEWS = 1_000
DRAWS = 1_000
#: The sizes at which the page and the ledger quote the chance of 1,000 impressions.
MARKED_SIZES = (250, 500, 1000, 5000)
#: The member's own posts update the model from this many; checking the update needs this many more.
MIN_OWN_POSTS = 3
MIN_POSTS_FOR_COVERAGE = 10
SIZE_GRID = (100, 250, 500, 1000, 2000, 3500, 5000, 7500, 10000, 15000, 20000, 30000)


@dataclass(frozen=True)
class AudienceModel:
    """Joint draws of the model's parameters; ``author_mean``/``author_sd`` is the author effect
    (the prior for a typical member, or the posterior after the member's own posts)."""

    alpha: np.ndarray
    beta: np.ndarray
    tau: np.ndarray
    sigma: np.ndarray
    rate_ref: np.ndarray
    rate_elasticity: np.ndarray
    rate_sd: np.ndarray
    selection_shift: np.ndarray
    follower_extra: np.ndarray
    impressions_per_member: np.ndarray
    beyond_share: np.ndarray
    author_mean: np.ndarray
    author_sd: np.ndarray
    own_posts: int = 0

    @classmethod
    def default(cls, seed=None, draws: int = DRAWS, fit: Fit | None = None,
                fixed: dict[str, float] | None = None) -> AudienceModel:
        """The model for a member with no posts of their own: ``draws`` joint draws (same seed, same draws);
        ``fixed`` pins assumptions by name (``{"audience.rate_sd": 0.5}``) for sensitivity checks."""
        fit = fit or load_fit()
        rng = np.random.default_rng(seed)
        parameters = fit.draws(draws, rng)
        assumed = assumptions.joint_draws(ASSUMED.values(), draws, rng, shape="triangular", fixed=fixed)
        values = {field: assumed[name].to_numpy() for field, name in ASSUMED.items()}
        return cls(parameters[:, 0], parameters[:, 1], parameters[:, 2], parameters[:, 3], **values,
                   author_mean=values["selection_shift"].copy(), author_sd=parameters[:, 2].copy())

    @property
    def draws(self) -> int:
        return int(self.alpha.size)

    @property
    def post_sd(self) -> np.ndarray:
        """Post-to-post spread of log impressions: the reactions' spread less that of reactions per impression."""
        return np.sqrt(np.maximum(self.sigma**2 - self.rate_sd**2, 0.05**2))

    @property
    def elasticity(self) -> np.ndarray:
        """d log(impressions) / d log(audience), per draw."""
        return self.beta - self.rate_elasticity

    def audience(self, connections: float | None = None, followers: float | None = None) -> np.ndarray:
        """Followers per draw: given, or connections plus the followers who are not connections."""
        if (connections is None) == (followers is None):
            raise ValueError("give connections or followers")
        if followers is not None:
            return np.full(self.draws, float(followers))
        return float(connections) * (1 + self.follower_extra)

    def typical_log_impressions(self, followers: np.ndarray) -> np.ndarray:
        """log impressions of a post by an author with author effect 0, per draw."""
        x = np.log(np.asarray(followers, dtype=float) / F_REF)
        return self.alpha + self.elasticity * x - np.log(self.rate_ref)

    def log_impressions(self, followers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and sd of the next post's log impressions for this member, per draw."""
        mean = self.typical_log_impressions(followers) + self.author_mean
        return mean, np.sqrt(self.author_sd**2 + self.post_sd**2)

    def updated(self, followers: np.ndarray, impressions: np.ndarray) -> AudienceModel:
        """The model after the member's own posts: ``followers`` (one per post, or per draw and post)
        and ``impressions``; the author effect's normal prior (mean ``selection_shift``, sd ``tau``) is
        updated per draw with the posts' log impressions (normal-normal)."""
        logs = np.log(np.maximum(np.asarray(impressions, dtype=float), 1.0))
        if logs.size == 0:
            return self
        x = np.log(np.broadcast_to(np.asarray(followers, dtype=float), (self.draws, logs.size)) / F_REF)
        typical = self.alpha[:, None] + self.elasticity[:, None] * x - np.log(self.rate_ref)[:, None]
        residual = (logs[None, :] - typical).sum(axis=1)
        noise = self.post_sd**2
        precision = 1 / self.tau**2 + logs.size / noise
        mean = (self.selection_shift / self.tau**2 + residual / noise) / precision
        return replace(self, author_mean=mean, author_sd=np.sqrt(1 / precision), own_posts=int(logs.size))

    def updated_by_connections(self, connections: np.ndarray, impressions: np.ndarray) -> AudienceModel:
        """:meth:`updated` with each post's audience given as connections (followers drawn as usual)."""
        connections = np.asarray(connections, dtype=float)
        return self.updated(connections[None, :] * (1 + self.follower_extra[:, None]), impressions)

    def p_at_least(self, followers: np.ndarray, views: float = TARGET_VIEWS) -> np.ndarray:
        """P(impressions >= ``views``) per draw (lognormal, exact)."""
        mean, sd = self.log_impressions(followers)
        return special.ndtr((mean - np.log(views)) / sd)

    def sample(self, followers: np.ndarray, per_draw: int) -> np.ndarray:
        """Impressions of ``per_draw`` posts per draw, at stratified quantiles of each draw's lognormal
        (deterministic: the same model gives the same sample)."""
        mean, sd = self.log_impressions(followers)
        z = special.ndtri((np.arange(per_draw) + 0.5) / per_draw)
        return np.exp(mean[:, None] + sd[:, None] * z[None, :]).ravel()

    def beyond_first(self, followers: np.ndarray) -> np.ndarray:
        """Share of impressions from outside the author's own audience, per draw (see the module doc)."""
        q = self.beyond_share / (1 - self.beyond_share) * (np.asarray(followers, dtype=float) / F_REF) ** self.rate_elasticity
        return q / (1 + q)


def _band(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = (1 - level) / 2
    return float(np.quantile(values, tail)), float(np.quantile(values, 1 - tail))


def predict(model: AudienceModel, *, connections: float | None = None, followers: float | None = None,
            runs: int = 20_000, seed=None) -> dict[str, float]:
    """The next post's audience: impressions (quantiles, mean, chance of 1,000 with its 95% interval over
    the draws), reactions, members reached and where the impressions come from."""
    rng = np.random.default_rng(seed)
    audience = model.audience(connections, followers)
    per_draw = max(1, -(-runs // model.draws))
    views = model.sample(audience, per_draw)
    owner = np.repeat(np.arange(model.draws), per_draw)
    log_rate = np.log(model.rate_ref) + model.rate_elasticity * np.log(audience / F_REF)
    rate = np.exp(log_rate[owner] + model.rate_sd[owner] * rng.standard_normal(views.size))
    reactions = rng.poisson(np.minimum(views * rate, 1e9))
    reached = views / model.impressions_per_member[owner]
    chance = model.p_at_least(audience)
    low, high = _band(chance)
    beyond = model.beyond_first(audience)
    return {
        "audience": float(np.median(audience)), "own_posts": model.own_posts,
        "median_views": float(np.median(views)), "mean_views": float(views.mean()),
        "views_q10": float(np.quantile(views, 0.10)), "views_q90": float(np.quantile(views, 0.90)),
        "views_q05": float(np.quantile(views, 0.05)), "views_q95": float(np.quantile(views, 0.95)),
        "p_views_ge_1000": float(chance.mean()), "p_views_ge_1000_q025": low, "p_views_ge_1000_q975": high,
        "median_reactions": float(np.median(reactions)),
        "median_members_reached": float(np.median(reached)),
        "share_views_1st_degree": float(1 - beyond.mean()),
        "elasticity": float(np.median(model.elasticity)),
    }


def views_table(model: AudienceModel, sizes, *, per_draw: int = 20) -> pl.DataFrame:
    """Impressions of a post at each network size (connections), with common draws at every size:
    ``median`` (the typical post: the median of all simulated posts) with ``median_low``/``median_high``
    (the 95% interval of each draw's median: what the model does not know), ``p05``/``p95`` (90% of
    posts), ``mean``, the chance of 1,000 with its 95% interval, and the share of impressions from
    beyond the member's own audience."""
    rows = []
    for size in sizes:
        audience = model.audience(connections=int(size))
        views = model.sample(audience, per_draw)
        median_low, median_high = _band(np.exp(model.log_impressions(audience)[0]))
        chance = model.p_at_least(audience)
        low, high = _band(chance)
        beyond = model.beyond_first(audience)
        rows.append({"connections": int(size), "median": float(np.median(views)),
                     "median_low": median_low, "median_high": median_high,
                     "p05": float(np.quantile(views, 0.05)), "p95": float(np.quantile(views, 0.95)),
                     "mean": float(views.mean()), "p1000": float(chance.mean()), "p1000_low": low,
                     "p1000_high": high, "beyond": float(beyond.mean()), "beyond_low": _band(beyond)[0],
                     "beyond_high": _band(beyond)[1]})
    return pl.DataFrame(rows)


def verdict_sizes(current: int) -> list[int]:
    """The network sizes the verdicts read from :func:`views_table`: 500, the member's, and twice it."""
    return sorted({500, current, profile.larger_network(current)})


def even_odds(model: AudienceModel, cap: int = 30_000) -> int | None:
    """The network size (connections) from which a post's chance of 1,000 impressions is one half, or
    None when even LinkedIn's cap of 30,000 does not give even odds (bisection on log size)."""
    chance = lambda size: float(model.p_at_least(model.audience(connections=size)).mean())  # noqa: E731
    if chance(cap) < 0.5:
        return None
    low, high = 1.0, float(cap)
    if chance(low) >= 0.5:
        return 1
    for _ in range(40):
        middle = np.sqrt(low * high)
        low, high = (middle, high) if chance(middle) < 0.5 else (low, middle)
    return int(round(high))


def own_posts_table(posts: pl.DataFrame, model: AudienceModel) -> pl.DataFrame:
    """The member's posts with the audience they were made to: ``followers`` from the workbooks where
    known, else connections on the day plus the usual followers who are not connections."""
    extra = float(np.median(model.follower_extra))
    return (posts.filter((pl.col("network_size") > 0) & (pl.col("impressions") > 0))
            .with_columns(pl.coalesce(pl.col("followers").cast(pl.Float64),
                                      pl.col("network_size") * (1 + extra)).alias("audience"))
            .sort("published_on"))


def own_reach_ratio(posts: pl.DataFrame) -> float | None:
    """The member's own impressions per member reached (median over posts that have both), or None."""
    both = posts.filter((pl.col("members_reached") > 0) & (pl.col("impressions") >= pl.col("members_reached")))
    return float((both["impressions"] / both["members_reached"]).median()) if both.height >= MIN_OWN_POSTS else None


def coverage(posts: pl.DataFrame, model: AudienceModel, *, per_draw: int = 20) -> tuple[pl.DataFrame, dict]:
    """Fit the author effect on the member's earlier half of posts, predict the later half's quantiles,
    and count how many later posts fell inside the predicted 50% and 90% bands (and the same without the
    update, for comparison). ``posts`` is :func:`own_posts_table`'s frame."""
    half = posts.height // 2
    earlier, later = posts.head(half), posts.tail(posts.height - half)
    fitted = model.updated(earlier["audience"].to_numpy(), earlier["impressions"].to_numpy())
    rows = []
    for row in later.iter_rows(named=True):
        for name, which in (("updated", fitted), ("not updated", model)):
            views = which.sample(np.full(model.draws, row["audience"]), per_draw)
            q05, q25, q75, q95 = np.quantile(views, [0.05, 0.25, 0.75, 0.95])
            rows.append({"published_on": row["published_on"], "model": name, "audience": row["audience"],
                         "impressions": row["impressions"], "q05": q05, "q25": q25, "q75": q75, "q95": q95,
                         "in_50": bool(q25 <= row["impressions"] <= q75), "in_90": bool(q05 <= row["impressions"] <= q95)})
    table = pl.DataFrame(rows)
    summary = {name: {"posts": part.height, "in_50": float(part["in_50"].mean()), "in_90": float(part["in_90"].mean())}
               for (name,), part in table.group_by("model")} if rows else {}
    return table, {"fitted_on": earlier.height, "tested_on": later.height, **summary}


# ---------------------------------------------------------------------------------------------
# Verdicts (model halves). Rules fixed with the claims, before the fitted model's results were seen.

#: A wider audience worth the name: +10% impressions when the network doubles; none: under +2%.
AUDIENCE_MEANINGFUL = 1.10
AUDIENCE_NONE = 1.02


def _doubling(ratio: np.ndarray, what: str) -> tuple[str, float, float, str]:
    """The verdict on the factor ``ratio`` (draws) by which doubling the network multiplies a typical post's
    ``what``, its 95% interval and the rule's text: one rule for impressions and for reactions."""
    low, high = _band(ratio)
    verdict = "supported" if low >= AUDIENCE_MEANINGFUL else "not supported" if high < AUDIENCE_NONE else "mixed"
    rule = (f"supported if the 95% interval of the factor by which doubling the network multiplies a typical "
            f"post's {what} lies at or above {AUDIENCE_MEANINGFUL:.2f}; not supported if it lies below "
            f"{AUDIENCE_NONE:.2f}; mixed otherwise")
    return verdict, low, high, rule


def _basis(model: AudienceModel) -> str:
    fit = load_fit()
    return (f"updated with {model.own_posts} of your own posts" if model.own_posts else
            f"fitted to {fit.posts:,} real posts of {fit.authors} members")


def judge_audience_model(table: pl.DataFrame, model: AudienceModel, current: int) -> Verdict:
    """wider-post-audience: does doubling the network raise a typical post's impressions? ``table`` is
    :func:`views_table` at (at least) :func:`verdict_sizes`."""
    found = now_and_larger(table, current, "wider-post-audience")
    if isinstance(found, Verdict):
        return found
    at, doubled, larger = found
    ratio = (larger / current) ** model.elasticity
    verdict, low, high, rule = _doubling(ratio, "impressions")
    evidence = (f"In the model ({_basis(model)}), a typical post of yours has about {at['median']:,.0f} impressions "
                f"at {current:,} connections and {doubled['median']:,.0f} at {larger:,}: x{np.median(ratio):.2f} "
                f"(95% interval x{low:.2f}-x{high:.2f}). Impressions grow with the network, less than in proportion "
                f"(elasticity {np.median(model.elasticity):.2f}).")
    return Verdict("wider-post-audience", verdict, evidence, {
        "ratio": float(np.median(ratio)), "ratio_low": low, "ratio_high": high, "current": current, "larger": larger,
        "elasticity": float(np.median(model.elasticity)), "elasticity_band": _band(model.elasticity),
        "median_now": at["median"], "median_larger": doubled["median"], "own_posts": model.own_posts,
        "rule": rule,
    })


def judge_views_model(table: pl.DataFrame, model: AudienceModel, needed: int | None) -> Verdict:
    """views-1000-at-500: the chance that a post by a member with 500 connections reaches 1,000 impressions."""
    at = table.filter(pl.col("connections") == 500).row(0, named=True)
    verdict = "supported" if at["p1000_low"] > 0.5 else "not supported" if at["p1000_high"] < 0.5 else "mixed"
    odds = (f"even odds need about {needed:,} connections" if needed else
            "even at 30,000 connections the odds stay below one half")
    evidence = (f"In the model ({_basis(model)}), a post by a member with 500 connections reaches 1,000 impressions "
                f"with probability {at['p1000']:.0%} (95% interval {at['p1000_low']:.0%}-{at['p1000_high']:.0%}; a "
                f"typical post has about {at['median']:,.0f}); {odds}.")
    return Verdict("views-1000-at-500", verdict, evidence, {
        "p_views_ge_1000_at_500": at["p1000"], "ci_low": at["p1000_low"], "ci_high": at["p1000_high"],
        "connections_for_even_odds": needed, "median_views_at_500": at["median"], "own_posts": model.own_posts,
        "rule": "supported if, at 500 connections, the 95% interval (over the fitted parameters and every "
                "assumption's range) of the chance that a post reaches 1,000 impressions lies above one half; "
                "not supported if below one half; mixed otherwise",
    })


def judge_engagement_model(table: pl.DataFrame, model: AudienceModel, current: int) -> Verdict:
    """more-engagement, the likes-comments-shares half: does doubling the network raise a typical post's
    reactions? (Profile views are in no export and in no dataset the model is fitted to.)"""
    found = now_and_larger(table, current, "more-engagement")
    if isinstance(found, Verdict):
        return found
    _, _, larger = found
    ratio = (larger / current) ** model.beta
    verdict, low, high, rule = _doubling(ratio, "reactions")
    fit = load_fit()
    evidence = (f"Across {fit.authors} members' {fit.posts:,} posts, reactions grow like followers^{np.median(model.beta):.2f}: "
                f"doubling your network from {current:,} to {larger:,} multiplies a typical post's reactions by "
                f"x{np.median(ratio):.2f} (95% interval x{low:.2f}-x{high:.2f}). Profile views cannot be measured here.")
    return Verdict("more-engagement", verdict, evidence, {
        "ratio": float(np.median(ratio)), "ratio_low": low, "ratio_high": high, "current": current, "larger": larger,
        "covers": "likes (reactions) only; comments, shares and profile views are not in the fitted data",
        "rule": rule,
    })


def verdicts(model: AudienceModel, current: int) -> list[Verdict]:
    """The model verdicts for a member with ``current`` connections."""
    table = views_table(model, verdict_sizes(current))
    return [judge_audience_model(table, model, current), judge_views_model(table, model, even_odds(model)),
            judge_engagement_model(table, model, current)]


def robustness(model_for, current: int, *, draws: int, seed=None) -> pl.DataFrame:
    """Both verdicts at ``draws`` joint settings of every audience assumption, spread over their ranges
    (:func:`helpers.model.judging.robustness_table`); at each setting only the fit's own uncertainty is left.

    ``model_for(fixed)`` builds the model with the assumptions in ``fixed`` pinned (e.g. the member's
    updated model).
    """
    from helpers.model.judging import robustness_table

    return robustness_table(lambda setting: verdicts(model_for(setting), current), ASSUMED.values(),
                            draws=draws, seed=seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.audience",
                                     description="The audience of a member's next post (impressions).")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--connections", type=int, help="the member's connections")
    size.add_argument("--followers", type=int, help="the member's followers (connections included)")
    parser.add_argument("--history-views", type=float, nargs="+", default=[],
                        help="impressions of earlier posts (the blogger's experiment: what his last update got)")
    parser.add_argument("--history-connections", type=float, nargs="+", default=[],
                        help="connections when each of those posts was made (one per --history-views)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    parser.add_argument("--runs", type=int, default=20_000, help="posts simulated")
    args = parser.parse_args(argv)
    if args.connections is not None and not 1 <= args.connections <= 30_000:
        parser.error("--connections must be between 1 and 30,000 (LinkedIn's cap)")
    if args.followers is not None and args.followers < 1:
        parser.error("--followers must be at least 1")
    if len(args.history_views) != len(args.history_connections):
        parser.error("give one --history-connections value for each --history-views value")
    if any(v < 0 for v in args.history_views) or any(c < 1 for c in args.history_connections):
        parser.error("history impressions must be >= 0 and connections >= 1")
    model = AudienceModel.default(seed=args.seed)
    if args.history_views:
        model = model.updated_by_connections(np.array(args.history_connections), np.array(args.history_views))
    result = predict(model, connections=args.connections, followers=args.followers, runs=args.runs, seed=args.seed)
    who = f"{args.connections:,} connections" if args.connections else f"{args.followers:,} followers"
    print(f"The next post of a member with {who}"
          + (f" (updated with {len(args.history_views)} earlier posts)" if args.history_views else "")
          + f": median {result['median_views']:,.0f} impressions, 80% of posts between {result['views_q10']:,.0f} "
            f"and {result['views_q90']:,.0f}; chance of 1,000: {result['p_views_ge_1000']:.0%}.")
    print(json.dumps({"connections": args.connections, "followers": args.followers, "seed": args.seed,
                      "runs": args.runs, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
