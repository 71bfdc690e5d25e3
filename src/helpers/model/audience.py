"""Who sees a post: impressions by audience size, fitted to members' own analytics; ``python -m helpers.model.audience``.

Impressions are fitted where they are measured (:mod:`helpers.model.audience_likelihood` and the modules
it names): on the shared
members' own analytics, with LinkedIn's censoring in the likelihood, the log impressions of a post are
``mu + b log(F / 2000) + gamma (year - 2025.5) + u + e``: ``F`` the author's followers, ``gamma`` the year
trend (``audience.year_effect``: the members' data do not pin it), ``u`` the member's level (how much more
some members' posts reach than others', drifting from one half-year to the next), ``e`` the post effect,
whose spread is each member's own. The audience-size effect ``b`` is fitted jointly with the reactions of
3,354 scraped posts (:mod:`helpers.model.audience_reactions`), linked through reactions per impression, which the
members whose analytics give both measure.

Every figure is computed over draws of the fitted parameters and of every assumption in
``data/assumptions.toml`` (``audience.*``, Latin hypercube over their ranges), each parameter draw with
``STATES`` equally likely (author effect, post spread) pairs: a new member's from the members'
distribution, or the member's own after their posts (:meth:`AudienceModel.updated`, censoring included).
An author-level interval is the spread of members' typical (median) posts at one size; a post-level one
adds the post-to-post spread.

Where the views come from is not simulated: a post's impressions from beyond the author's own audience
are those its reactions bring, so their share is ``q (F / 2000)^eps / (1 + q (F / 2000)^eps)`` with ``eps``
the fall of reactions per impression with audience size and ``q`` set by the published 40% at 2,000
followers; small accounts' posts travel relatively further through reactions.

The member's own posts are read in :mod:`helpers.model.audience_own_posts`, the page's tables in
:mod:`helpers.model.audience_summaries`, the verdicts in :mod:`helpers.model.audience_verdicts`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import numpy as np
import polars as pl
from scipy import special

from helpers.evidence import profile
from helpers.model import assumptions
from helpers.model.audience_filter import HALF_YEAR, member_filter, needs_grid
from helpers.model.audience_fit import FIT_FILE, load_fit
from helpers.model.audience_likelihood import F_REF, YEAR_REF, Window, level, stratified, years_since_reference
from helpers.model.audience_posterior import MembersFit, load_members_fit, with_assumed_trend
from helpers.model.audience_states import AuthorStates, carried_share, new_member_states, states_after

#: Assumptions the model draws jointly, by the field they fill.
ASSUMED = {
    "rate_elasticity": "audience.rate_elasticity", "follower_extra": "audience.follower_extra",
    "impressions_per_member": "audience.impressions_per_member", "beyond_share": "audience.beyond_first_share",
    "year_effect": "audience.year_effect",
}
TARGET_VIEWS = 1_000
DRAWS = 1_000
#: (author effect, post spread) pairs per parameter draw, and posts per pair, both at stratified quantiles.
STATES = 32
POSTS_PER_STATE = 8
#: The member's own posts update the model from this many; checking the update needs this many more.
MIN_OWN_POSTS = 3
MIN_POSTS_FOR_COVERAGE = 10
SIZE_GRID = (100, 250, 500, 1000, 2000, 3500, 5000, 7500, 10000, 15000, 20000, 30000)
AUTHOR_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: The member whose windows the update reads (any name: one member's windows share their author effect).
YOU = "you"


def default_year() -> int:
    """The year the model describes unless told otherwise: this one."""
    return date.today().year


@cache
def load_record() -> dict:
    """The committed derived fit file (``data/audience_fit.json``), read once."""
    return json.loads(FIT_FILE.read_text())


@cache
def members_fit() -> MembersFit:
    """The members' fit from the committed file (read once)."""
    return load_members_fit(load_record()["members"])


@cache
def reactions_fit():
    """The reactions fit of the scraped members' posts from the committed file (read once)."""
    return load_fit()


@dataclass(frozen=True)
class AudienceModel:
    """Joint draws of the model's parameters (``parameters``, by name, (D,) each) with each draw's author
    states (a new member's, or the member's after their own posts), the reactions side and the assumptions."""

    fit: MembersFit
    parameters: dict
    states: AuthorStates
    reactions_beta: np.ndarray
    log_rate_ref: np.ndarray
    rate_sd: float
    rate_elasticity: np.ndarray
    follower_extra: np.ndarray
    impressions_per_member: np.ndarray
    beyond_share: np.ndarray
    year_effect: np.ndarray
    year: int
    own_posts: int = 0
    own_years: float = 0.0  # when the member's own posts were made (their mean year, in the fit's years)
    #: per draw, how much of a shift of the member's posts reaches the states (:func:`carried_share`)
    own_share: np.ndarray | None = None

    @classmethod
    def default(cls, seed=None, draws: int = DRAWS, *, year: int | None = None,
                fixed: dict[str, float] | None = None) -> AudienceModel:
        """The model for a member with no posts of their own, in ``year`` (this year by default): ``draws``
        joint draws (same seed, same draws); ``fixed`` pins assumptions by name (``{"audience.follower_extra":
        0.3}``) and leaves every other draw as it was."""
        fit = members_fit()
        rate = load_record()["members"]["rate"]
        rng = np.random.default_rng(seed)
        parameters = fit.draws(draws, rng)
        reactions_beta = reactions_fit().draws(draws, rng)[:, 1]
        log_rate_ref = rng.normal(rate["log_rate_ref"], rate["log_rate_ref_se"], draws)
        assumed = assumptions.joint_draws(ASSUMED.values(), draws, rng, shape="triangular", fixed=fixed)
        values = {field: assumed[name].to_numpy() for field, name in ASSUMED.items()}
        parameters = with_assumed_trend(fit, parameters, values["year_effect"])
        return cls(fit, parameters, new_member_states(fit, parameters, STATES), reactions_beta, log_rate_ref,
                   float(rate["rate_sd"]), **values, year=int(year if year is not None else default_year()))

    @property
    def draws(self) -> int:
        return int(self.parameters["mu"].size)

    @property
    def years(self) -> float:
        """The model's year, in years since the fit's reference (the middle of ``YEAR_REF``)."""
        return years_since_reference(date(self.year, 7, 1))

    @property
    def described_year(self) -> float:
        """The year the figures describe: the model's, held inside the years the members' data cover."""
        low, high = self.fit.year_range
        return YEAR_REF + 0.5 + float(np.clip(self.years, low, high))

    @property
    def elasticity(self) -> np.ndarray:
        """d log(impressions) / d log(audience), per draw."""
        return self.parameters["b"]

    def audience(self, connections: float | None = None, followers: float | None = None) -> np.ndarray:
        """Followers per draw: given, or connections plus the followers who are not connections."""
        if (connections is None) == (followers is None):
            raise ValueError("give connections or followers")
        if followers is not None:
            return np.full(self.draws, float(followers))
        return float(connections) * (1 + self.follower_extra)

    def typical_log_impressions(self, followers: np.ndarray) -> np.ndarray:
        """log impressions of a post by an author with effect 0 in the model's year, per draw."""
        return level(self.parameters, np.log(np.asarray(followers, dtype=float) / F_REF), self.years,
                             self.fit.year_range)

    def author_typical(self, followers: np.ndarray) -> np.ndarray:
        """Typical (median) post of each author state, per draw: (D, STATES)."""
        return np.exp(self.typical_log_impressions(followers)[:, None] + self.states.effects)

    def posts(self, followers: np.ndarray) -> np.ndarray:
        """Impressions of posts at stratified quantiles of each author state's post spread: (D, STATES, K)."""
        z = special.ndtri(stratified(POSTS_PER_STATE))
        centre = self.typical_log_impressions(followers)[:, None, None]
        return np.exp(centre + self.states.effects[:, :, None] + self.states.spreads[:, :, None] * z)

    def p_at_least(self, followers: np.ndarray, views: float = TARGET_VIEWS) -> np.ndarray:
        """P(impressions >= ``views``) per draw, over the author states (lognormal posts, exact)."""
        centre = self.typical_log_impressions(followers)[:, None]
        return special.ndtr((centre + self.states.effects - np.log(views)) / self.states.spreads).mean(axis=1)

    def beyond_first(self, followers: np.ndarray) -> np.ndarray:
        """Share of impressions from outside the author's own audience, per draw (see the module doc)."""
        q = self.beyond_share / (1 - self.beyond_share) * (np.asarray(followers, dtype=float) / F_REF) ** self.rate_elasticity
        return q / (1 + q)

    def updated(self, windows: list[Window], at: float | None = None) -> AudienceModel:
        """The model after the member's own windows (their posts, with LinkedIn's censoring): each draw's
        author states become the member's level carried from their last period to ``at`` (years since the
        fit's reference) by the drift: by default to the model's year, or the next half-year if that is
        later."""
        if not windows:
            return self
        found = member_filter(windows, self.fit.kind, self.parameters, self.fit.year_range,
                                      drift=self.fit.drift)
        at = max(self.years, found.last + HALF_YEAR) if at is None else at
        states = states_after(found, STATES, at)
        counts = np.array([w.posts + w.unlisted for w in windows], dtype=float)
        years = np.clip([w.years for w in windows], *self.fit.year_range)
        return replace(self, states=states, own_posts=int(counts.sum()),
                       own_years=float(np.average(years, weights=np.maximum(counts, 1e-9))),
                       own_share=carried_share(found, at))

    def with_states_of(self, other: AudienceModel) -> AudienceModel:
        """This model's assumptions with ``other``'s author states (same seed, same parameter draws): an
        update made once, reused where redoing it on the grid would be slow (:func:`for_member`). Only a
        different year trend moves it: the member's level is read against the level of the years their
        posts were made in, so their posts shift by the trend's change times their distance from the members'
        mean year, and the states by the share of that shift the update carries (``own_share``: an
        approximation, exact for normal levels measured at one time)."""
        if not other.own_posts:
            return replace(self, states=other.states)
        moved = ((self.parameters["gamma"] - other.parameters["gamma"]) * (other.own_years - self.fit.years_centre)
                 * other.own_share)
        states = AuthorStates(other.states.effects - moved[:, None], other.states.spreads)
        return replace(self, states=states, own_posts=other.own_posts, own_years=other.own_years,
                       own_share=other.own_share)

    def updated_by_connections(self, connections: np.ndarray, impressions: np.ndarray) -> AudienceModel:
        """:meth:`updated` with posts given by their impressions and the connections they were made at (in
        the model's year; followers as connections times the assumed extra followers)."""
        return self.updated(history_windows(connections, impressions, self.year))


def for_member(base: AudienceModel, windows: list[Window], once: AudienceModel) -> AudienceModel:
    """The member's model at ``base``'s assumptions: updated again where that is quick (every period's posts
    measured: the closed form), else with ``once``'s update moved with the year trend."""
    if not windows:
        return base
    return base.with_states_of(once) if needs_grid(windows) else base.updated(windows)


def member_model(fixed: dict[str, float] | None = None, *, seed=None, draws: int = DRAWS, year: int | None = None,
                 windows: list[Window] | None = None, once: AudienceModel | None = None,
                 reach_ratio: float | None = None) -> AudienceModel:
    """The model for a member at the assumptions in ``fixed`` (the robustness check's ``model_for``): a new
    member's, updated with their own ``windows`` (``once``: that update at the default assumptions, reused
    where redoing it is slow, :func:`for_member`) and with their own impressions per member reached."""
    base = AudienceModel.default(seed=seed, draws=draws, year=year, fixed=fixed)
    if not windows:
        return base
    if reach_ratio is not None:
        base = replace(base, impressions_per_member=np.full(base.draws, reach_ratio))
    return for_member(base, windows, once if once is not None else base.updated(windows))


def history_windows(connections, impressions, year: int) -> list[Window]:
    """One window per earlier post (its impressions final, its audience connections plus the assumed
    followers who are not connections), all in ``year``."""
    extra = assumptions.value("audience.follower_extra")
    day = date(year, 7, 1)
    return [Window(YOU, f"post {i + 1}", day, day, c * (1 + extra), c * (1 + extra),
                           np.log([max(float(v), 1.0)]), np.array([day], dtype="datetime64[D]"))
            for i, (c, v) in enumerate(zip(np.atleast_1d(connections), np.atleast_1d(impressions)))]


def central_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])  # one partition for both ends
    return float(low), float(high)


def predict(model: AudienceModel, *, connections: float | None = None, followers: float | None = None,
            runs: int = 20_000, seed=None) -> dict[str, float]:
    """The next post's audience: impressions (quantiles, mean, chance of 1,000 with its 95% interval over
    the draws), the interval of an author's typical post at that size, reactions, members reached and
    where the impressions come from."""
    rng = np.random.default_rng(seed)
    audience = model.audience(connections, followers)
    views = model.posts(audience)
    typical = model.author_typical(audience)
    picked = rng.integers(0, views.size, size=runs)
    owner = picked // (views.shape[1] * views.shape[2])
    sampled = views.ravel()[picked]
    log_rate = model.log_rate_ref + model.rate_elasticity * np.log(audience / F_REF)
    rate = np.exp(log_rate[owner] + model.rate_sd * rng.standard_normal(runs))
    reactions = rng.poisson(np.minimum(sampled * rate, 1e9))
    chance = model.p_at_least(audience)
    low, high = central_interval(chance)
    beyond = model.beyond_first(audience)
    spreads = model.states.spreads
    mean = np.exp(model.typical_log_impressions(audience)[:, None] + model.states.effects + spreads**2 / 2).mean()
    result = {
        "audience": float(np.median(audience)), "own_posts": model.own_posts, "year": model.year,
        "year_described": round(model.described_year, 2),
        "median_views": float(np.median(views)), "mean_views": float(mean),
        "views_q05": float(np.quantile(views, 0.05)), "views_q10": float(np.quantile(views, 0.10)),
        "views_q90": float(np.quantile(views, 0.90)), "views_q95": float(np.quantile(views, 0.95)),
        "p_views_ge_1000": float(chance.mean()), "p_views_ge_1000_q025": low, "p_views_ge_1000_q975": high,
        "median_reactions": float(np.median(reactions)),
        "median_members_reached": float(np.median(sampled / model.impressions_per_member[owner])),
        "share_views_1st_degree": float(1 - beyond.mean()),
        "elasticity": float(np.median(model.elasticity)),
    }
    result.update({f"author_typical_q{round(q * 100):02d}": float(v)
                   for q, v in zip(AUTHOR_QUANTILES, np.quantile(typical, AUTHOR_QUANTILES))})
    return result


def views_table(model: AudienceModel, sizes, *, full: bool = True) -> pl.DataFrame:
    """Impressions of a post at each network size (connections), with common draws at every size:
    ``median`` (the median of all simulated posts) with ``median_low``/``median_high`` (the 95% interval
    of each draw's median: what the model does not know), ``p05``/``p95`` (90% of posts), ``p25``/``p75`` (half of
    them), the interval of an author's typical post (``author_q05`` ... ``author_q95``: how much members differ),
    ``mean``, the
    chance of 1,000 with its 95% interval, and the share of impressions from beyond the member's own
    audience. ``full=False`` gives only what the verdicts' rules read, for the robustness check, which judges
    them often and keeps no sentence: its ``median`` is the median author's typical post, not of all posts."""
    rows = []
    for size in sizes:
        audience = model.audience(connections=int(size))
        typical = np.quantile(model.author_typical(audience), AUTHOR_QUANTILES)
        chance = model.p_at_least(audience)
        low, high = central_interval(chance)
        row = {"connections": int(size), "median": float(typical[2]),
               **{f"author_q{round(q * 100):02d}": float(v) for q, v in zip(AUTHOR_QUANTILES, typical)},
               "p1000": float(chance.mean()), "p1000_low": low, "p1000_high": high}
        if full:
            views = model.posts(audience)
            row["median"] = float(np.median(views))
            beyond = model.beyond_first(audience)
            p05, p25, p75, p95 = np.quantile(views, [0.05, 0.25, 0.75, 0.95])
            median_low, median_high = central_interval(np.median(views.reshape(model.draws, -1), axis=1))
            row.update({"median_low": median_low, "median_high": median_high, "p05": float(p05), "p25": float(p25),
                        "p75": float(p75), "p95": float(p95),
                        "mean": float(views.mean()), "beyond": float(beyond.mean())})
            row["beyond_low"], row["beyond_high"] = central_interval(beyond)
        rows.append(row)
    return pl.DataFrame(rows)


def verdict_sizes(current: int) -> list[int]:
    """The network sizes the verdicts read from :func:`views_table`: 500, the member's, and twice it."""
    return sorted({500, current, profile.larger_network(current)})


def even_odds(model: AudienceModel, cap: int = profile.CONNECTION_CAP) -> int | None:
    """The network size (connections) from which a post's chance of 1,000 impressions is one half, or
    None when even LinkedIn's cap (``profile.CONNECTION_CAP``) does not give even odds (bisection on log size)."""
    chance = lambda size: float(model.p_at_least(model.audience(connections=size)).mean())  # noqa: E731
    if chance(cap) < 0.5:
        return None
    low, high = 1.0, float(cap)
    if chance(low) >= 0.5:
        return 1
    while high / low > 1 + 1e-5:
        middle = np.sqrt(low * high)
        low, high = (middle, high) if chance(middle) < 0.5 else (low, middle)
    return int(round(high))



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.model.audience",
                                     description="The audience of a member's next post (impressions).")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--connections", type=int, help="the member's connections")
    size.add_argument("--followers", type=int, help="the member's followers (connections included)")
    parser.add_argument("--year", type=int, default=None,
                        help="the year the post is made (default: this year); years outside the members' data are "
                             "read as its first or last year")
    parser.add_argument("--history-views", type=float, nargs="+", default=[],
                        help="impressions of earlier posts (the blogger's experiment: what his last update got)")
    parser.add_argument("--history-connections", type=float, nargs="+", default=[],
                        help="connections when each of those posts was made (one per --history-views)")
    parser.add_argument("--seed", type=int, default=20261122, help="random seed")
    parser.add_argument("--runs", type=int, default=20_000, help="posts simulated for the reactions")
    args = parser.parse_args(argv)
    if args.connections is not None and not 1 <= args.connections <= profile.CONNECTION_CAP:
        parser.error(f"--connections must be between 1 and {profile.CONNECTION_CAP:,} (LinkedIn's cap)")
    if args.followers is not None and args.followers < 1:
        parser.error("--followers must be at least 1")
    if args.year is not None and not 2003 <= args.year <= 2100:
        parser.error("--year must be a calendar year from 2003 (LinkedIn's launch) on")
    if len(args.history_views) != len(args.history_connections):
        parser.error("give one --history-connections value for each --history-views value")
    if any(v < 0 for v in args.history_views) or any(c < 1 for c in args.history_connections):
        parser.error("history impressions must be >= 0 and connections >= 1")
    model = AudienceModel.default(seed=args.seed, year=args.year)
    if args.history_views:
        model = model.updated_by_connections(np.array(args.history_connections), np.array(args.history_views))
    result = predict(model, connections=args.connections, followers=args.followers, runs=args.runs, seed=args.seed)
    who = f"{args.connections:,} connections" if args.connections else f"{args.followers:,} followers"
    print(f"The next post of a member with {who} in {model.year}"
          + (f" (read as {result['year_described']:.0f}, the members' data's edge)"
             if abs(result["year_described"] - (model.year + 0.5)) > 0.01 else "")
          + (f" (updated with {len(args.history_views)} earlier posts)" if args.history_views else "")
          + f": median {result['median_views']:,.0f} impressions, 80% of posts between {result['views_q10']:,.0f} "
            f"and {result['views_q90']:,.0f}; half of members this size have a typical post between "
            f"{result['author_typical_q25']:,.0f} and {result['author_typical_q75']:,.0f}; chance of 1,000: "
            f"{result['p_views_ge_1000']:.0%}.")
    print(json.dumps({"connections": args.connections, "followers": args.followers, "seed": args.seed,
                      "runs": args.runs, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
