"""personalized-invites and ignored-invites-rise: are invitations with a note, or sent in light weeks, accepted more?

An outgoing invitation of ``Invitations.csv`` counts as accepted when its invitee is a connection now
(found by :func:`helpers.export.matching.invitation_people`). Both claims compare the acceptance of
two groups of invitations by :func:`helpers.rules.difference`, judged only when the two files' people
could be matched (:func:`helpers.evidence.matched.with_matching`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import stats
from helpers.evidence.matched import with_matching
from helpers.export import LinkedInExport, matching
from helpers.export.matching import MatchReport

#: Fewest invitations in each group for a comparison.
MIN_INVITES_PER_GROUP = 10


def invitations_gap(export: LinkedInExport) -> tuple[str, str]:
    """(heading, reason) when the invitation claims cannot be measured; ("", "") when they can."""
    if export.invitations is None:
        return export.why_missing("invitations")
    if not (export.invitations["direction"].str.to_uppercase() == "OUTGOING").any():
        return "Nothing to measure", "Invitations.csv holds no invitation you sent."
    return "", ""


def invitation_matching(invitations: pl.DataFrame, connections: pl.DataFrame, file: str = "Invitations.csv") -> MatchReport:
    """How well invitations meet connections: of the connections made since the file's first invitation,
    the share found in it. Each of them came from an invitation (sent or received) that the file lists,
    so a low share means the two files' people could not be matched, whatever the acceptance rate."""
    resolved, use_urls = matching.invitation_people(invitations, connections)
    start = invitations["sent_at"].min()
    index = matching.connection_index(connections)
    recent = connections.filter(~pl.col("is_ghost")).with_row_index("connection").select("connection", "connected_on")
    recent = recent.filter(pl.col("connected_on") >= (start.date() if start is not None else date.max))
    found = (resolved.filter(pl.col("connection").is_not_null()).group_by("connection")
             .agg(pl.col("match").first()))
    shared = index.filter(pl.col("name_key").is_not_null()).group_by("name_key").len().filter(pl.col("len") > 1)
    ambiguous = index.filter(pl.col("name_key").is_in(shared["name_key"].implode()))["connection"]
    looked = (recent.join(found, on="connection", how="left")
              .with_columns(pl.when(pl.col("match").is_not_null()).then(pl.col("match"))
                            .when(pl.col("connection").is_in(ambiguous.implode()) & ~pl.lit(use_urls))
                            .then(pl.lit("ambiguous")).otherwise(pl.lit("none")).alias("match")))
    basis = (f"connections you made since {file} begins on {start:%d %b %Y}" if start is not None else
             f"connections made while {file} was kept (its invitations carry no date)")
    return matching.tally(looked, file, use_urls, basis, "in it")


def outgoing_invitations(invitations: pl.DataFrame, connections: pl.DataFrame) -> pl.DataFrame:
    """Outgoing invitations with ``accepted`` (the invitee is a connection now; null when that cannot be
    told: the name is shared by two connections, or there is neither address nor name), ``match`` (how
    the invitee was looked up), ``has_message``, ``week`` and ``sent_that_week`` (how many the member
    sent in that calendar week)."""
    resolved, _ = matching.invitation_people(invitations, connections)
    decided = pl.col("match").is_in(["url", "name", "none"])
    return (
        resolved.filter(pl.col("outgoing"))
        .with_columns(
            pl.col("sent_at").dt.truncate("1w").dt.date().alias("week"),
            pl.col("has_message").fill_null(False),
            pl.when(decided).then(pl.col("connection").is_not_null()).alias("accepted"),
        )
        .with_columns(pl.len().over("week").alias("sent_that_week"))
        .select("sent_at", "week", "has_message", "accepted", "sent_that_week", "match")
    )


@dataclass(frozen=True)
class Sent:
    """What the member sent in the file's window: ``first`` and ``last`` day, ``sent`` invitations,
    ``with_note`` of them, ``accepted`` so far and ``undecided`` (whether accepted cannot be told)."""

    first: date
    last: date
    sent: int
    with_note: int
    accepted: int
    undecided: int

    @property
    def rate(self) -> float:
        decided = self.sent - self.undecided
        return self.accepted / decided if decided else 0.0


def sent_summary(outgoing: pl.DataFrame) -> Sent:
    """The window and counts of :func:`outgoing_invitations`."""
    row = outgoing.select(pl.col("sent_at").min().dt.date().alias("first"), pl.col("sent_at").max().dt.date().alias("last"),
                          pl.len(), pl.col("has_message").sum(), pl.col("accepted").sum(),
                          pl.col("accepted").null_count().alias("undecided")).row(0)
    return Sent(row[0], row[1], int(row[2]), int(row[3]), int(row[4]), int(row[5]))


def weekly_acceptance(outgoing: pl.DataFrame) -> pl.DataFrame:
    """One row a week: ``week``, invitations ``sent`` and the share accepted (``rate``)."""
    return (outgoing.group_by("week").agg(pl.len().alias("sent"), pl.col("accepted").mean().alias("rate"))
            .sort("week"))


def compare(outgoing: pl.DataFrame, condition: pl.Expr, label_a: str, label_b: str) -> stats.TwoShares:
    """Acceptance of invitations where ``condition`` holds (A) vs where it does not (B); invitations whose
    acceptance cannot be told (``accepted`` null) are left out of both."""
    counts = outgoing.filter(pl.col("accepted").is_not_null()).select(
        (condition & pl.col("accepted")).sum().alias("ka"), condition.sum().alias("na"),
        (~condition & pl.col("accepted")).sum().alias("kb"), (~condition).sum().alias("nb"),
    ).row(0)
    return stats.TwoShares(label_a, int(counts[0]), int(counts[1]), label_b, int(counts[2]), int(counts[3]))


def heavy_weeks(outgoing: pl.DataFrame) -> pl.Expr:
    """Invitations sent in a heavy week: one with more invitations than the member's median week."""
    median = outgoing.select(pl.col("sent_that_week").unique().median()).item() if outgoing.height else 0
    return pl.col("sent_that_week") > (median or 0)


def _judge_difference(claim_id: str, comparison: stats.TwoShares | None, why_not: str,
                      matching: MatchReport | None, claim_direction: str) -> Verdict:
    """The shared rule (:func:`helpers.rules.difference` on A - B), at least :data:`MIN_INVITES_PER_GROUP`
    invitations in each group, under :func:`helpers.evidence.matched.with_matching`."""
    if comparison is None:
        return not_testable(claim_id, why_not or "The export has no Invitations.csv.")
    if min(comparison.n_a, comparison.n_b) < MIN_INVITES_PER_GROUP:
        return not_testable(claim_id, f"Too few invitations to compare: {comparison.n_a} {comparison.label_a} "
                                      f"and {comparison.n_b} {comparison.label_b} (at least "
                                      f"{MIN_INVITES_PER_GROUP} each needed).",
                            sent_a=comparison.n_a, sent_b=comparison.n_b)
    d, lo, hi = comparison.difference
    rate_a, _, _ = comparison.rate("a")
    rate_b, _, _ = comparison.rate("b")
    evidence = (f"{comparison.label_a.capitalize()}: {rate_a:.0%} accepted of {comparison.n_a}; "
                f"{comparison.label_b}: {rate_b:.0%} of {comparison.n_b}; difference {d * 100:+.0f} points "
                f"(95% interval {lo * 100:+.0f} to {hi * 100:+.0f}).")
    return with_matching(Verdict(claim_id, rules.difference(lo, hi), evidence, {
        "rate_a": rate_a, "rate_b": rate_b, "sent_a": comparison.n_a, "sent_b": comparison.n_b,
        "accepted_a": comparison.hits_a, "accepted_b": comparison.hits_b,
        "difference": d, "ci_low": lo, "ci_high": hi, "claim_direction": claim_direction,
        "rule": rules.difference_rule(),
        "bias": "Invitations.csv covers only recent months, and a pending invitation looks like an ignored one.",
    }), matching)


def judge_personalized(comparison: stats.TwoShares | None, why_not: str = "",
                       matching: MatchReport | None = None) -> Verdict:
    """personalized-invites: A = invitations with a note, B = without (see :func:`_judge_difference`)."""
    return _judge_difference("personalized-invites", comparison, why_not, matching, "with a note minus without")


def judge_intensity(comparison: stats.TwoShares | None, why_not: str = "",
                    matching: MatchReport | None = None) -> Verdict:
    """ignored-invites-rise: the claim expects light weeks to do better: A = light weeks, B = heavy weeks."""
    return _judge_difference("ignored-invites-rise", comparison, why_not, matching, "light weeks minus heavy weeks")
