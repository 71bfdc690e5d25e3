"""wider-post-audience, more-engagement and views-1000-at-500: what the member's own posts got as the network grew.

Each post of the creator-analytics workbooks is paired with the network's size on its publish day
(:func:`posts_with_network_size`). Impressions and engagement are judged by the slope of a log-log fit
(:func:`helpers.rules.slope`); the blogger's 1,000 views past 500 connections by the share of posts that got
there (:func:`helpers.rules.majority`). The thresholds are constants here, written before any export was judged.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import profile, stats
from helpers.export import LinkedInExport, what_would_fill

#: The rules of the impressions and engagement claims, as the page and the verdicts say them.
IMPRESSIONS_RULE = rules.slope_rule("a post's impressions")
ENGAGEMENT_RULE = rules.slope_rule("a post's engagement (plus one)")
#: A trend needs at least 20 posts spanning network sizes at least 1.3 times apart.
MIN_POSTS_FOR_TREND = 20
MIN_SIZE_RANGE = 1.3
#: The blogger's threshold and the network size he expected it at.
VIEWS_TARGET = 1_000
VIEWS_AT_SIZE = profile.DISPLAY_CAP
MIN_POSTS_PAST_500 = 5


def analytics_gap(export: LinkedInExport) -> tuple[str, str]:
    """(heading, reason) when the post claims cannot be measured; ("", "") when they can."""
    if export.analytics is None:
        return export.why_missing("analytics")
    if export.analytics.posts.is_empty():
        return "No posts", (f"The workbooks read ({', '.join(export.analytics.files)}) hold no per-post figures: "
                            "the claims about your posts need the Content or post analytics export. "
                            + what_would_fill("analytics"))
    return "", ""


def posts_with_network_size(posts: pl.DataFrame, connections: pl.DataFrame, followers: pl.DataFrame | None = None,
                            follower_total: int | None = None, follower_total_on: date | None = None) -> pl.DataFrame:
    """Posts with ``network_size`` (connections on the publish day) and, where the workbooks allow,
    ``followers`` (rebuilt backwards from the latest total and the daily new-follower counts)."""
    dated = posts.filter(pl.col("published_on").is_not_null() & pl.col("impressions").is_not_null())
    with_size = dated.with_columns(profile.size_on(connections, dated["published_on"]).alias("network_size"))
    if followers is None or followers.is_empty() or follower_total is None or follower_total_on is None:
        return with_size.with_columns(pl.lit(None, dtype=pl.Int64).alias("followers"))
    daily = followers.sort("date")
    later = (daily.with_columns(pl.col("new_followers").fill_null(0))
             .with_columns(pl.col("new_followers").reverse().cum_sum().reverse().alias("gained_since")))
    start = daily["date"].min()
    return (
        with_size.sort("published_on")
        .join_asof(later.select(pl.col("date").alias("published_on"), "gained_since", "new_followers"),
                   on="published_on", strategy="forward")
        .with_columns(
            pl.when(pl.col("published_on") >= start)
            .then(follower_total - pl.col("gained_since") + pl.col("new_followers").fill_null(0))
            .cast(pl.Int64).alias("followers"))
        .drop("gained_since", "new_followers")
    )


def fitted_line(posts: pl.DataFrame, fit: stats.LogLogFit, points: int = 50) -> pl.DataFrame:
    """The fitted power law over the posts' network sizes: ``network_size``, ``impressions``."""
    grid = np.geomspace(posts["network_size"].min(), posts["network_size"].max(), points)
    return pl.DataFrame({"network_size": grid, "impressions": fit.predict(grid)})


def connections_and_followers(posts: pl.DataFrame) -> pl.DataFrame:
    """Connections and followers on each post's day, long (``published_on``, ``count of``, ``value``)."""
    return posts.select("published_on", pl.col("network_size").cast(pl.Int64).alias("Connections"),
                        pl.col("followers").alias("Followers")).unpivot(index="published_on", variable_name="count of")


def _trend_gap(sizes: pl.DataFrame) -> tuple[str, float]:
    """("", spread) when the posts allow a trend, else (why not, spread): too few or too narrow a range."""
    spread = (sizes["network_size"].max() / sizes["network_size"].min()) if sizes.height else 0
    if sizes.height >= MIN_POSTS_FOR_TREND and spread >= MIN_SIZE_RANGE:
        return "", spread
    return (f"spanning network sizes {spread:.2f} times apart; a trend needs {MIN_POSTS_FOR_TREND} posts over a "
            f"{MIN_SIZE_RANGE} times range."), spread


def judge_audience(posts: pl.DataFrame | None, why_not: str = "") -> tuple[Verdict, stats.LogLogFit | None]:
    """Supported when the slope of log(impressions) on log(network size) is above 0 with 95% confidence."""
    claim = "wider-post-audience"
    if posts is None:
        return not_testable(claim, why_not or "The export holds no creator-analytics workbook."), None
    sizes = posts.filter(pl.col("network_size") > 0)
    gap, spread = _trend_gap(sizes)
    if gap:
        return not_testable(claim, f"{sizes.height} posts {gap}", posts=sizes.height, size_range=spread), None
    fit = stats.fit_loglog(sizes["network_size"].to_numpy(), sizes["impressions"].to_numpy())
    evidence = (f"Across {fit.n} posts, "
                f"{stats.doubling_words(fit.slope, fit.slope_low, fit.slope_high, 'the impressions')}.")
    return Verdict(claim, rules.slope(fit.slope_low, fit.slope_high), evidence, {
        "slope": fit.slope, "ci_low": fit.slope_low, "ci_high": fit.slope_high, "posts": fit.n,
        "r_squared": fit.r_squared, "size_range": spread,
        "rule": IMPRESSIONS_RULE,
        "bias": "Network size grows with time, so the slope also carries everything else that changed over "
                "those months (LinkedIn's ranking, the topics, the member's following).",
    }), fit


def judge_engagement(posts: pl.DataFrame | None, why_not: str = "") -> Verdict:
    """more-engagement, your own posts: the slope of log(reactions + comments + reposts) on log(network size)."""
    claim = "more-engagement"
    if posts is None:
        return not_testable(claim, why_not or "The export holds no creator-analytics workbook.")
    counted = posts.with_columns(
        pl.when(pl.col("reactions").is_not_null())
        .then(pl.col("reactions").fill_null(0) + pl.col("comments").fill_null(0) + pl.col("reposts").fill_null(0))
        .otherwise(pl.col("engagements")).alias("engaged")
    ).filter((pl.col("network_size") > 0) & pl.col("engaged").is_not_null())
    gap, _ = _trend_gap(counted)
    if gap:
        return not_testable(claim, f"{counted.height} posts with their engagement, {gap}", posts=counted.height)
    fit = stats.fit_loglog(counted["network_size"].to_numpy(), counted["engaged"].to_numpy() + 1)
    doubled = stats.doubling_words(fit.slope, fit.slope_low, fit.slope_high, "the reactions, comments and reposts")
    evidence = f"Across {fit.n} of your posts, {doubled}. Profile views are not in an export."
    return Verdict(claim, rules.slope(fit.slope_low, fit.slope_high), evidence, {
        "slope": fit.slope, "ci_low": fit.slope_low, "ci_high": fit.slope_high, "posts": fit.n,
        "covers": "likes, comments and shares of your posts; profile views are not in an export",
        "rule": ENGAGEMENT_RULE,
        "bias": "Network size grows with time, so the slope also carries everything else that changed over those "
                "months.",
    })


def past_the_size(posts: pl.DataFrame) -> pl.DataFrame:
    """The posts made with more than :data:`VIEWS_AT_SIZE` connections, with ``log_impressions`` (base 10)."""
    return posts.filter(pl.col("network_size") > VIEWS_AT_SIZE).with_columns(
        pl.col("impressions").log10().alias("log_impressions"))


def judge_views_target(posts: pl.DataFrame | None, why_not: str = "") -> Verdict:
    """Supported when most posts made past :data:`VIEWS_AT_SIZE` connections reached :data:`VIEWS_TARGET`
    impressions (:func:`helpers.rules.majority` on the Wilson interval)."""
    claim = "views-1000-at-500"
    if posts is None:
        return not_testable(claim, why_not or "The export holds no creator-analytics workbook.")
    past = past_the_size(posts)
    if past.height < MIN_POSTS_PAST_500:
        return not_testable(claim, f"Only {past.height} of your posts in the workbooks were made with more than "
                                   f"{VIEWS_AT_SIZE} connections (at least {MIN_POSTS_PAST_500} needed).",
                            posts_past_500=past.height)
    hits = int((past["impressions"] >= VIEWS_TARGET).sum())
    lo, hi = stats.wilson(hits, past.height)
    median = float(past["impressions"].median())
    evidence = (f"{hits} of your {past.height} posts made past {VIEWS_AT_SIZE} connections reached {VIEWS_TARGET:,} "
                f"impressions ({hits / past.height:.0%}, 95% interval {lo:.0%}-{hi:.0%}); the median post had {median:,.0f}.")
    return Verdict(claim, rules.majority(lo, hi), evidence, {
        "hits": hits, "posts": past.height, "share": hits / past.height, "ci_low": lo, "ci_high": hi,
        "median_impressions": median,
        "rule": f"supported if the 95% interval of the share of posts reaching {VIEWS_TARGET:,} lies above 50%; not "
                "supported if below 50%; mixed otherwise",
    })
