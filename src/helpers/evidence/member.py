"""The member as the models see them: one summary of the export, built here so that no model reads the export.

The reach, strategy and feed models need the member's identified connections as employer and job-function
codes, the member's own employer and function among them, and two shares: of connections working at one of
the member's employers (colleagues) and of connections in the member's own job function. :func:`member_summary`
reads them from the export with the evidence stage's own measures (the colleagues of ``Positions.csv``, the job
functions of ``data/job_functions.csv``). Where the export cannot say, a stand-in is used and named in
``stand_ins``: without ``Positions.csv`` the most common employer among the connections stands in for the
member's, and without a known job function its share of the platform's functions stands in for the share of
connections in it.

The audience model reads the member's own posts where the export holds their creator analytics: each post
with the connections (and, where the workbooks allow, the followers) the member had on the day it was
published (:func:`helpers.evidence.posts.posts_with_network_size`), the workbooks' periods and top-posts
lists, and the days the member shared something (``Shares.csv``).

>>> from helpers.export import load_export
>>> from helpers.paths import SAMPLE_EXPORT
>>> member = member_summary(load_export(SAMPLE_EXPORT))
>>> member.connections, round(member.colleague_share, 2), member.stand_ins
(690, 0.28, ())
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from helpers.evidence import colleagues, posts, profile
from helpers.export import LinkedInExport, load_export

#: What stands in for the member's employer when the export has no ``Positions.csv``.
EMPLOYER_STAND_IN = "your employer: the most common one among your connections (the export has no Positions.csv)"
#: What stands in for the share of connections in the member's job function when that function is unknown.
FUNCTION_STAND_IN = ("the share of your connections in your job function: one job function's share of all of them "
                     "(your own job function is not known)")
#: What a page says beside a colleague share or count, or a job-function share, that rests on a stand-in.
ASSUMED_EMPLOYER = "assumed: the most common employer among your connections, as the export has no Positions.csv"
ASSUMED_FUNCTION = "assumed: one job function's share of them all, as your own job function is not known"


@dataclass(frozen=True, eq=False)
class Member:
    """The member's identified connections (ghost rows left out) as the models take them.

    ``companies`` and ``functions`` (one code per connection, -1 where unknown) number the employers (spellings
    merged) and the job functions of ``function_names``; ``own_company`` and ``own_function`` are the member's
    (``own_function`` -1 when unknown). ``colleague_share`` is the share of connections working today at one of
    the member's employers, ``same_function_share`` the share in the member's own job function.

    ``own_posts`` (None without analytics) holds the member's posts with ``network_size`` and ``followers`` on
    the day each was published; ``analytics_periods`` and ``top_posts`` are the workbooks' periods and their
    TOP POSTS lists (:class:`helpers.export.analytics.Analytics`' ``windows`` and ``listings``); ``share_days``
    the day of each share in ``Shares.csv`` (None without it, or when it is empty).
    """

    companies: np.ndarray
    functions: np.ndarray
    own_company: int
    own_function: int
    colleague_share: float
    same_function_share: float
    function_names: tuple[str, ...]
    reference_date: date
    stand_ins: tuple[str, ...] = ()
    own_posts: pl.DataFrame | None = None
    analytics_periods: pl.DataFrame | None = None
    top_posts: pl.DataFrame | None = None
    share_days: pl.Series | None = None

    @property
    def connections(self) -> int:
        """How many identified connections the member has."""
        return int(self.companies.size)

    @property
    def read_from_export(self) -> bool:
        """True when both shares were read from the export, with no stand-in."""
        return not self.stand_ins

    @property
    def colleague_caveat(self) -> str:
        """What follows a colleague share or count shown as the member's: " (assumed: ...)" when the employer is
        a stand-in, nothing when it was read from the export."""
        return f" ({ASSUMED_EMPLOYER})" if EMPLOYER_STAND_IN in self.stand_ins else ""

    @property
    def function_caveat(self) -> str:
        """The same for the share (or count) of connections in the member's job function."""
        return f" ({ASSUMED_FUNCTION})" if FUNCTION_STAND_IN in self.stand_ins else ""


def member_summary(export: LinkedInExport) -> Member:
    """The :class:`Member` of ``export``."""
    functions = profile.title_rules().filter(pl.col("kind") == "function")["label"].to_list()
    keyed = export.connections.filter(~pl.col("is_ghost")).select(
        pl.when(profile.is_placeholder(pl.col("company"))).then(None)
        .otherwise(profile.company_key(pl.col("company"))).alias("company"),
        profile.job_function(pl.col("position")).alias("function"),
    )
    company_codes = keyed.select(pl.col("company").rank("dense").cast(pl.Int64).fill_null(0) - 1)["company"].to_numpy()
    function_codes = keyed.select(
        pl.col("function").replace_strict(functions, list(range(len(functions))), default=-1, return_dtype=pl.Int64)
    )["function"].to_numpy()
    own_function_name = colleagues.member_function(export.positions)
    own_function = functions.index(own_function_name) if own_function_name in functions else -1
    today = colleagues.reference_date(export)
    stand_ins = []
    if export.positions is not None and not export.positions.is_empty():
        flags = colleagues.colleague_flags(export.connections, export.positions, today)
        colleague_share = float(flags["is_colleague"].mean())
        current = colleagues.employer_periods(export.positions, today).sort(
            "finished_on", descending=True)["key"].first()
        matches = keyed.with_row_index().filter(pl.col("company") == current)["index"].to_numpy()
        own_company = int(company_codes[matches[0]]) if matches.size else int(company_codes.max(initial=-1) + 1)
    else:
        counts = np.bincount(company_codes[company_codes >= 0]) if (company_codes >= 0).any() else np.array([0])
        own_company = int(counts.argmax())
        colleague_share = float(counts.max() / max(company_codes.size, 1))
        stand_ins.append(EMPLOYER_STAND_IN)
    if own_function >= 0:
        same_function = float((function_codes == own_function).mean())
    else:
        same_function = 1 / len(functions)
        stand_ins.append(FUNCTION_STAND_IN)
    return Member(company_codes, function_codes, own_company, own_function, colleague_share, same_function,
                  tuple(functions), today, tuple(stand_ins), **_own_analytics(export))


def _own_analytics(export: LinkedInExport) -> dict:
    """The :class:`Member` fields the audience model reads from the member's creator analytics."""
    shares = export.shares
    found = {"share_days": shares["shared_at"].dt.date().drop_nulls() if shares is not None and shares.height else None}
    workbooks = export.analytics
    if workbooks is None or not workbooks.posts.height:
        return found
    own = posts.posts_with_network_size(workbooks.posts, export.connections, workbooks.followers,
                                        workbooks.follower_total, workbooks.follower_total_on)
    return {**found, "own_posts": own, "analytics_periods": workbooks.windows, "top_posts": workbooks.listings}


def read_member(path: Path) -> Member:
    """The :class:`Member` of the export at ``path`` (a zip, its folder or a ``Connections.csv``)."""
    return member_summary(load_export(path))
