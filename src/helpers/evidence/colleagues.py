"""colleagues-large-share: how many of the member's connections work today at one of the member's employers.

The member's employers come from ``Positions.csv``, each connection's from ``Connections.csv`` (the
employer on their profile today), compared by :func:`helpers.evidence.profile.company_key`. The same
flags split the network into colleagues, people of the member's own job function and everyone else
(:func:`strategy_mix`, which the growth-strategy model starts from).

The rule's thresholds are constants here, written down before any export was judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import profile, stats
from helpers.export import LinkedInExport

#: The claim's "significant portion", read as a fifth of one's connections or more.
COLLEAGUES_SIGNIFICANT = 0.20
#: Below a tenth, colleagues are not a significant portion.
COLLEAGUES_SMALL = 0.10


def reference_date(export: LinkedInExport) -> date:
    """The export's 'today': the latest date any of its tables mentions (the open end of a current position)."""
    candidates = [export.connections["connected_on"].max()]
    for table, column in ((export.invitations, "sent_at"), (export.messages, "sent_at")):
        latest = table[column].max() if table is not None and table.height else None
        if latest is not None:
            candidates.append(latest.date())
    return max(d for d in candidates if d is not None)


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
    """Of the ``identified`` connections, the ``colleagues`` and those of them the member ``met_there``."""

    identified: int
    colleagues: int
    met_there: int

    @property
    def share(self) -> float:
        return self.colleagues / self.identified if self.identified else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The Wilson 95% interval of :attr:`share`."""
        return stats.wilson(self.colleagues, self.identified)


def colleague_share(flags: pl.DataFrame) -> ColleagueShare:
    """The counts behind the verdict, from :func:`colleague_flags`."""
    row = flags.select(pl.len(), pl.col("is_colleague").sum(), pl.col("met_there").sum()).row(0)
    return ColleagueShare(int(row[0]), int(row[1]), int(row[2]))


def per_employer(flags: pl.DataFrame, periods: pl.DataFrame) -> pl.DataFrame:
    """For each of the member's employers, oldest first: the connections who ``work there today`` and those
    ``connected while you were there``, long (``company``, ``started_on``, ``measure``, ``connections``)."""
    measures = ["work there today", "connected while you were there"]
    return (
        flags.filter(pl.col("is_colleague"))
        .group_by("key").agg(pl.len().alias(measures[0]), pl.col("met_there").sum().alias(measures[1]))
        .join(periods.group_by("key").agg(pl.col("company").first(), pl.col("started_on").min()), on="key",
              how="right")
        .with_columns(pl.col(*measures).fill_null(0))
        .sort("started_on")
        .unpivot(index=["company", "started_on"], on=measures, variable_name="measure", value_name="connections")
    )


def judge_colleagues(measure: ColleagueShare | None, why_not: str = "") -> Verdict:
    """Supported when even the interval's low end is at or above :data:`COLLEAGUES_SIGNIFICANT`; not
    supported when its high end is below :data:`COLLEAGUES_SMALL` (:func:`helpers.rules.interval`)."""
    if measure is None or measure.identified == 0:
        return not_testable("colleagues-large-share", why_not or "The export has no Positions.csv.")
    lo, hi = measure.interval
    rule = (f"supported if the 95% interval of the share lies at or above {COLLEAGUES_SIGNIFICANT:.0%}; "
            f"not supported if it lies below {COLLEAGUES_SMALL:.0%}; mixed otherwise")
    evidence = (f"{measure.share:.0%} of your identified connections (95% interval {lo:.0%}-{hi:.0%}) work today at "
                f"a company you worked for; {measure.met_there / measure.identified:.0%} connected while you were there.")
    return Verdict("colleagues-large-share", rules.interval(lo, hi, COLLEAGUES_SIGNIFICANT, COLLEAGUES_SMALL),
                   evidence, {
                       "share": measure.share, "ci_low": lo, "ci_high": hi, "colleagues": measure.colleagues,
                       "identified_connections": measure.identified, "met_there": measure.met_there, "rule": rule,
                       "bias": "The export knows only each connection's current employer: former colleagues who "
                               "moved on are missed, so the share is a lower bound.",
                   })


# ---------------------------------------------------------------------------------------------
# Colleagues, peers and everyone else: what the export shows about growth strategies


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
            .sort(["connections", "group"], descending=[True, False]))
