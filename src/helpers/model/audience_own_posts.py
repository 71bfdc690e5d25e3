"""The member's own posts in the audience model: the windows their analytics give (LinkedIn's censoring
included), the check of the update on their later posts, and what a capped list does to it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial

import numpy as np
import polars as pl
from scipy import special

from helpers.evidence.member import Member
from helpers.model import assumptions, audience
from helpers.model.audience import MIN_OWN_POSTS, POSTS_PER_STATE, STATES, YOU, AudienceModel
from helpers.model.audience_filter import member_filter, middle_year
from helpers.model.audience_likelihood import Window, level, stratified
from helpers.model.audience_states import BANDS, later_posts_pit, pit_coverage, states_after
from helpers.model.audience_windows import split_member


def own_posts_table(posts: pl.DataFrame) -> pl.DataFrame:
    """The member's posts with the audience they were made to: ``followers`` from the workbooks where
    known, else connections on the day plus the assumed followers who are not connections (the
    assumption's value, so that the update does not move with its draws)."""
    extra = assumptions.value("audience.follower_extra")
    return (posts.filter((pl.col("network_size") > 0) & (pl.col("impressions") > 0))
            .with_columns(pl.coalesce(pl.col("followers").cast(pl.Float64),
                                      pl.col("network_size") * (1 + extra)).alias("audience"))
            .sort("published_on"))


#: How many posts a full TOP POSTS list holds (LinkedIn's cap), in :func:`capped_list_example`.
LISTED = 50


def member_posts(member: Member) -> tuple[pl.DataFrame | None, list[Window]]:
    """The member's posts (:func:`own_posts_table`, None without analytics) and their windows
    (:func:`own_windows`), from the member summary."""
    if member.own_posts is None:
        return None, []
    own = own_posts_table(member.own_posts)
    return own, own_windows(own, member.analytics_periods, member.top_posts, member.share_days)


def own_windows(posts: pl.DataFrame, windows: pl.DataFrame, listings: pl.DataFrame,
                share_days: pl.Series | None = None) -> list[Window]:
    """The member's posts as the likelihood reads them, one window per analytics period.

    ``posts`` is :func:`own_posts_table`'s frame (the audience of each post), ``windows`` and ``listings``
    the reader's (``Analytics.windows``, ``Analytics.listings``), ``share_days`` the day of each share in
    ``Shares.csv`` (None when the export has none: the number of unlisted posts is then unknown).
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
        if capped and share_days is not None:
            days = share_days.filter(share_days.is_between(start, end)).value_counts(name="posts")
            on_day = dict(zip(*inside.group_by("published_on").len().to_dict(as_series=False).values()))
            unlisted = np.concatenate([np.full(max(n - on_day.get(day, 0), 0), day, dtype="datetime64[D]")
                                       for day, n in days.iter_rows()] or [unlisted])
        total = row["total_impressions"]
        log = lambda values: np.log(values.to_numpy().astype(float))  # noqa: E731
        found.append(Window(
            member=YOU, window=row["source"], start=start, end=end,
            followers_start=float(inside["audience"][0]), followers_end=float(inside["audience"][-1]),
            log_impressions=log(old["impressions"]), dates=old["published_on"].to_numpy().astype("datetime64[D]"),
            log_at_least=log(young["impressions"]),
            at_least_dates=young["published_on"].to_numpy().astype("datetime64[D]"),
            listed=inside.height, log_cap=float(np.log(row["impressions_min"])) if capped else None,
            unlisted_dates=unlisted, unlisted_complete=share_days is not None,
            max_unlisted=max(int(per_day * ((end - start).days + 1)) - inside.height, 0),
            unlisted_total=(max(total * (1 - other) - float(mine["impressions"].sum()), 0.0)
                            if capped and total is not None else None),
            total_sd=other * total if total is not None else 0.0))
    for row in posts.filter(~pl.col("url").is_in(list(listed_urls))).iter_rows(named=True):
        day = row["published_on"]
        found.append(Window(YOU, row["url"], day, day, row["audience"], row["audience"],
                                    np.log([float(row["impressions"])]), np.array([day], dtype="datetime64[D]")))
    return found


def own_reach_ratio(posts: pl.DataFrame) -> float | None:
    """The member's own impressions per member reached (median over posts that have both), or None."""
    both = posts.filter((pl.col("members_reached") > 0) & (pl.col("impressions") >= pl.col("members_reached")))
    return float((both["impressions"] / both["members_reached"]).median()) if both.height >= MIN_OWN_POSTS else None


def window_quantiles(model: AudienceModel, window: Window, quantiles=(0.05, 0.25, 0.75, 0.95)) -> np.ndarray:
    """Quantiles of a post's impressions in ``window`` (its audience and year) under ``model``'s states."""
    centre = level(model.parameters, window.log_audience, window.years, model.fit.year_range)
    z = special.ndtri(stratified(POSTS_PER_STATE))
    logs = centre[:, None, None] + model.states.effects[:, :, None] + model.states.spreads[:, :, None] * z
    return np.exp(np.quantile(logs, quantiles))


def coverage(windows: list[Window], model: AudienceModel) -> tuple[pl.DataFrame, dict]:
    """Update the author effect on the member's earlier posts (cut at the median date), predict the later
    ones, and count how many fell inside the predicted 50% and 90% intervals, censoring included (a post
    below a full list's smallest counts as the share of its possible range inside), beside the same
    without the update. ``model`` is the member's model before their posts."""
    earlier, later, cut = split_member(windows)
    found = member_filter(earlier, model.fit.kind, model.parameters, model.fit.year_range,
                                  drift=model.fit.drift)
    rows, counted = [], {"updated": [], "not updated": []}
    for window in later:
        fitted = replace(model, states=states_after(found, STATES, middle_year(window)))
        bands = window_quantiles(fitted, window)
        for day, value in zip(window.dates, np.exp(window.log_impressions)):
            rows.append({"published_on": day.astype(date), "impressions": float(value), "q05": bands[0],
                         "q25": bands[1], "q75": bands[2], "q95": bands[3]})
        for name, which in (("updated", fitted), ("not updated", model)):
            low, high, weight = later_posts_pit(which.fit, which.parameters, which.states, window)
            counted[name].append((pit_coverage(low, high, *BANDS["50"]) * weight,
                                  pit_coverage(low, high, *BANDS["90"]) * weight, weight))
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
    in a year (author effect ``effect``, the model's post spread), of which the workbook lists the top
    ``LISTED``.
    Returns the member's true typical post and the typical post the update gives when the list is read as
    complete, and when it is read as LinkedIn writes it (the rest below the smallest listed, their number
    from ``Shares.csv``, their sum from the period's total)."""
    rng = np.random.default_rng(seed)
    start, end = date(model.year, 1, 1), date(model.year, 12, 31)
    days = np.sort(rng.integers(0, 365, posts)).astype("timedelta64[D]") + np.datetime64(start, "D")
    centre = float(np.median(model.typical_log_impressions(np.full(model.draws, followers))))
    spread = float(np.median(model.states.spreads))
    logs = centre + effect + spread * rng.standard_normal(posts)
    top = np.argsort(logs)[::-1][:LISTED]
    rest = np.setdiff1d(np.arange(posts), top)
    listed = Window(YOU, f"top {LISTED}", start, end, followers, followers, logs[top], days[top], listed=LISTED)
    censored = replace(listed, log_cap=float(logs[top].min()), unlisted_dates=days[rest], unlisted_complete=True,
                       unlisted_total=float(np.exp(logs[rest]).sum()), total_sd=0.03 * float(np.exp(logs).sum()))

    def typical(window) -> float:  # the member's level in the window itself, not carried on by the drift
        at = middle_year(window)
        return float(np.median(model.updated([window], at=at).author_typical(np.full(model.draws, followers))))

    return {"truth": float(np.exp(centre + effect)), "read_as_complete": typical(listed),
            "read_with_censoring": typical(censored), "listed_median": float(np.exp(np.median(logs[top]))),
            "posts": posts, "listed": LISTED}


@dataclass(frozen=True)
class MemberAudience:
    """The audience model of one member, as the audience page builds it: a new member's (``typical``), updated with
    the member's own posts where there are at least ``MIN_OWN_POSTS`` of them (``own``, ``windows``, their own
    impressions per member reached), and ``model_for`` to rebuild it at another setting of the assumptions."""

    typical: AudienceModel
    own: pl.DataFrame | None
    windows: list[Window]
    uses_own: bool
    reach_ratio: float | None
    model_for: Callable[..., AudienceModel]

    @property
    def model(self) -> AudienceModel:
        return self.model_for()


def member_audience(member: Member, *, seed, draws: int = audience.DRAWS, year: int | None = None) -> MemberAudience:
    """The member's audience model (the page's and the one a later check writes predictions from)."""
    typical = AudienceModel.default(seed=seed, draws=draws, year=year)
    own, windows = member_posts(member)
    uses_own = own is not None and own.height >= MIN_OWN_POSTS
    reach_ratio = own_reach_ratio(own) if uses_own else None
    updated = typical.updated(windows) if uses_own else typical
    model_for = partial(audience.member_model, seed=seed, draws=draws, year=year,
                        windows=windows if uses_own else None, once=updated, reach_ratio=reach_ratio)
    return MemberAudience(typical, own, windows, uses_own, reach_ratio, model_for)
