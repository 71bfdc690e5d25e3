"""spam-rises: do unwanted conversations rise with the member's network size?

A conversation is unwanted when one of its messages is flagged (sponsored, LinkedIn's own sender, the
spam folder: :func:`helpers.export.matching.flagged_message`) or the member never wrote in it (the member
as :func:`helpers.export.matching.message_people` finds them). Each month's count is set against the
network's size at the month's end and judged by the slope rule (:func:`helpers.rules.slope`).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import profile, stats
from helpers.export import matching

#: Fewest months (with different network sizes) for a trend.
MIN_MONTHS = 12


#: The rule of the spam claim, as the page and the verdict say it.
RULE = rules.slope_rule("unwanted conversations a month (plus one)")

def unwanted_by_month(messages: pl.DataFrame, connections: pl.DataFrame) -> pl.DataFrame:
    """Per month: conversations that were unwanted (flagged, or never answered by the member), by the month
    they began, with the member's network size at the month's end."""
    dated = messages.filter(pl.col("sent_at").is_not_null()).with_row_index("message")
    people, _ = matching.message_people(dated, matching.connection_index(connections))
    answered = people.filter(pl.col("sender") & pl.col("is_member")).select("message").unique()
    conversations = (dated.join(answered.with_columns(pl.lit(True).alias("answered")), on="message", how="left")
                     .group_by("conversation_id").agg(pl.col("sent_at").min().alias("began"),
                                                      matching.flagged_message().any().alias("flagged"),
                                                      pl.col("answered").any().fill_null(False)))
    monthly = (conversations.with_columns(pl.col("began").dt.truncate("1mo").dt.date().alias("month"),
                                          (pl.col("flagged") | ~pl.col("answered")).alias("unwanted"))
               .group_by("month").agg(pl.len().alias("conversations"), pl.col("unwanted").sum().alias("unwanted"))
               .sort("month"))
    if monthly.is_empty():
        return monthly.with_columns(pl.lit(0, pl.Int64).alias("network_size"))
    ends = monthly["month"].dt.offset_by("1mo").dt.offset_by("-1d")
    return monthly.with_columns(profile.size_on(connections, ends).cast(pl.Int64).alias("network_size"))


def judge_spam(monthly: pl.DataFrame | None, why_not: str = "") -> Verdict:
    """spam-rises: the slope of log(1 + unwanted conversations a month) on log(network size)."""
    claim = "spam-rises"
    if monthly is None:
        return not_testable(claim, why_not or "The export has no messages file.")
    usable = monthly.filter(pl.col("network_size") > 0)
    if usable.height < MIN_MONTHS or usable["network_size"].n_unique() < 3:
        return not_testable(claim, f"{usable.height} months of messages; at least {MIN_MONTHS} with different network "
                                   "sizes are needed.")
    fit = stats.fit_line(np.log(usable["network_size"].to_numpy()), np.log1p(usable["unwanted"].to_numpy()))
    evidence = (f"Over {usable.height} months, unwanted conversations (sponsored, spam folder or never answered) grew "
                f"as your network grew: "
                f"{stats.doubling_words(fit.slope, fit.slope_low, fit.slope_high, 'the unwanted conversations')}; "
                f"{int(usable['unwanted'].sum()):,} in all, {usable['unwanted'].mean():.1f} a month.")
    return Verdict(claim, rules.slope(fit.slope_low, fit.slope_high), evidence, {
        "slope": fit.slope, "ci_low": fit.slope_low, "ci_high": fit.slope_high, "months": usable.height,
        "unwanted": int(usable["unwanted"].sum()),
        "covers": "unwanted messages; connection requests and notifications from strangers are not counted",
        "rule": RULE,
        "bias": "Network size grows with time, so the slope also carries LinkedIn's changing ads and filters.",
    })
