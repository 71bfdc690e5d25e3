"""Measures of the claims the member's own export can answer, and the rules that judge them.

Each ``judge_*`` function holds its rule as constants written down before any data was looked at;
the thresholds are part of the claim's reading, stated in the verdict's details. Each measure is a
function over polars frames; no row loops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import profile, stats
from helpers.export import LinkedInExport, matching
from helpers.export.matching import MatchReport, person_key, profile_slug

# ---------------------------------------------------------------------------------------------
# Shared keys


def reference_date(export: LinkedInExport) -> date:
    """The export's 'today': the latest date any of its tables mentions."""
    candidates = [export.connections["connected_on"].max()]
    for table, column in ((export.invitations, "sent_at"), (export.messages, "sent_at")):
        latest = table[column].max() if table is not None and table.height else None
        if latest is not None:
            candidates.append(latest.date())
    return max(d for d in candidates if d is not None)


def name_key(name: pl.Expr) -> pl.Expr:
    """A comparable form of a person's name (:func:`helpers.export.matching.person_key`)."""
    return person_key(name)


def connection_keys(connections: pl.DataFrame) -> pl.DataFrame:
    """Each identified connection with ``url_key`` (profile slug) and ``name_key`` (normalised name)."""
    index = matching.connection_index(connections)
    return connections.filter(~pl.col("is_ghost")).with_columns(index["url_key"], index["name_key"])


def colleagues_gap(export: LinkedInExport) -> tuple[str, str]:
    """(heading, reason) when the colleagues claim cannot be measured on this export; ("", "") when it can."""
    if export.positions is None:
        return export.why_missing("positions")
    if export.positions.is_empty():
        return "Nothing to measure", "Positions.csv lists none of your employers."
    if not export.has_column("connections", "company"):
        return "Not in this export", ("Your Connections.csv has no Company column (it was removed), so no "
                                      "connection's employer is known.")
    return "", ""


def invitations_gap(export: LinkedInExport) -> tuple[str, str]:
    """(heading, reason) when the invitation claims cannot be measured; ("", "") when they can."""
    if export.invitations is None:
        return export.why_missing("invitations")
    if not (export.invitations["direction"].str.to_uppercase() == "OUTGOING").any():
        return "Nothing to measure", "Invitations.csv holds no invitation you sent."
    return "", ""


def messages_gap(export: LinkedInExport) -> tuple[str, str]:
    """(heading, reason) when the inner-circle claim cannot be measured; ("", "") when it can."""
    if export.messages is None:
        return export.why_missing("messages")
    if export.messages.is_empty():
        return "Nothing to measure", f"{export.reads('messages')[0].file} holds no message."
    return "", ""


def analytics_gap(export: LinkedInExport) -> tuple[str, str]:
    """(heading, reason) when the post claims cannot be measured; ("", "") when they can."""
    if export.analytics is None:
        return export.why_missing("analytics")
    if export.analytics.posts.is_empty():
        return "No posts", (f"The workbooks read ({', '.join(export.analytics.files)}) hold no per-post figures: "
                            "the claims about your posts need the Content or post analytics export.")
    return "", ""


# ---------------------------------------------------------------------------------------------
# colleagues-large-share

#: The claim's "significant portion", read as a fifth of one's connections or more.
COLLEAGUES_SIGNIFICANT = 0.20
#: Below a tenth, colleagues are not a significant portion.
COLLEAGUES_SMALL = 0.10


def employer_periods(positions: pl.DataFrame, until: date) -> pl.DataFrame:
    """The member's employers: ``key``, ``company``, ``started_on``, ``finished_on`` (open ends = ``until``)."""
    return (
        positions.filter(pl.col("company").is_not_null() & ~profile.is_placeholder(pl.col("company")))
        .select(
            profile.company_key(pl.col("company")).alias("key"), pl.col("company"), pl.col("title"),
            pl.col("started_on"), pl.col("finished_on").fill_null(until),
        )
        .filter(pl.col("key").is_not_null())
    )


def colleague_flags(connections: pl.DataFrame, positions: pl.DataFrame, until: date) -> pl.DataFrame:
    """Identified connections with ``is_colleague`` (their current employer is one of the member's)
    and ``met_there`` (connected while the member worked at that employer)."""
    periods = employer_periods(positions, until)
    people = connections.filter(~pl.col("is_ghost")).with_row_index("row").with_columns(
        profile.company_key(pl.col("company")).alias("key"))
    overlap = (
        people.join(periods.select("key", "started_on", "finished_on"), on="key", how="inner")
        .group_by("row")
        .agg(((pl.col("connected_on") >= pl.col("started_on").fill_null(date.min))
              & (pl.col("connected_on") <= pl.col("finished_on"))).any().alias("met_there"))
    )
    return (
        people.join(overlap, on="row", how="left")
        .with_columns(pl.col("key").is_in(periods["key"].implode()).fill_null(False).alias("is_colleague"),
                      pl.col("met_there").fill_null(False))
        .drop("row")
    )


@dataclass(frozen=True)
class ColleagueShare:
    identified: int
    colleagues: int
    met_there: int

    @property
    def share(self) -> float:
        return self.colleagues / self.identified if self.identified else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        return stats.wilson(self.colleagues, self.identified)


def colleague_share(flags: pl.DataFrame) -> ColleagueShare:
    row = flags.select(pl.len(), pl.col("is_colleague").sum(), pl.col("met_there").sum()).row(0)
    return ColleagueShare(int(row[0]), int(row[1]), int(row[2]))


def judge_colleagues(measure: ColleagueShare | None, why_not: str = "") -> Verdict:
    """Supported when even the interval's low end is >= 20%; not supported when its high end is < 10%."""
    if measure is None or measure.identified == 0:
        return not_testable("colleagues-large-share", why_not or "The export has no Positions.csv.")
    lo, hi = measure.interval
    rule = (f"supported if the 95% interval of the share lies at or above {COLLEAGUES_SIGNIFICANT:.0%}; "
            f"not supported if it lies below {COLLEAGUES_SMALL:.0%}; mixed otherwise")
    verdict = ("supported" if lo >= COLLEAGUES_SIGNIFICANT else "not supported" if hi < COLLEAGUES_SMALL
               else "mixed")
    evidence = (f"{measure.share:.0%} of your identified connections (95% CI {lo:.0%}-{hi:.0%}) work today at "
                f"a company you worked for; {measure.met_there / measure.identified:.0%} connected while you were there.")
    return Verdict("colleagues-large-share", verdict, evidence, {
        "share": measure.share, "ci_low": lo, "ci_high": hi, "colleagues": measure.colleagues,
        "identified_connections": measure.identified, "met_there": measure.met_there, "rule": rule,
        "bias": "The export knows only each connection's current employer: former colleagues who moved on are "
                "missed, so the share is a lower bound.",
    })


# ---------------------------------------------------------------------------------------------
# personalized-invites and ignored-invites-rise

#: Fewest invitations in each group for a comparison.
MIN_INVITES_PER_GROUP = 10


def invitation_people(invitations: pl.DataFrame, connections: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """Every invitation with its other person (the invitee of an outgoing one, the inviter of an incoming
    one) looked up among the connections (``connection``, ``match``: see :func:`helpers.export.matching.resolve`);
    and whether profile addresses were used (:data:`helpers.export.matching.URL_USABLE_SHARE` of both files)."""
    outgoing = pl.col("direction").str.to_uppercase() == "OUTGOING"
    people = invitations.with_columns(
        outgoing.fill_null(False).alias("outgoing"),
        profile_slug(pl.when(outgoing).then(pl.col("invitee_url")).otherwise(pl.col("inviter_url"))).alias("url_key"),
        person_key(pl.when(outgoing).then(pl.col("to_name")).otherwise(pl.col("from_name"))).alias("name_key"),
    )
    index = matching.connection_index(connections)
    use_urls = matching.urls_usable(index["url_key"]) and matching.urls_usable(people["url_key"])
    return matching.resolve(people, index, use_urls), use_urls


def invitation_matching(invitations: pl.DataFrame, connections: pl.DataFrame, file: str = "Invitations.csv") -> MatchReport:
    """How well invitations meet connections: of the connections made since the file's first invitation,
    the share found in it. Each of them came from an invitation (sent or received) that the file lists,
    so a low share means the two files' people could not be matched, whatever the acceptance rate."""
    resolved, use_urls = invitation_people(invitations, connections)
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
    resolved, _ = invitation_people(invitations, connections)
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
class RateComparison:
    """Acceptance in group A vs group B, with the Newcombe interval of the difference A - B."""

    label_a: str
    accepted_a: int
    sent_a: int
    label_b: str
    accepted_b: int
    sent_b: int

    @property
    def difference(self) -> tuple[float, float, float]:
        return stats.newcombe_difference(self.accepted_a, self.sent_a, self.accepted_b, self.sent_b)

    def rate(self, group: str) -> tuple[float, float, float]:
        k, n = (self.accepted_a, self.sent_a) if group == "a" else (self.accepted_b, self.sent_b)
        lo, hi = stats.wilson(k, n)
        return k / n if n else float("nan"), lo, hi

    def table(self) -> pl.DataFrame:
        rows = []
        for group, label, sent in (("a", self.label_a, self.sent_a), ("b", self.label_b, self.sent_b)):
            rate, lo, hi = self.rate(group)
            rows.append({"group": label, "sent": sent, "rate": rate, "ci_low": lo, "ci_high": hi})
        return pl.DataFrame(rows)


def compare(outgoing: pl.DataFrame, condition: pl.Expr, label_a: str, label_b: str) -> RateComparison:
    """Acceptance of invitations where ``condition`` holds (A) vs where it does not (B); invitations whose
    acceptance cannot be told (``accepted`` null) are left out of both."""
    counts = outgoing.filter(pl.col("accepted").is_not_null()).select(
        (condition & pl.col("accepted")).sum().alias("ka"), condition.sum().alias("na"),
        (~condition & pl.col("accepted")).sum().alias("kb"), (~condition).sum().alias("nb"),
    ).row(0)
    return RateComparison(label_a, int(counts[0]), int(counts[1]), label_b, int(counts[2]), int(counts[3]))


def _judge_difference(claim_id: str, comparison: RateComparison, claim_direction: str, unit: str) -> Verdict:
    """The shared rule: supported when the interval of (A - B) lies above 0; not supported when it lies
    below 0 or inside +-5 points (no meaningful difference); mixed when it is too wide to tell."""
    if min(comparison.sent_a, comparison.sent_b) < MIN_INVITES_PER_GROUP:
        return not_testable(claim_id, f"Too few invitations to compare: {comparison.sent_a} {comparison.label_a} "
                                      f"and {comparison.sent_b} {comparison.label_b} (at least "
                                      f"{MIN_INVITES_PER_GROUP} each needed).",
                            sent_a=comparison.sent_a, sent_b=comparison.sent_b)
    d, lo, hi = comparison.difference
    verdict = rules.difference(lo, hi)
    rate_a, _, _ = comparison.rate("a")
    rate_b, _, _ = comparison.rate("b")
    evidence = (f"{comparison.label_a.capitalize()}: {rate_a:.0%} accepted of {comparison.sent_a}; "
                f"{comparison.label_b}: {rate_b:.0%} of {comparison.sent_b}; difference {d * 100:+.0f} {unit} "
                f"(95% CI {lo * 100:+.0f} to {hi * 100:+.0f}).")
    return Verdict(claim_id, verdict, evidence, {
        "rate_a": rate_a, "rate_b": rate_b, "sent_a": comparison.sent_a, "sent_b": comparison.sent_b,
        "accepted_a": comparison.accepted_a, "accepted_b": comparison.accepted_b,
        "difference": d, "ci_low": lo, "ci_high": hi, "claim_direction": claim_direction,
        "rule": rules.difference_rule(),
        "bias": "Invitations.csv covers only recent months, and a pending invitation looks like an ignored one.",
    })


def with_matching(verdict: Verdict, report: MatchReport | None) -> Verdict:
    """The verdict judged on people matched across files, under the matching rule: ``not testable``
    with the reason when the matching is not trusted (:attr:`MatchReport.trusted`), else the verdict
    with the matching's figures and its rule added to the rule it states."""
    if report is None or verdict.verdict == "not testable":
        return verdict
    if not report.trusted:
        return not_testable(verdict.id, report.why_not(), matching=report.details(), rule=report.rule)
    details = dict(verdict.details)
    details["rule"] = f"{details.get('rule', '')}; {report.rule}".lstrip("; ")
    details["matching"] = report.details()
    return Verdict(verdict.id, verdict.verdict, verdict.evidence, details)


def judge_personalized(comparison: RateComparison | None, why_not: str = "",
                       matching: MatchReport | None = None) -> Verdict:
    """See :func:`_judge_difference`; with ``matching``, also :func:`with_matching`."""
    if comparison is None:
        return not_testable("personalized-invites", why_not or "The export has no Invitations.csv.")
    return with_matching(_judge_difference("personalized-invites", comparison, "with a note minus without",
                                           "points"), matching)


def heavy_weeks(outgoing: pl.DataFrame) -> pl.Expr:
    """Invitations sent in a heavy week: one with more invitations than the member's median week."""
    median = outgoing.select(pl.col("sent_that_week").unique().median()).item() if outgoing.height else 0
    return pl.col("sent_that_week") > (median or 0)


def judge_intensity(comparison: RateComparison | None, why_not: str = "",
                    matching: MatchReport | None = None) -> Verdict:
    """The claim expects light weeks to do better: A = light weeks, B = heavy weeks."""
    if comparison is None:
        return not_testable("ignored-invites-rise", why_not or "The export has no Invitations.csv.")
    return with_matching(_judge_difference("ignored-invites-rise", comparison, "light weeks minus heavy weeks",
                                           "points"), matching)


# ---------------------------------------------------------------------------------------------
# inner-circle

#: "Small inner circle": at most a quarter of connections ever messaged, and the most-messaged tenth of
#: connections holding at least three quarters of the messages.
INNER_MAX_SHARE_MESSAGED = 0.25
INNER_MIN_TOP_TENTH = 0.75
#: "Whole network": more than half messaged, or the top tenth holding under half of the messages.
WHOLE_MIN_SHARE_MESSAGED = 0.50
WHOLE_MAX_TOP_TENTH = 0.50


def personal_messages(messages: pl.DataFrame) -> pl.DataFrame:
    """Messages between people: sponsored InMail, LinkedIn system senders, spam and drafts left out."""
    return messages.filter(
        ~pl.col("conversation_title").fill_null("").str.to_lowercase().str.contains("sponsored")
        & (pl.col("from_name").fill_null("") != "LinkedIn Member")
        & (pl.col("folder").fill_null("").str.to_uppercase() != "SPAM")
        & ~pl.col("is_draft").fill_null("no").str.to_lowercase().is_in(["yes", "true"])
    )


def _message_people(personal: pl.DataFrame, index: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """(message, url_key, name_key) for every sender and recipient of each message, and whether
    addresses are used. Recipients come from their addresses where those are used and given, else
    from the names in TO: split at commas (group chats), unless the whole of TO is one connection's
    name ("Jo Kight, MS")."""
    known_names = index["name_key"].drop_nulls().implode()
    senders = personal.select("message", profile_slug(pl.col("sender_url")).alias("url_key"),
                              person_key(pl.col("from_name")).alias("name_key"))
    by_url = (
        personal.filter(pl.col("recipient_urls").is_not_null())
        .select("message", pl.col("recipient_urls").str.split(",").alias("url"))
        .explode("url")
        .select("message", profile_slug(pl.col("url")).alias("url_key"), pl.lit(None, pl.String).alias("name_key"))
    )
    use_urls = matching.urls_usable(index["url_key"]) and matching.urls_usable(pl.concat([senders, by_url])["url_key"])
    named = personal.filter(pl.col("recipient_urls").is_null()) if use_urls else personal
    by_name = (
        named.filter(pl.col("to_names").is_not_null())
        .with_columns(person_key(pl.col("to_names")).is_in(known_names).fill_null(False).alias("whole"))
        .select("message", pl.when(pl.col("whole")).then(pl.concat_list(pl.col("to_names")))
                .otherwise(pl.col("to_names").str.split(",")).alias("name"))
        .explode("name")
        .select("message", pl.lit(None, pl.String).alias("url_key"), person_key(pl.col("name")).alias("name_key"))
    )
    if not use_urls:
        senders = senders.with_columns(pl.lit(None, pl.String).alias("url_key"))
    parts = [senders, by_name] + ([by_url] if use_urls else [])
    return pl.concat(parts), use_urls


def match_messages(messages: pl.DataFrame, connections: pl.DataFrame,
                   file: str = "messages.csv") -> tuple[pl.DataFrame, MatchReport]:
    """Messages exchanged with each identified connection (zero for most): ``connection``, ``messages``;
    and how well the messages' people were matched to connections.

    The member is the participant present in the most messages; every message counts once for each
    other participant. People are matched by profile address when both files have usable ones, else by
    name (:mod:`helpers.export.matching`); a name two connections share is never attributed.
    """
    personal = personal_messages(messages).with_row_index("message")
    index = matching.connection_index(connections)
    people, use_urls = _message_people(personal, index)
    people = people.with_columns(pl.coalesce(pl.col("url_key"), pl.concat_str(pl.lit("name:"), "name_key")).alias("who"))
    member = (people.group_by("who").agg(pl.col("message").n_unique().alias("n"))
              .sort(["n", "who"], descending=[True, False], nulls_last=True)["who"].first())
    mine = people.filter(pl.col("who") == member)
    member_names = mine["name_key"].drop_nulls().unique().implode()
    member_urls = pl.concat([mine["url_key"], people.filter(pl.col("name_key").is_in(member_names).fill_null(False))
                             ["url_key"]]).drop_nulls().unique().implode()
    others = (people.filter(pl.col("who").is_not_null() & (pl.col("who") != member)
                            & ~pl.col("name_key").is_in(member_names).fill_null(False)
                            & ~pl.col("url_key").is_in(member_urls).fill_null(False))
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
    connections: int
    messaged: int
    messages: int
    top10_share: float
    top_tenth_share: float
    top_tenth_interval: tuple[float, float]
    gini: float

    @property
    def share_messaged(self) -> float:
        return self.messaged / self.connections if self.connections else 0.0


def inner_circle(counts: pl.DataFrame, seed: int) -> InnerCircle:
    """Concentration of messages over all identified connections, with a bootstrap interval (by seed)."""
    values = counts["messages"].to_numpy()
    tenth = max(1, int(round(values.size * 0.10)))
    interval = stats.bootstrap_interval(values, lambda v: stats.top_share(v, tenth), seed=seed, resamples=1000)
    return InnerCircle(
        connections=int(values.size), messaged=int((values > 0).sum()), messages=int(values.sum()),
        top10_share=stats.top_share(values, 10), top_tenth_share=stats.top_share(values, tenth),
        top_tenth_interval=interval, gini=stats.gini(values),
    )


def judge_inner_circle(measure: InnerCircle | None, why_not: str = "", matching: MatchReport | None = None) -> Verdict:
    """The rule below; with ``matching``, not testable when too few of the messages' people were matched
    to connections (:func:`with_matching`), however concentrated the matched ones look."""
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
    evidence = (f"You have messaged {measure.share_messaged:.0%} of your connections (95% CI {lo:.0%}-{hi:.0%}); "
                f"the most-messaged tenth of them account for {measure.top_tenth_share:.0%} of the messages "
                f"({t_lo:.0%}-{t_hi:.0%}); Gini {measure.gini:.2f}.")
    return Verdict("inner-circle", verdict, evidence, {
        "share_messaged": measure.share_messaged, "ci_low": lo, "ci_high": hi, "messaged": measure.messaged,
        "connections": measure.connections, "messages": measure.messages, "top10_share": measure.top10_share,
        "top_tenth_share": measure.top_tenth_share, "top_tenth_ci": list(measure.top_tenth_interval),
        "gini": measure.gini,
        "rule": f"supported if at most {INNER_MAX_SHARE_MESSAGED:.0%} of connections were ever messaged and the top "
                f"tenth hold at least {INNER_MIN_TOP_TENTH:.0%} of messages (interval ends); not supported if more "
                f"than {WHOLE_MIN_SHARE_MESSAGED:.0%} were messaged or the top tenth hold under "
                f"{WHOLE_MAX_TOP_TENTH:.0%}; mixed otherwise",
        "bias": "Messages are one channel: reactions, comments and meetings are not attributable to people here.",
    })


# ---------------------------------------------------------------------------------------------
# wider-post-audience and views-1000-at-500 (the member's own posts)

#: A trend needs at least 20 posts spanning network sizes at least 1.3 times apart.
MIN_POSTS_FOR_TREND = 20
MIN_SIZE_RANGE = 1.3
#: The blogger's threshold and the network size he expected it at.
VIEWS_TARGET = 1_000
VIEWS_AT_SIZE = 500
MIN_POSTS_PAST_500 = 5


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


def judge_audience(posts: pl.DataFrame | None, why_not: str = "") -> tuple[Verdict, stats.LogLogFit | None]:
    """Supported when the slope of log(impressions) on log(network size) is above 0 with 95% confidence."""
    claim = "wider-post-audience"
    if posts is None:
        return not_testable(claim, why_not or "The export holds no creator-analytics workbook."), None
    sizes = posts.filter(pl.col("network_size") > 0)
    spread = (sizes["network_size"].max() / sizes["network_size"].min()) if sizes.height else 0
    if sizes.height < MIN_POSTS_FOR_TREND or spread < MIN_SIZE_RANGE:
        return not_testable(claim, f"{sizes.height} posts spanning network sizes {spread:.2f} times apart; a trend "
                                   f"needs {MIN_POSTS_FOR_TREND} posts over a {MIN_SIZE_RANGE} times range.",
                            posts=sizes.height, size_range=spread), None
    fit = stats.fit_loglog(sizes["network_size"].to_numpy(), sizes["impressions"].to_numpy())
    verdict = rules.slope(fit.slope_low, fit.slope_high)
    evidence = (f"Across {fit.n} posts, impressions grew as network size^{fit.slope:.2f} "
                f"(95% CI {fit.slope_low:.2f} to {fit.slope_high:.2f}): doubling the network went with "
                f"{2 ** fit.slope:.1f}x the impressions.")
    return Verdict(claim, verdict, evidence, {
        "slope": fit.slope, "ci_low": fit.slope_low, "ci_high": fit.slope_high, "posts": fit.n,
        "r_squared": fit.r_squared, "size_range": spread,
        "rule": rules.slope_rule(),
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
    spread = (counted["network_size"].max() / counted["network_size"].min()) if counted.height else 0
    if counted.height < MIN_POSTS_FOR_TREND or spread < MIN_SIZE_RANGE:
        return not_testable(claim, f"{counted.height} posts with their engagement, spanning network sizes "
                                   f"{spread:.2f} times apart; a trend needs {MIN_POSTS_FOR_TREND} posts over a "
                                   f"{MIN_SIZE_RANGE} times range.", posts=counted.height)
    fit = stats.fit_loglog(counted["network_size"].to_numpy(), counted["engaged"].to_numpy() + 1)
    verdict = rules.slope(fit.slope_low, fit.slope_high)
    evidence = (f"Across {fit.n} of your posts, reactions, comments and reposts grew as network size^{fit.slope:.2f} "
                f"(95% CI {fit.slope_low:.2f} to {fit.slope_high:.2f}). Profile views are not in an export.")
    return Verdict(claim, verdict, evidence, {
        "slope": fit.slope, "ci_low": fit.slope_low, "ci_high": fit.slope_high, "posts": fit.n,
        "covers": "likes, comments and shares of your posts; profile views are not in an export",
        "rule": rules.slope_rule("the slope of log(1 + engagement) on log(network size)"),
        "bias": "Network size grows with time, so the slope also carries everything else that changed over those "
                "months.",
    })


def judge_views_target(posts: pl.DataFrame | None, why_not: str = "") -> Verdict:
    """Supported when most posts made past 500 connections reached 1,000 impressions (Wilson low end > 50%)."""
    claim = "views-1000-at-500"
    if posts is None:
        return not_testable(claim, why_not or "The export holds no creator-analytics workbook.")
    past = posts.filter(pl.col("network_size") > VIEWS_AT_SIZE)
    if past.height < MIN_POSTS_PAST_500:
        return not_testable(claim, f"Only {past.height} of your posts in the workbooks were made with more than "
                                   f"{VIEWS_AT_SIZE} connections (at least {MIN_POSTS_PAST_500} needed).",
                            posts_past_500=past.height)
    hits = int((past["impressions"] >= VIEWS_TARGET).sum())
    lo, hi = stats.wilson(hits, past.height)
    verdict = rules.majority(lo, hi)
    median = float(past["impressions"].median())
    evidence = (f"{hits} of your {past.height} posts made past 500 connections reached 1,000 impressions "
                f"({hits / past.height:.0%}, 95% CI {lo:.0%}-{hi:.0%}); the median post had {median:,.0f}.")
    return Verdict(claim, verdict, evidence, {
        "hits": hits, "posts": past.height, "share": hits / past.height, "ci_low": lo, "ci_high": hi,
        "median_impressions": median,
        "rule": "supported if the 95% interval of the share of posts reaching 1,000 lies above 50%; not supported "
                "if below 50%; mixed otherwise",
    })


# ---------------------------------------------------------------------------------------------
# What the export shows about growth strategies


def member_function(positions: pl.DataFrame | None) -> str | None:
    """The member's job function from the title of the current (or latest) position."""
    if positions is None or positions.is_empty():
        return None
    latest = positions.sort(["finished_on", "started_on"], descending=True, nulls_last=False).head(1)
    return latest.select(profile.job_function(pl.col("title"))).item()


def strategy_mix(flags: pl.DataFrame, function: str | None) -> pl.DataFrame:
    """Identified connections split into colleagues, same job function (not colleagues), and neither."""
    same = profile.job_function(pl.col("position")) == pl.lit(function or "")
    group = (pl.when(pl.col("is_colleague")).then(pl.lit("Colleagues (current or former employer)"))
             .when(same).then(pl.lit("Same job function as you"))
             .otherwise(pl.lit("Neither")))
    total = flags.height
    return (flags.group_by(group.alias("group")).agg(pl.len().alias("connections"))
            .with_columns((pl.col("connections") / total).alias("share"))
            .sort("connections", descending=True))


