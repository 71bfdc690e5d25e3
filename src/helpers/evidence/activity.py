"""What the member's own activity shows as their network grew: the claims about growth an export can answer.

- ``access-to-opportunities``: do new connections keep bringing new workplaces (where openings and news
  come from), or do they come from the same few employers?
- ``lower-quality-connections``: are connections made in bursts messaged less often than the others?
- ``badge-social-proof``: did invitations to the member rise once the profile showed "500+"?
- ``spam-rises``: do unwanted conversations (sponsored, spam folder, never answered) rise with network size?
- ``more-engagement`` (the member's posts): do reactions, comments and reposts rise with network size?

Every rule is written here as constants, before any export was judged; each measure is a function over
polars frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import profile, stats
from helpers.export.matching import person_key

# ---------------------------------------------------------------------------------------------
# access-to-opportunities

#: Workplaces keep coming: each doubling of the network brings at least 41% more employers (elasticity 0.5).
DIVERSITY_GROWS = 0.5
#: Saturated: under 15% more employers per doubling (elasticity 0.2).
DIVERSITY_FLAT = 0.2
MIN_CONNECTIONS_FOR_DIVERSITY = 50


def _in_order(connections: pl.DataFrame) -> pl.DataFrame:
    """Dated, identified connections in the order they were made, with ``employer`` and ``function``."""
    return (connections.filter(~pl.col("is_ghost") & pl.col("connected_on").is_not_null())
            .with_row_index("row").sort(["connected_on", "row"])
            .select(pl.when(profile.is_placeholder(pl.col("company"))).then(None)
                    .otherwise(profile.company_key(pl.col("company"))).alias("employer"),
                    profile.job_function(pl.col("position")).alias("function")))


def _sizes(n: int) -> np.ndarray:
    return np.unique(np.round(np.geomspace(min(25, n), n, 24)).astype(int))


def _distinct_curve(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sizes, distinct codes among the first ``size``) for codes in order; code -1 counts for nothing."""
    first = np.zeros(codes.size, dtype=bool)
    first[np.unique(codes, return_index=True)[1]] = True
    first &= codes >= 0
    sizes = _sizes(codes.size)
    return sizes, np.cumsum(first)[sizes - 1]


def employer_diversity(connections: pl.DataFrame) -> pl.DataFrame:
    """Distinct employers and job functions among the member's first ``connections`` connections, in the
    order they were made, at sizes from 25 to all of them (a geometric grid)."""
    people = _in_order(connections)
    if people.height < 2:
        return pl.DataFrame(schema={"connections": pl.Int64, "employers": pl.Int64, "functions": pl.Int64})
    codes = people.select(pl.col("employer").rank("dense").fill_null(0).cast(pl.Int64) - 1,
                          pl.when(pl.col("function") != "Other").then(pl.col("function")).rank("dense")
                          .fill_null(0).cast(pl.Int64) - 1)
    sizes, employers = _distinct_curve(codes["employer"].to_numpy())
    _, functions = _distinct_curve(codes["function"].to_numpy())
    return pl.DataFrame({"connections": sizes, "employers": employers, "functions": functions})


def diversity_elasticity(connections: pl.DataFrame, *, seed: int, resamples: int = 200) -> tuple[float, float, float]:
    """Slope of log(distinct employers) on log(connections) along the member's growth, with a 95% interval
    from half-samples: half the connections drawn without replacement (their order by date kept; a
    resample with replacement would repeat employers and bias a count of distinct ones), whose spread,
    divided by sqrt(2), is the full sample's standard error."""
    codes = _in_order(connections).select(pl.col("employer").rank("dense").fill_null(0).cast(pl.Int64) - 1)
    codes = codes.to_series().to_numpy()

    def slope(sample: np.ndarray) -> float:
        sizes, distinct = _distinct_curve(sample)
        keep = distinct > 0
        return stats.fit_loglog(sizes[keep], distinct[keep]).slope

    rng = np.random.default_rng(seed)
    half = codes.size // 2
    estimates = [slope(codes[np.sort(rng.choice(codes.size, half, replace=False))]) for _ in range(resamples)]
    estimate, error = slope(codes), float(np.std(estimates, ddof=1)) / np.sqrt(2)
    return estimate, estimate - stats.Z95 * error, estimate + stats.Z95 * error


def judge_access(connections: pl.DataFrame, *, seed: int) -> Verdict:
    """access-to-opportunities, from the member's own network: do more connections mean more workplaces?"""
    claim = "access-to-opportunities"
    people = connections.filter(~pl.col("is_ghost") & pl.col("connected_on").is_not_null())
    curve = employer_diversity(connections)
    if people.height < MIN_CONNECTIONS_FOR_DIVERSITY or curve.filter(pl.col("employers") > 0).height < 3:
        return not_testable(claim, f"{people.height} dated connections with employers; at least "
                                   f"{MIN_CONNECTIONS_FOR_DIVERSITY} are needed to follow how they diversified.")
    elasticity, low, high = diversity_elasticity(connections, seed=seed)
    verdict = "supported" if low >= DIVERSITY_GROWS else "not supported" if high < DIVERSITY_FLAT else "mixed"
    first, last = curve.row(0, named=True), curve.row(-1, named=True)
    evidence = (f"As your network grew from {first['connections']:,} to {last['connections']:,} connections, their "
                f"employers went from {first['employers']:,} to {last['employers']:,}: like connections^{elasticity:.2f} "
                f"(95% CI {low:.2f} to {high:.2f}), so each doubling brought about {2 ** elasticity - 1:.0%} more "
                f"workplaces to hear from.")
    return Verdict(claim, verdict, evidence, {
        "elasticity": elasticity, "ci_low": low, "ci_high": high, "employers": last["employers"],
        "functions": last["functions"], "connections": last["connections"],
        "covers": "the variety of workplaces among your connections; whether you heard of openings through them is "
                  "not in an export",
        "rule": f"supported if the 95% interval of the elasticity of distinct employers in connections, along your "
                f"own growth, lies at or above {DIVERSITY_GROWS} (each doubling brings at least "
                f"{2 ** DIVERSITY_GROWS - 1:.0%} more employers); not supported if it lies below {DIVERSITY_FLAT}; "
                f"mixed otherwise",
        "bias": "Employers are today's, not those at the time you connected. On LinkedIn, moderately weak ties "
                "(about 10 mutual connections) helped job moves most; strangers and close ties less "
                "(Rajkumar et al., Science 2022, 20M members).",
    })


# ---------------------------------------------------------------------------------------------
# lower-quality-connections

#: A burst: a week in which the member added at least this many connections.
BURST_WEEK = 5
MIN_PER_GROUP = 20


@dataclass(frozen=True)
class Split:
    """Messaged shares of two groups of connections: made in bursts, and the others."""

    burst: int
    burst_messaged: int
    other: int
    other_messaged: int

    @property
    def difference(self) -> tuple[float, float, float]:
        """Others' share minus the bursts' share, with the Newcombe 95% interval."""
        return stats.newcombe_difference(self.other_messaged, self.other, self.burst_messaged, self.burst)


def burst_split(connections: pl.DataFrame, counts: pl.DataFrame) -> Split:
    """Connections made in weeks of at least ``BURST_WEEK`` new connections, against the others, and how many
    of each the member ever messaged. ``counts`` is ``measures.match_messages``'s (``connection``,
    ``messages``), in the order of the identified connections."""
    people = (connections.filter(~pl.col("is_ghost")).with_row_index("connection")
              .join(counts.select("connection", "messages"), on="connection", how="left")
              .filter(pl.col("connected_on").is_not_null())
              .with_columns(pl.col("connected_on").dt.truncate("1w").alias("week")))
    people = people.with_columns((pl.len().over("week") >= BURST_WEEK).alias("burst"),
                                 (pl.col("messages").fill_null(0) > 0).alias("messaged"))
    burst, other = people.filter(pl.col("burst")), people.filter(~pl.col("burst"))
    return Split(burst.height, int(burst["messaged"].sum()), other.height, int(other["messaged"].sum()))


def judge_lower_quality(split: Split | None, why_not: str = "") -> Verdict:
    """lower-quality-connections: connections made in bursts (connecting indiscriminately) are messaged less."""
    claim = "lower-quality-connections"
    if split is None:
        return not_testable(claim, why_not or "The export has no messages file.")
    if min(split.burst, split.other) < MIN_PER_GROUP:
        return not_testable(claim, f"Too few connections to compare: {split.burst} made in weeks of {BURST_WEEK} or "
                                   f"more new connections and {split.other} otherwise (at least {MIN_PER_GROUP} each).")
    d, lo, hi = split.difference
    verdict = rules.difference(lo, hi)
    evidence = (f"You have messaged {split.burst_messaged / split.burst:.0%} of the {split.burst:,} connections made in "
                f"weeks of {BURST_WEEK} or more new connections and {split.other_messaged / split.other:.0%} of the "
                f"other {split.other:,}: a difference of {d * 100:+.0f} points (95% CI {lo * 100:+.0f} to "
                f"{hi * 100:+.0f}).")
    return Verdict(claim, verdict, evidence, {
        "burst": split.burst, "burst_messaged": split.burst_messaged, "other": split.other,
        "other_messaged": split.other_messaged, "difference": d, "ci_low": lo, "ci_high": hi,
        "covers": "ever messaging a connection as the sign of a meaningful one",
        "rule": f"connections made in weeks of {BURST_WEEK} or more new ones stand for connecting indiscriminately; "
                + rules.difference_rule("(others' share messaged - bursts' share)"),
        "bias": "Bursts also come from joining a new employer or an event, whose people you may message more.",
    })


# ---------------------------------------------------------------------------------------------
# badge-social-proof

#: Weeks compared on each side of the day the profile first showed "500+" (at least MIN_WEEKS each).
BADGE_WEEKS = 12
MIN_WEEKS = 4
MIN_INVITATIONS = 10
#: A rate ratio within 0.8-1.25 is no meaningful change.
RATIO_EQUIVALENCE = (0.8, 1.25)


@dataclass(frozen=True)
class BadgeWindow:
    crossed_on: date
    weeks_before: float
    weeks_after: float
    before: int
    after: int

    @property
    def ratio(self) -> tuple[float, float, float]:
        """Weekly rate after / before, with a 95% interval (Wilson interval of the share after, given the total)."""
        total = self.before + self.after
        low, high = stats.wilson(self.after, total)
        scale = self.weeks_before / self.weeks_after
        odds = lambda p: p / (1 - p) * scale if p < 1 else float("inf")  # noqa: E731
        point = odds(self.after / total) if total else float("nan")
        return point, odds(low), odds(high)


def badge_window(invitations: pl.DataFrame, crossed_on: date | None) -> BadgeWindow | str:
    """Invitations received in up to ``BADGE_WEEKS`` weeks before and after the day the member passed 500,
    or why they cannot be compared."""
    if crossed_on is None:
        return "Your network has not passed 500 connections."
    dated = invitations.filter(pl.col("sent_at").is_not_null())
    if dated.is_empty():
        return "Invitations.csv holds no dated invitation."
    first, last = dated["sent_at"].min().date(), dated["sent_at"].max().date()
    start = max(first, crossed_on - timedelta(weeks=BADGE_WEEKS))
    end = min(last, crossed_on + timedelta(weeks=BADGE_WEEKS))
    before, after = (crossed_on - start).days / 7, (end - crossed_on).days / 7
    if before < MIN_WEEKS or after < MIN_WEEKS:
        return (f"Invitations.csv covers {first:%d %b %Y} to {last:%d %b %Y}, but your profile first showed \"500+\" "
                f"on {crossed_on:%d %b %Y}: at least {MIN_WEEKS} weeks on each side of that day are needed (LinkedIn "
                f"exports only the last months of invitations).")
    incoming = dated.filter(pl.col("direction").str.to_uppercase() == "INCOMING").with_columns(
        pl.col("sent_at").dt.date().alias("day"))
    counted = incoming.select(pl.col("day").is_between(start, crossed_on, closed="left").sum().alias("before"),
                              pl.col("day").is_between(crossed_on, end, closed="left").sum().alias("after")).row(0)
    return BadgeWindow(crossed_on, before, after, int(counted[0]), int(counted[1]))


def judge_badge(window: BadgeWindow | str | None, why_not: str = "") -> Verdict:
    """badge-social-proof: did more people invite the member once the profile showed "500+"?"""
    claim = "badge-social-proof"
    if window is None or isinstance(window, str):
        return not_testable(claim, window or why_not or "The export has no Invitations.csv.")
    if window.before + window.after < MIN_INVITATIONS:
        return not_testable(claim, f"Only {window.before + window.after} invitations received around the day you "
                                   f"passed 500 (at least {MIN_INVITATIONS} needed).")
    ratio, low, high = window.ratio
    verdict = ("supported" if low > 1 else
               "not supported" if high < 1 or (RATIO_EQUIVALENCE[0] <= low and high <= RATIO_EQUIVALENCE[1])
               else "mixed")
    evidence = (f"Invitations received: {window.before / window.weeks_before:.1f} a week in the {window.weeks_before:.0f} "
                f"weeks before your profile first showed \"500+\" ({window.crossed_on:%d %b %Y}) and "
                f"{window.after / window.weeks_after:.1f} a week in the {window.weeks_after:.0f} weeks after: x{ratio:.2f} "
                f"(95% CI x{low:.2f} to x{high:.2f}).")
    return Verdict(claim, verdict, evidence, {
        "before": window.before, "after": window.after, "weeks_before": window.weeks_before,
        "weeks_after": window.weeks_after, "ratio": ratio, "ci_low": low, "ci_high": high,
        "covers": "invitations you received; the credibility others saw in the badge is not in an export",
        "rule": f"supported if the 95% interval of the weekly rate of invitations received after / before the day "
                f"you passed 500 lies above 1; not supported if it lies below 1 or within "
                f"{RATIO_EQUIVALENCE[0]}-{RATIO_EQUIVALENCE[1]}; mixed otherwise",
        "bias": "Anything else that changed around that day (a new job, a post that travelled) moves the rate too.",
    })


# ---------------------------------------------------------------------------------------------
# spam-rises

MIN_MONTHS = 12


def unwanted_by_month(messages: pl.DataFrame, connections: pl.DataFrame) -> pl.DataFrame:
    """Per month: conversations that were unwanted (sponsored, in the spam folder, or never answered by
    the member), by the month they began, with the member's network size at the month's end.

    The member is the person who sent messages in the most conversations.
    """
    keyed = messages.filter(pl.col("sent_at").is_not_null()).with_columns(
        person_key(pl.col("from_name")).alias("sender"))
    senders = keyed.group_by("sender").agg(pl.col("conversation_id").n_unique().alias("n")).drop_nulls("sender")
    member = senders.sort(["n", "sender"], descending=[True, False])["sender"].first() if senders.height else None
    conversations = keyed.group_by("conversation_id").agg(
        pl.col("sent_at").min().alias("began"),
        (pl.col("conversation_title").fill_null("").str.to_lowercase().str.contains("sponsored")
         | (pl.col("folder").fill_null("").str.to_uppercase() == "SPAM")
         | (pl.col("from_name").fill_null("") == "LinkedIn Member")).any().alias("flagged"),
        (pl.col("sender") == member).any().alias("answered"))
    monthly = (conversations.with_columns(pl.col("began").dt.truncate("1mo").dt.date().alias("month"),
                                          (pl.col("flagged") | ~pl.col("answered")).alias("unwanted"))
               .group_by("month").agg(pl.len().alias("conversations"), pl.col("unwanted").sum().alias("unwanted"))
               .sort("month"))
    if monthly.is_empty():
        return monthly.with_columns(pl.lit(0, pl.Int64).alias("network_size"))
    ends = monthly["month"].dt.offset_by("1mo").dt.offset_by("-1d")
    return monthly.with_columns(profile.size_on(connections, ends).cast(pl.Int64).alias("network_size"))


def judge_spam(monthly: pl.DataFrame | None, why_not: str = "") -> Verdict:
    """spam-rises: do unwanted conversations a month rise with network size?"""
    claim = "spam-rises"
    if monthly is None:
        return not_testable(claim, why_not or "The export has no messages file.")
    usable = monthly.filter(pl.col("network_size") > 0)
    if usable.height < MIN_MONTHS or usable["network_size"].n_unique() < 3:
        return not_testable(claim, f"{usable.height} months of messages; at least {MIN_MONTHS} with different network "
                                   "sizes are needed.")
    x = np.log(usable["network_size"].to_numpy())
    y = np.log1p(usable["unwanted"].to_numpy())
    fit = stats.fit_line(x, y)
    low, high = fit.slope_low, fit.slope_high
    verdict = "supported" if low > 0 else "not supported" if high <= 0 else "mixed"
    evidence = (f"Over {usable.height} months, unwanted conversations (sponsored, spam folder or never answered) grew "
                f"like network size^{fit.slope:.2f} (95% CI {low:.2f} to {high:.2f}); {int(usable['unwanted'].sum()):,} in "
                f"all, {usable['unwanted'].mean():.1f} a month.")
    return Verdict(claim, verdict, evidence, {
        "slope": fit.slope, "ci_low": low, "ci_high": high, "months": usable.height,
        "unwanted": int(usable["unwanted"].sum()),
        "covers": "unwanted messages; connection requests and notifications from strangers are not counted",
        "rule": "supported if the 95% interval of the slope of log(1 + unwanted conversations a month) on log(network "
                "size) lies above 0; not supported if it lies at or below 0; mixed otherwise",
        "bias": "Network size grows with time, so the slope also carries LinkedIn's changing ads and filters.",
    })
