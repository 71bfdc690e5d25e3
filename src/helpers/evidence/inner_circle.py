"""inner-circle: does the member only talk to a small inner circle of their connections?

Messages between people (:func:`helpers.export.matching.personal_messages`) are counted per identified
connection; the concentration of those counts (the share of connections ever messaged, the share of
messages the most-messaged tenth hold) is judged by the rule below, written before any export was judged,
and only when the messages' people could be matched to the connections.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from helpers.claims import Verdict, not_testable
from helpers.evidence import stats
from helpers.evidence.matched import with_matching
from helpers.export import LinkedInExport, matching
from helpers.export.matching import MatchReport

#: "Small inner circle": at most a quarter of connections ever messaged, and the most-messaged tenth of
#: connections holding at least three quarters of the messages.
INNER_MAX_SHARE_MESSAGED = 0.25
INNER_MIN_TOP_TENTH = 0.75
#: "Whole network": more than half messaged, or the top tenth holding under half of the messages.
WHOLE_MIN_SHARE_MESSAGED = 0.50
WHOLE_MAX_TOP_TENTH = 0.50
#: The most-messaged connections a ranking shows.
RANKED = 25


def messages_gap(export: LinkedInExport) -> tuple[str, str]:
    """(heading, reason) when the inner-circle claim cannot be measured; ("", "") when it can."""
    if export.messages is None:
        return export.why_missing("messages")
    if export.messages.is_empty():
        return "Nothing to measure", f"{export.reads('messages')[0].file} holds no message."
    return "", ""


def match_messages(messages: pl.DataFrame, connections: pl.DataFrame,
                   file: str = "messages.csv") -> tuple[pl.DataFrame, MatchReport]:
    """Messages exchanged with each identified connection (zero for most): ``connection``, ``messages``;
    and how well the messages' people were matched to connections.

    Every message counts once for each of its participants other than the member
    (:func:`helpers.export.matching.message_people`); a name two connections share is never attributed.
    """
    index = matching.connection_index(connections)
    people, use_urls = matching.message_people(matching.personal_messages(messages).with_row_index("message"), index)
    others = (people.filter(pl.col("who").is_not_null() & ~pl.col("is_member"))
              .unique(["message", "who"], maintain_order=True))
    resolved = matching.resolve(others, index, use_urls)
    counted = (resolved.filter(pl.col("connection").is_not_null()).group_by("connection")
               .agg(pl.col("message").n_unique().alias("messages")))
    counts = (index.select("connection").join(counted, on="connection", how="left", maintain_order="left")
              .with_columns(pl.col("messages").fill_null(0).cast(pl.Int64)))
    report = matching.tally(resolved, file, use_urls, "appearances of people in your messages")
    return counts, report


def message_counts(messages: pl.DataFrame, connections: pl.DataFrame) -> pl.DataFrame:
    """Messages exchanged with each identified connection: ``connection``, ``messages`` (see :func:`match_messages`)."""
    return match_messages(messages, connections)[0]


@dataclass(frozen=True)
class InnerCircle:
    """How the ``messages`` spread over the identified ``connections``: how many were ``messaged``, the
    share the 10 and the tenth most messaged hold (the latter with its bootstrap interval), the Gini; and
    the share the most-messaged tenth of the *messaged* connections hold, which still says something when
    fewer than a tenth of all connections were ever messaged (the top tenth then holds every message by
    construction, :attr:`top_tenth_is_everyone`)."""

    connections: int
    messaged: int
    messages: int
    top10_share: float
    top_tenth_share: float
    top_tenth_interval: tuple[float, float]
    gini: float
    messaged_top_tenth_share: float | None = None

    @property
    def share_messaged(self) -> float:
        return self.messaged / self.connections if self.connections else 0.0

    @property
    def top_tenth_is_everyone(self) -> bool:
        """True when every connection ever messaged falls in the most-messaged tenth, so that tenth holds all
        the messages whatever the member does: the statistic cannot tell anything."""
        return 0 < self.messaged <= _tenth(self.connections)


def _tenth(size: int) -> int:
    return max(1, int(round(size * 0.10)))


def inner_circle(counts: pl.DataFrame, seed: int) -> InnerCircle:
    """Concentration of messages over all identified connections, with a bootstrap interval (by seed)."""
    values = counts["messages"].to_numpy()
    tenth = _tenth(values.size)
    interval = stats.bootstrap_interval(values, lambda v: stats.top_share(v, tenth), seed=seed, resamples=1000)
    messaged = values[values > 0]
    return InnerCircle(
        connections=int(values.size), messaged=int(messaged.size), messages=int(values.sum()),
        top10_share=stats.top_share(values, 10), top_tenth_share=stats.top_share(values, tenth),
        top_tenth_interval=interval, gini=stats.gini(values),
        messaged_top_tenth_share=stats.top_share(messaged, _tenth(messaged.size)) if messaged.size else None,
    )


def lorenz_points(counts: pl.DataFrame, most: int = 400) -> pl.DataFrame:
    """The Lorenz curve of the counts (``connections``, ``messages``: shares, least messaged first), thinned
    to about ``most`` points for the chart; the first point (0, 0) and the last (1, 1) are always kept, since
    the most-messaged connections, last in the curve, are what it is drawn for."""
    people, held = stats.lorenz(counts["messages"].to_numpy())
    step = max(1, people.size // most)
    kept = np.unique(np.append(np.arange(0, people.size, step), people.size - 1))
    return pl.DataFrame({"connections": people[kept], "messages": held[kept]})


def most_messaged(counts: pl.DataFrame, connections: pl.DataFrame, show_names: bool) -> pl.DataFrame:
    """The :data:`RANKED` most-messaged connections: ``rank``, ``messages`` and ``contact`` (``#rank``, with the
    first name only when ``show_names``)."""
    first_names = connections.filter(~pl.col("is_ghost")).with_row_index("connection").select("connection",
                                                                                              "first_name")
    contact = (pl.format("#{} {}", pl.col("rank"), pl.col("first_name").fill_null("")) if show_names
               else pl.format("#{}", pl.col("rank")))
    return (counts.filter(pl.col("messages") > 0).sort("messages", descending=True).head(RANKED)
            .with_row_index("rank", offset=1).join(first_names, on="connection", how="left")
            .with_columns(contact.alias("contact")))


def judge_inner_circle(measure: InnerCircle | None, why_not: str = "", matching: MatchReport | None = None) -> Verdict:
    """The rule below; with ``matching``, not testable when too few of the messages' people were matched
    to connections (:func:`helpers.evidence.matched.with_matching`), however concentrated the matched ones look."""
    if matching is not None and matching.looked_up and not matching.trusted:
        return not_testable("inner-circle", matching.why_not(), matching=matching.details(), rule=matching.rule)
    if measure is None or measure.messages == 0:
        return not_testable("inner-circle", why_not or "The export has no messages with your connections.")
    return with_matching(_judge_inner_circle(measure), matching)


def _judge_inner_circle(measure: InnerCircle) -> Verdict:
    lo, hi = stats.wilson(measure.messaged, measure.connections)
    t_lo, t_hi = measure.top_tenth_interval
    if hi <= INNER_MAX_SHARE_MESSAGED and t_lo >= INNER_MIN_TOP_TENTH:
        verdict = "supported"
    elif lo > WHOLE_MIN_SHARE_MESSAGED or t_hi < WHOLE_MAX_TOP_TENTH:
        verdict = "not supported"
    else:
        verdict = "mixed"
    evidence = (f"You have messaged {measure.share_messaged:.0%} of your connections (95% interval {lo:.0%}-{hi:.0%}); "
                + (_among_the_messaged(measure) if measure.top_tenth_is_everyone else
                   f"the most-messaged tenth of them account for {measure.top_tenth_share:.0%} of the messages "
                   f"({t_lo:.0%}-{t_hi:.0%})") + f"; Gini {measure.gini:.2f}.")
    return Verdict("inner-circle", verdict, evidence, {
        "share_messaged": measure.share_messaged, "ci_low": lo, "ci_high": hi, "messaged": measure.messaged,
        "connections": measure.connections, "messages": measure.messages, "top10_share": measure.top10_share,
        "top_tenth_share": measure.top_tenth_share, "top_tenth_ci": list(measure.top_tenth_interval),
        "gini": measure.gini, "top_tenth_is_everyone": measure.top_tenth_is_everyone,
        "messaged_top_tenth_share": measure.messaged_top_tenth_share,
        "rule": f"supported if at most {INNER_MAX_SHARE_MESSAGED:.0%} of connections were ever messaged and the top "
                f"tenth hold at least {INNER_MIN_TOP_TENTH:.0%} of messages (interval ends); not supported if more "
                f"than {WHOLE_MIN_SHARE_MESSAGED:.0%} were messaged or the top tenth hold under "
                f"{WHOLE_MAX_TOP_TENTH:.0%}; mixed otherwise (when fewer than a tenth were ever messaged, the top "
                f"tenth hold every message by construction and the share messaged decides alone)",
        "bias": "Messages are one channel: reactions, comments and meetings are not attributable to people here.",
    })


def _among_the_messaged(measure: InnerCircle) -> str:
    """The evidence's second half when the top tenth of all connections holds every message by construction."""
    among = measure.messaged_top_tenth_share
    return (f"no more than a tenth, so all your messages went to a tenth of your connections or fewer and the "
            f"most-messaged tenth of them cannot tell more"
            + (f"; among the {measure.messaged:,} you messaged, the most-messaged tenth account for {among:.0%} of "
               f"the messages" if among is not None else ""))
