"""Who sees a post: impressions by audience size, fitted to members' own analytics; ``python -m helpers.model.audience``.

Impressions are fitted where they are measured (:mod:`helpers.model.audience_members`): on the shared
members' own analytics, with LinkedIn's censoring in the likelihood, the log impressions of a post are
``mu + b log(F / 2000) + gamma (year - 2025.5) + u + e``: ``F`` the author's followers, ``gamma`` the year
trend (``audience.year_effect``: the members' data do not pin it), ``u`` the member's level (how much more
some members' posts reach than others', drifting from one half-year to the next), ``e`` the post effect,
whose spread is each member's own. The audience-size effect ``b`` is fitted jointly with the reactions of
3,354 scraped posts (:mod:`helpers.model.audience_fit`), linked through reactions per impression, which the
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

from helpers import rules
from helpers.claims import Verdict
from helpers.evidence import profile
from helpers.model import assumptions
from helpers.model import audience_members as members
from helpers.model.audience_fit import F_REF, FIT_FILE, load_fit
from helpers.model.judging import now_and_larger

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
#: The sizes at which the page and the ledger quote the chance of 1,000 impressions.
MARKED_SIZES = (250, 500, 1000, 5000)
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
def members_fit() -> members.MembersFit:
    """The members' fit from the committed file (read once)."""
    return members.load_members_fit(load_record()["members"])


@cache
def reactions_fit():
    """The reactions fit of the scraped members' posts from the committed file (read once)."""
    return load_fit()


@dataclass(frozen=True)
class AudienceModel:
    """Joint draws of the model's parameters (``parameters``, by name, (D,) each) with each draw's author
    states (a new member's, or the member's after their own posts), the reactions side and the assumptions."""

    fit: members.MembersFit
    parameters: dict
    states: members.AuthorStates
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
    #: per draw, how much of a shift of the member's posts reaches the states (:func:`members.carried_share`)
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
        parameters = members.with_assumed_trend(fit, parameters, values["year_effect"])
        return cls(fit, parameters, members.new_member_states(fit, parameters, STATES), reactions_beta, log_rate_ref,
                   float(rate["rate_sd"]), **values, year=int(year if year is not None else default_year()))

    @property
    def draws(self) -> int:
        return int(self.parameters["mu"].size)

    @property
    def years(self) -> float:
        """The model's year, in years since the fit's reference (the middle of ``YEAR_REF``)."""
        return members.years_since_reference(date(self.year, 7, 1))

    @property
    def described_year(self) -> float:
        """The year the figures describe: the model's, held inside the years the members' data cover."""
        low, high = self.fit.year_range
        return members.YEAR_REF + 0.5 + float(np.clip(self.years, low, high))

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
        return members.level(self.parameters, np.log(np.asarray(followers, dtype=float) / F_REF), self.years,
                             self.fit.year_range)

    def author_typical(self, followers: np.ndarray) -> np.ndarray:
        """Typical (median) post of each author state, per draw: (D, STATES)."""
        return np.exp(self.typical_log_impressions(followers)[:, None] + self.states.effects)

    def posts(self, followers: np.ndarray) -> np.ndarray:
        """Impressions of posts at stratified quantiles of each author state's post spread: (D, STATES, K)."""
        z = special.ndtri(members.stratified(POSTS_PER_STATE))
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

    def updated(self, windows: list[members.Window], at: float | None = None) -> AudienceModel:
        """The model after the member's own windows (their posts, with LinkedIn's censoring): each draw's
        author states become the member's level carried from their last period to ``at`` (years since the
        fit's reference) by the drift: by default to the model's year, or the next half-year if that is
        later."""
        if not windows:
            return self
        found = members.member_filter(windows, self.fit.kind, self.parameters, self.fit.year_range,
                                      drift=self.fit.drift)
        at = max(self.years, found.last + members.HALF_YEAR) if at is None else at
        states = members.states_after(found, STATES, at)
        counts = np.array([w.posts + w.unlisted for w in windows], dtype=float)
        years = np.clip([w.years for w in windows], *self.fit.year_range)
        return replace(self, states=states, own_posts=int(counts.sum()),
                       own_years=float(np.average(years, weights=np.maximum(counts, 1e-9))),
                       own_share=members.carried_share(found, at))

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
        states = members.AuthorStates(other.states.effects - moved[:, None], other.states.spreads)
        return replace(self, states=states, own_posts=other.own_posts, own_years=other.own_years,
                       own_share=other.own_share)

    def updated_by_connections(self, connections: np.ndarray, impressions: np.ndarray) -> AudienceModel:
        """:meth:`updated` with posts given by their impressions and the connections they were made at (in
        the model's year; followers as connections times the assumed extra followers)."""
        return self.updated(history_windows(connections, impressions, self.year))


def for_member(base: AudienceModel, windows: list[members.Window], once: AudienceModel) -> AudienceModel:
    """The member's model at ``base``'s assumptions: updated again where that is quick (every period's posts
    measured: the closed form), else with ``once``'s update moved with the year trend."""
    if not windows:
        return base
    return base.with_states_of(once) if members.needs_grid(windows) else base.updated(windows)


def member_model(fixed: dict[str, float] | None = None, *, seed=None, draws: int = DRAWS, year: int | None = None,
                 windows: list[members.Window] | None = None, once: AudienceModel | None = None,
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


def history_windows(connections, impressions, year: int) -> list[members.Window]:
    """One window per earlier post (its impressions final, its audience connections plus the assumed
    followers who are not connections), all in ``year``."""
    extra = assumptions.value("audience.follower_extra")
    day = date(year, 7, 1)
    return [members.Window(YOU, f"post {i + 1}", day, day, c * (1 + extra), c * (1 + extra),
                           np.log([max(float(v), 1.0)]), np.array([day], dtype="datetime64[D]"))
            for i, (c, v) in enumerate(zip(np.atleast_1d(connections), np.atleast_1d(impressions)))]


def _band(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    tail = (1 - level) / 2
    return float(np.quantile(values, tail)), float(np.quantile(values, 1 - tail))


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
    low, high = _band(chance)
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
    of each draw's median: what the model does not know), ``p05``/``p95`` (90% of posts), the interval of
    an author's typical post (``author_q05`` ... ``author_q95``: how much members differ), ``mean``, the
    chance of 1,000 with its 95% interval, and the share of impressions from beyond the member's own
    audience. ``full=False`` gives only what the verdicts' rules read, for the robustness check, which judges
    them often and keeps no sentence: its ``median`` is the median author's typical post, not of all posts."""
    rows = []
    for size in sizes:
        audience = model.audience(connections=int(size))
        typical = np.quantile(model.author_typical(audience), AUTHOR_QUANTILES)
        chance = model.p_at_least(audience)
        low, high = _band(chance)
        row = {"connections": int(size), "median": float(typical[2]),
               **{f"author_q{round(q * 100):02d}": float(v) for q, v in zip(AUTHOR_QUANTILES, typical)},
               "p1000": float(chance.mean()), "p1000_low": low, "p1000_high": high}
        if full:
            views = model.posts(audience)
            row["median"] = float(np.median(views))
            beyond = model.beyond_first(audience)
            p05, p95 = np.quantile(views, [0.05, 0.95])
            median_low, median_high = _band(np.median(views.reshape(model.draws, -1), axis=1))
            row.update({"median_low": median_low, "median_high": median_high, "p05": float(p05), "p95": float(p95),
                        "mean": float(views.mean()), "beyond": float(beyond.mean()),
                        "beyond_low": _band(beyond)[0], "beyond_high": _band(beyond)[1]})
        rows.append(row)
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
    while high / low > 1 + 1e-5:
        middle = np.sqrt(low * high)
        low, high = (middle, high) if chance(middle) < 0.5 else (low, middle)
    return int(round(high))


# ---------------------------------------------------------------------------------------------
# The member's own posts


def own_posts_table(posts: pl.DataFrame) -> pl.DataFrame:
    """The member's posts with the audience they were made to: ``followers`` from the workbooks where
    known, else connections on the day plus the assumed followers who are not connections (the
    assumption's value, so that the update does not move with its draws)."""
    extra = assumptions.value("audience.follower_extra")
    return (posts.filter((pl.col("network_size") > 0) & (pl.col("impressions") > 0))
            .with_columns(pl.coalesce(pl.col("followers").cast(pl.Float64),
                                      pl.col("network_size") * (1 + extra)).alias("audience"))
            .sort("published_on"))


def own_windows(posts: pl.DataFrame, windows: pl.DataFrame, listings: pl.DataFrame,
                shares: pl.DataFrame | None = None) -> list[members.Window]:
    """The member's posts as the likelihood reads them, one window per analytics period.

    ``posts`` is :func:`own_posts_table`'s frame (the audience of each post), ``windows`` and ``listings``
    the reader's (``Analytics.windows``, ``Analytics.listings``), ``shares`` the export's ``Shares.csv``.
    In each period: the listed posts published in it (those younger than ``audience.settled_days`` at its
    end are lower bounds; older posts carry only their tail and are left out); when the TOP POSTS list is
    full, every other post of the period (counted by day in ``Shares.csv``) had fewer impressions than the
    smallest listed, and the period's total less the listed posts is what they had together. A post in a
    one-post workbook and in no period is a window of its own.
    """
    audience = dict(zip(posts["url"].to_list(), posts["audience"].to_list()))
    settled = assumptions.value("audience.settled_days")
    other = assumptions.value("audience.window_total_other")
    per_day = assumptions.value("audience.max_posts_per_day")
    shared = (shares["shared_at"].dt.date().drop_nulls() if shares is not None and shares.height else None)
    found, listed_urls = [], set()
    for row in windows.iter_rows(named=True):
        start, end = row["period_start"], row["period_end"]
        mine = listings.filter(pl.col("source") == row["source"])
        listed_urls |= set(mine["url"].drop_nulls().to_list())
        inside = (mine.filter(pl.col("published_on").is_between(start, end) & (pl.col("impressions") > 0)
                              & pl.col("url").is_in(list(audience)))
                  .with_columns(pl.col("url").replace_strict(audience, return_dtype=pl.Float64).alias("audience"))
                  .sort("published_on"))
        if inside.is_empty():
            continue
        age = (pl.lit(end) - pl.col("published_on")).dt.total_days()
        young, old = inside.filter(age < settled), inside.filter(age >= settled)
        capped = bool(row["capped"]) and row["impressions_min"] is not None
        unlisted = np.zeros(0, dtype="datetime64[D]")
        if capped and shared is not None:
            days = shared.filter(shared.is_between(start, end)).value_counts(name="posts")
            on_day = dict(zip(*inside.group_by("published_on").len().to_dict(as_series=False).values()))
            unlisted = np.concatenate([np.full(max(n - on_day.get(day, 0), 0), day, dtype="datetime64[D]")
                                       for day, n in days.iter_rows()] or [unlisted])
        total = row["total_impressions"]
        log = lambda values: np.log(values.to_numpy().astype(float))  # noqa: E731
        found.append(members.Window(
            member=YOU, window=row["source"], start=start, end=end,
            followers_start=float(inside["audience"][0]), followers_end=float(inside["audience"][-1]),
            log_impressions=log(old["impressions"]), dates=old["published_on"].to_numpy().astype("datetime64[D]"),
            log_at_least=log(young["impressions"]),
            at_least_dates=young["published_on"].to_numpy().astype("datetime64[D]"),
            listed=inside.height, log_cap=float(np.log(row["impressions_min"])) if capped else None,
            unlisted_dates=unlisted, unlisted_complete=shared is not None,
            max_unlisted=max(int(per_day * ((end - start).days + 1)) - inside.height, 0),
            unlisted_total=(max(total * (1 - other) - float(mine["impressions"].sum()), 0.0)
                            if capped and total is not None else None),
            total_sd=other * total if total is not None else 0.0))
    for row in posts.filter(~pl.col("url").is_in(list(listed_urls))).iter_rows(named=True):
        day = row["published_on"]
        found.append(members.Window(YOU, row["url"], day, day, row["audience"], row["audience"],
                                    np.log([float(row["impressions"])]), np.array([day], dtype="datetime64[D]")))
    return found


def own_reach_ratio(posts: pl.DataFrame) -> float | None:
    """The member's own impressions per member reached (median over posts that have both), or None."""
    both = posts.filter((pl.col("members_reached") > 0) & (pl.col("impressions") >= pl.col("members_reached")))
    return float((both["impressions"] / both["members_reached"]).median()) if both.height >= MIN_OWN_POSTS else None


def window_quantiles(model: AudienceModel, window: members.Window, quantiles=(0.05, 0.25, 0.75, 0.95)) -> np.ndarray:
    """Quantiles of a post's impressions in ``window`` (its audience and year) under ``model``'s states."""
    centre = members.level(model.parameters, window.log_audience, window.years, model.fit.year_range)
    z = special.ndtri(members.stratified(POSTS_PER_STATE))
    logs = centre[:, None, None] + model.states.effects[:, :, None] + model.states.spreads[:, :, None] * z
    return np.exp(np.quantile(logs, quantiles))


def coverage(windows: list[members.Window], model: AudienceModel) -> tuple[pl.DataFrame, dict]:
    """Update the author effect on the member's earlier posts (cut at the median date), predict the later
    ones, and count how many fell inside the predicted 50% and 90% intervals, censoring included (a post
    below a full list's smallest counts as the share of its possible range inside), beside the same
    without the update. ``model`` is the member's model before their posts."""
    earlier, later, cut = members.split_member(windows)
    found = members.member_filter(earlier, model.fit.kind, model.parameters, model.fit.year_range,
                                  drift=model.fit.drift)
    rows, counted = [], {"updated": [], "not updated": []}
    for window in later:
        fitted = replace(model, states=members.states_after(found, STATES, members.middle_year(window)))
        bands = window_quantiles(fitted, window)
        for day, value in zip(window.dates, np.exp(window.log_impressions)):
            rows.append({"published_on": day.astype(date), "impressions": float(value), "q05": bands[0],
                         "q25": bands[1], "q75": bands[2], "q95": bands[3]})
        for name, which in (("updated", fitted), ("not updated", model)):
            low, high, weight = members.later_posts_pit(which.fit, which.parameters, which.states, window)
            counted[name].append((members.pit_coverage(low, high, *members.BANDS["50"]) * weight,
                                  members.pit_coverage(low, high, *members.BANDS["90"]) * weight, weight))
    summary = {"fitted_on": int(sum(w.posts + w.unlisted for w in earlier)),
               "tested_on": int(sum(w.posts + w.unlisted for w in later)), "cut": cut}
    for name, parts in counted.items():
        total = sum(float(p[2].sum()) for p in parts)
        summary[name] = {"posts": total, "in_50": sum(float(p[0].sum()) for p in parts) / max(total, 1e-9),
                         "in_90": sum(float(p[1].sum()) for p in parts) / max(total, 1e-9)}
    return pl.DataFrame(rows), summary


def capped_list_example(model: AudienceModel, *, posts: int = 160, effect: float = 0.5, followers: float = 2000.0,
                        seed=None) -> dict[str, float]:
    """What a capped list does to the update, on an invented member whose truth is known: ``posts`` posts
    in a year (author effect ``effect``, the model's post spread), of which the workbook lists the top 50.
    Returns the member's true typical post and the typical post the update gives when the list is read as
    complete, and when it is read as LinkedIn writes it (the rest below the smallest listed, their number
    from ``Shares.csv``, their sum from the period's total)."""
    rng = np.random.default_rng(seed)
    start, end = date(model.year, 1, 1), date(model.year, 12, 31)
    days = np.sort(rng.integers(0, 365, posts)).astype("timedelta64[D]") + np.datetime64(start, "D")
    centre = float(np.median(model.typical_log_impressions(np.full(model.draws, followers))))
    spread = float(np.median(model.states.spreads))
    logs = centre + effect + spread * rng.standard_normal(posts)
    top = np.argsort(logs)[::-1][:50]
    rest = np.setdiff1d(np.arange(posts), top)
    listed = members.Window(YOU, "top 50", start, end, followers, followers, logs[top], days[top], listed=50)
    censored = replace(listed, log_cap=float(logs[top].min()), unlisted_dates=days[rest], unlisted_complete=True,
                       unlisted_total=float(np.exp(logs[rest]).sum()), total_sd=0.03 * float(np.exp(logs).sum()))

    def typical(window) -> float:  # the member's level in the window itself, not carried on by the drift
        at = members.middle_year(window)
        return float(np.median(model.updated([window], at=at).author_typical(np.full(model.draws, followers))))

    return {"truth": float(np.exp(centre + effect)), "read_as_complete": typical(listed),
            "read_with_censoring": typical(censored), "listed_median": float(np.exp(np.median(logs[top]))),
            "posts": posts}


def parameter_table(model: AudienceModel) -> pl.DataFrame:
    """The fitted parameters as the page shows them: posterior median and 95% interval, on a readable scale
    (the year trend the assumption's, when the fit holds it fixed)."""
    fit = model.fit

    def posterior(name: str, transform=float) -> tuple[float, float, float]:
        low, high = fit.interval(name)
        return transform(fit.estimate(name)), transform(low), transform(high)

    at_2000 = model.typical_log_impressions(np.full(model.draws, 2000.0))
    trend = assumptions.load()["audience.year_effect"]
    drift = ("returns towards the members' over years" if fit.drift == "returning" else "a random walk")
    rows = [(f"Impressions of a typical post at 2,000 followers, {model.described_year:.0f}",
             *np.exp(np.quantile(at_2000, [0.5, 0.025, 0.975]))),
            ("Elasticity of impressions in followers (b)", *posterior("b")),
            ("Year trend: a typical post a year later (x)", *posterior("gamma", np.exp)) if "gamma" in fit.names
            else ("Year trend, assumed: a typical post a year later (x)", np.exp(trend.value), np.exp(trend.low),
                  np.exp(trend.high)),
            ("Spread between members (sd of log author effect)", *posterior("log_tau", np.exp))]
    if "log_kappa" in fit.names:
        rows.append((f"Drift of a member's level (sd of log over half a year; {drift})",
                     *posterior("log_kappa", np.exp)))
        if fit.drift == "returning":
            samples = np.asarray(fit.samples) if fit.samples else np.asarray([fit.vector])
            kappa, tau = (np.exp(samples[:, fit.names.index(name)]) for name in ("log_kappa", "log_tau"))
            left = members.correlation(kappa, tau, members.HALF_YEAR)
            rows.append(("Share of a member's level left half a year on (correlation)",
                         *np.quantile(left, [0.5, 0.025, 0.975])))
    rows.append(("Post-to-post spread of the median member (sd of log)", *posterior("log_sigma", np.exp)))
    if "log_omega" in fit.names:
        rows.append(("Spread of members' own post spreads (sd of log)", *posterior("log_omega", np.exp)))
    return pl.DataFrame([{"parameter": r[0], "estimate": float(r[1]), "low": float(r[2]), "high": float(r[3])}
                         for r in rows])


def reactions_beside_members(model: AudienceModel, record: dict, reactions: dict) -> pl.DataFrame:
    """Reactions per impression where members' records give both, the scraped posters' reactions beside
    members' of the same size in 2025, the members a typical post reaches and its impressions from beyond
    the author's audience, at 2,000 followers (``record``: the fit file's ``members``; ``reactions``: its
    scraped fit of 2024-25 posts)."""
    rate = record["rate"]
    rate_ref = float(np.exp(rate["log_rate_ref"]))
    low, high = np.exp(rate["log_rate_ref"] + np.array([-1.96, 1.96]) * rate["log_rate_ref_se"])
    at_2000 = np.full(model.draws, 2000.0)
    in_2025 = replace(model, year=members.YEAR_REF)
    members_reactions = float(np.median(in_2025.author_typical(at_2000))) * rate_ref
    scraped = float(np.exp(reactions["alpha"]))
    reached = model.posts(at_2000).reshape(model.draws, -1) / model.impressions_per_member[:, None] / 2000
    return pl.DataFrame([
        {"figure": "Reactions per impression at 2,000 followers",
         "value": f"{rate_ref:.1%} (95% interval {low:.1%}-{high:.1%})",
         "source": f"{rate['members']} members' own records, {rate['posts']} posts with both"},
        {"figure": "Reactions of a typical post at 2,000 followers (scraped: 2024-25 posts; members: 2025)",
         "value": f"scraped active posters {scraped:.0f}; members {members_reactions:.0f} "
                  f"(x{scraped / members_reactions:.1f})",
         "source": f"posts-findev ({reactions['authors']} members) and this model"},
        {"figure": "Members reached by a typical post, share of a 2,000-follower audience (published: 10-15%)",
         "value": f"{np.median(reached):.0%}", "source": "R. van der Blom, Algorithm Insights 2024 (1.5M posts, 34k profiles)"},
        {"figure": "Impressions from beyond the author's own audience at 2,000 followers (published: about 40%)",
         "value": f"{np.median(model.beyond_first(at_2000)):.0%} (set to it)",
         "source": "R. van der Blom, Algorithm Insights 2024"},
    ])


#: The blogger's own experiment (sources/): his availability update, 538 views at 357 connections, in 2017.
BLOGGER = {"views": 538, "connections": 357, "year": 2017}


def replay(histories: list[tuple[str, list, list, AudienceModel]], *, connections: int = 500,
           seed=None) -> pl.DataFrame:
    """The next post at ``connections`` after each history of earlier posts: (label, their impressions, the
    connections they were made at, the model they update, in its year)."""
    rows = []
    for label, views, made_at, start in histories:
        after = start.updated_by_connections(np.array(made_at, dtype=float), np.array(views, dtype=float)) \
            if len(views) else start
        result = predict(after, connections=connections, seed=seed)
        rows.append({"history": label, "median": result["median_views"], "q10": result["views_q10"],
                     "q90": result["views_q90"], "p": result["p_views_ge_1000"],
                     "p_low": result["p_views_ge_1000_q025"], "p_high": result["p_views_ge_1000_q975"]})
    return pl.DataFrame(rows)


def blogger_baseline(then: AudienceModel, *, seed=None) -> dict[str, float]:
    """The blogger's 2017 baseline in ``then`` (the model in 2017, read as the members' data's first year):
    where a typical post of 538 sits among members with 357 connections, the band of their typical posts,
    and the chance of 1,000 at 500 connections without and with his post known."""
    typical = then.author_typical(then.audience(connections=BLOGGER["connections"]))
    band = np.quantile(typical, AUTHOR_QUANTILES)
    before = predict(then, connections=500, seed=seed)
    after = predict(then.updated_by_connections(np.array([BLOGGER["connections"]], dtype=float),
                                                np.array([BLOGGER["views"]], dtype=float)), connections=500, seed=seed)
    return {"year_described": then.described_year, "percentile": float((typical < BLOGGER["views"]).mean()),
            **{f"author_q{round(q * 100):02d}": float(v) for q, v in zip(AUTHOR_QUANTILES, band)},
            "p1000_at_500": before["p_views_ge_1000"], "p1000_at_500_low": before["p_views_ge_1000_q025"],
            "p1000_at_500_high": before["p_views_ge_1000_q975"], "p1000_at_500_after": after["p_views_ge_1000"],
            "p1000_at_500_after_low": after["p_views_ge_1000_q025"],
            "p1000_at_500_after_high": after["p_views_ge_1000_q975"]}


# ---------------------------------------------------------------------------------------------
# Verdicts (model halves). Rules fixed with the claims, before the fitted model's results were seen.

def _doubling(ratio: np.ndarray, what: str) -> tuple[str, float, float, str]:
    """The verdict on the factor ``ratio`` (draws) by which doubling the network multiplies a typical post's
    ``what``, its 95% interval and the rule's text (:func:`helpers.rules.doubling`)."""
    low, high = _band(ratio)
    return rules.doubling(low, high), low, high, rules.doubling_rule(f"a typical post's {what}")


def _basis(model: AudienceModel) -> str:
    fit = model.fit
    return (f"updated with {model.own_posts} of your own posts" if model.own_posts else
            f"fitted to {fit.members} members' own analytics ({fit.posts:,} posts), in {model.described_year:.0f}")


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
                f"(elasticity {np.median(model.elasticity):.2f}, read between members of different sizes).")
    return Verdict("wider-post-audience", verdict, evidence, {
        "ratio": float(np.median(ratio)), "ratio_low": low, "ratio_high": high, "current": current, "larger": larger,
        "elasticity": float(np.median(model.elasticity)), "elasticity_band": _band(model.elasticity),
        "median_now": at["median"], "median_larger": doubled["median"], "own_posts": model.own_posts,
        "year": model.described_year, "rule": rule,
    })


def judge_views_model(table: pl.DataFrame, model: AudienceModel, needed: int | None) -> Verdict:
    """views-1000-at-500: the chance that a post by a member with 500 connections reaches 1,000 impressions,
    over members as they differ (the author effect drawn from the members' own, unless updated)."""
    at = table.filter(pl.col("connections") == 500).row(0, named=True)
    verdict = "supported" if at["p1000_low"] > 0.5 else "not supported" if at["p1000_high"] < 0.5 else "mixed"
    odds = (f"even odds need about {needed:,} connections" if needed else
            "even at 30,000 connections the odds stay below one half")
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
    found = now_and_larger(table, current, "more-engagement")
    if isinstance(found, Verdict):
        return found
    _, _, larger = found
    ratio = (larger / current) ** model.reactions_beta
    verdict, low, high, rule = _doubling(ratio, "reactions")
    fit = reactions_fit()
    evidence = (f"Across {fit.authors} members' {fit.posts:,} posts, reactions grow like followers^{np.median(model.reactions_beta):.2f}: "
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
    from helpers.model.judging import robustness_table

    return robustness_table(lambda setting: verdicts(model_for(setting), current), ASSUMED.values(),
                            draws=draws, seed=seed)


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
    if args.connections is not None and not 1 <= args.connections <= 30_000:
        parser.error("--connections must be between 1 and 30,000 (LinkedIn's cap)")
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
