"""One member of a cohort, reduced to what the cohort report pools: counts, shares, sizes and months, no one named.

:func:`member_figures` reads the same measures the member's own report reads (the same functions, the same seed),
so that a cohort figure is what the single-member reports of the same exports say, pooled. Nothing it returns holds
a name, a profile address, an employer's name or the export's file name: the worker that read the export returns
only this (``helpers.report.cohort``).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from helpers.evidence import colleagues, inner_circle, invitations, posts, profile
from helpers.export import LinkedInExport

#: Years after a member's first connection by which reaching 500 is counted (the "increasingly common" claim).
YEARS_TO_500 = 5
MONTHS_TO_500 = 12 * YEARS_TO_500


def _month(day: date | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def _months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (a figure is kept to the month, as dates are)."""
    return round((end - start).days / 30.4375)


def _reached_500(connections: pl.DataFrame) -> tuple[date | None, date | None]:
    """The first dated connection and the day of the 500th dated one that is not a ghost row (None when fewer)."""
    days = connections.filter(~pl.col("is_ghost"))["connected_on"].drop_nulls().sort()
    return (days[0] if days.len() else None), (days[profile.DISPLAY_CAP - 1] if days.len() >= profile.DISPLAY_CAP
                                              else None)


def _shares(comparison) -> dict[str, int] | None:
    return None if comparison is None else {"hits_a": comparison.hits_a, "n_a": comparison.n_a,
                                            "hits_b": comparison.hits_b, "n_b": comparison.n_b}


def member_figures(export: LinkedInExport, seed: int) -> dict:
    """The member's figures for the cohort (see the module doc); each is None where the member's own report
    could not measure it."""
    connections = export.connections
    size = profile.network_size(connections)
    first, day_500 = _reached_500(connections)
    until = colleagues.reference_date(export) if connections.height else None
    found = {"archive": export.archive_type, "connections": size.total - size.ghosts,
             "first_month": _month(first), "export_month": _month(until),
             "months_to_500": None if day_500 is None else _months(first, day_500),
             "months_observed": None if first is None or until is None else _months(first, until)}
    gap, _ = colleagues.colleagues_gap(export)
    if not gap:
        share = colleagues.colleague_share(colleagues.colleague_flags(connections, export.positions, until))
        found["colleagues"] = {"identified": share.identified, "colleagues": share.colleagues, "share": share.share}
    gap, _ = inner_circle.messages_gap(export)
    if not gap:
        counts, matched = inner_circle.match_messages(export.messages, connections)
        if matched.trusted and counts["messages"].sum() > 0:
            circle = inner_circle.inner_circle(counts, seed)
            found["inner_circle"] = {"connections": circle.connections, "messaged": circle.messaged,
                                     "share_messaged": circle.share_messaged, "top_tenth_share": circle.top_tenth_share}
    gap, _ = invitations.invitations_gap(export)
    if not gap:
        outgoing = invitations.outgoing_invitations(export.invitations, connections)
        if invitations.invitation_matching(export.invitations, connections).trusted:
            if export.has_column("invitations", "has_message"):
                found["notes"] = _shares(invitations.compare(outgoing, pl.col("has_message"), "with a note",
                                                             "without a note"))
            found["weeks"] = _shares(invitations.compare(outgoing, ~invitations.heavy_weeks(outgoing),
                                                         "light weeks", "heavy weeks"))
    gap, _ = posts.analytics_gap(export)
    if not gap:
        workbooks = export.analytics
        published = posts.posts_with_network_size(workbooks.posts, connections, workbooks.followers,
                                                  workbooks.follower_total, workbooks.follower_total_on)
        counted = published.filter(pl.col("impressions").is_not_null() & (pl.col("network_size") > 0))
        if counted.height:
            found["posts"] = {"posts": counted.height, "median_impressions": float(counted["impressions"].median()),
                              "median_network_size": float(counted["network_size"].median())}
    return found
