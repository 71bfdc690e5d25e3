"""lower-quality-connections: are the connections made in bursts messaged less often than the others?

Connecting indiscriminately leaves a trace in the export's dates: weeks of :data:`BURST_WEEK` or more new
connections. A connection the member has ever messaged (:func:`helpers.evidence.inner_circle.match_messages`)
stands for a meaningful one; the two groups' shares are compared by :func:`helpers.rules.difference`.
"""

from __future__ import annotations

import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import stats

#: A burst: a week in which the member added at least this many connections.
BURST_WEEK = 5
MIN_PER_GROUP = 20
#: The two groups compared: A (expected to be messaged more) and B.
OTHERS, BURSTS = "the others", "made in bursts"


def burst_split(connections: pl.DataFrame, counts: pl.DataFrame) -> stats.TwoShares:
    """The others (A) against the connections made in weeks of at least ``BURST_WEEK`` new connections (B), and
    how many of each the member ever messaged. ``counts`` is :func:`helpers.evidence.inner_circle.match_messages`'s
    (``connection``, ``messages``), in the order of the identified connections."""
    people = (connections.filter(~pl.col("is_ghost")).with_row_index("connection")
              .join(counts.select("connection", "messages"), on="connection", how="left")
              .filter(pl.col("connected_on").is_not_null())
              .with_columns(pl.col("connected_on").dt.truncate("1w").alias("week")))
    people = people.with_columns((pl.len().over("week") >= BURST_WEEK).alias("burst"),
                                 (pl.col("messages").fill_null(0) > 0).alias("messaged"))
    burst, other = people.filter(pl.col("burst")), people.filter(~pl.col("burst"))
    return stats.TwoShares(OTHERS, int(other["messaged"].sum()), other.height, BURSTS, int(burst["messaged"].sum()),
                           burst.height)


def judge_lower_quality(split: stats.TwoShares | None, why_not: str = "") -> Verdict:
    """lower-quality-connections: connections made in bursts (connecting indiscriminately) are messaged less:
    :func:`helpers.rules.difference` on the others' share messaged minus the bursts' (:func:`burst_split`)."""
    claim = "lower-quality-connections"
    if split is None:
        return not_testable(claim, why_not or "The export has no messages file.")
    if min(split.n_a, split.n_b) < MIN_PER_GROUP:
        return not_testable(claim, f"Too few connections to compare: {split.n_b} made in weeks of {BURST_WEEK} or "
                                   f"more new connections and {split.n_a} otherwise (at least {MIN_PER_GROUP} each).")
    d, lo, hi = split.difference
    evidence = (f"You have messaged {split.hits_b / split.n_b:.0%} of the {split.n_b:,} connections made in "
                f"weeks of {BURST_WEEK} or more new connections and {split.hits_a / split.n_a:.0%} of the "
                f"other {split.n_a:,}: a difference of {d * 100:+.0f} points (95% interval {lo * 100:+.0f} to "
                f"{hi * 100:+.0f}).")
    return Verdict(claim, rules.difference(lo, hi), evidence, {
        "burst": split.n_b, "burst_messaged": split.hits_b, "other": split.n_a,
        "other_messaged": split.hits_a, "difference": d, "ci_low": lo, "ci_high": hi,
        "covers": "ever messaging a connection as the sign of a meaningful one",
        "rule": f"connections made in weeks of {BURST_WEEK} or more new ones stand for connecting indiscriminately; "
                + rules.difference_rule("(others' share messaged - bursts' share)"),
        "bias": "Bursts also come from joining a new employer or an event, whose people you may message more.",
    })
