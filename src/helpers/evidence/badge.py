"""badge-social-proof: did more people invite the member once the profile showed "500+"?

The invitations received in up to :data:`BADGE_WEEKS` weeks on each side of the day the network passed
:data:`helpers.evidence.profile.DISPLAY_CAP` are compared as a ratio of weekly rates. LinkedIn exports only
the last months of invitations, so for most members that day is long gone from the file. The rule's
constants are written here, before any export was judged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from helpers import rules
from helpers.claims import Verdict, not_testable
from helpers.evidence import profile, stats

#: Weeks compared on each side of the day the profile first showed "500+" (at least MIN_WEEKS each).
BADGE_WEEKS = 12
MIN_WEEKS = 4
MIN_INVITATIONS = 10
#: A rate ratio within 0.8-1.25 is no meaningful change (symmetric on a log scale: 0.8 = 1 / 1.25).
RATIO_EQUIVALENCE = (0.8, 1.25)


def _weekly_ratio(share_after: float, weeks_before: float, weeks_after: float) -> float:
    """The weekly rate after / before of invitations split ``share_after`` after and the rest before."""
    return share_after / (1 - share_after) * weeks_before / weeks_after if share_after < 1 else float("inf")


@dataclass(frozen=True)
class BadgeWindow:
    """Invitations received ``before`` and ``after`` the day the profile first showed "500+" (``crossed_on``),
    over ``weeks_before`` and ``weeks_after`` weeks."""

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
        point = _weekly_ratio(self.after / total, self.weeks_before, self.weeks_after) if total else float("nan")
        return (point, _weekly_ratio(low, self.weeks_before, self.weeks_after),
                _weekly_ratio(high, self.weeks_before, self.weeks_after))


def _log(ratio: float) -> float:
    return math.log(ratio) if ratio > 0 else -math.inf


def received() -> pl.Expr:
    """True for the invitations the member received."""
    return pl.col("direction").str.to_uppercase() == "INCOMING"


def badge_window(invitations: pl.DataFrame, crossed_on: date | None) -> BadgeWindow | str:
    """Invitations received in up to ``BADGE_WEEKS`` weeks before and after the day the member passed 500,
    or why they cannot be compared."""
    if crossed_on is None:
        return f"Your network has not passed {profile.DISPLAY_CAP} connections."
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
    days = dated.filter(received()).select(pl.col("sent_at").dt.date().alias("day"))
    counted = days.select(pl.col("day").is_between(start, crossed_on, closed="left").sum().alias("before"),
                          pl.col("day").is_between(crossed_on, end, closed="left").sum().alias("after")).row(0)
    return BadgeWindow(crossed_on, before, after, int(counted[0]), int(counted[1]))


def received_by_week(invitations: pl.DataFrame) -> pl.DataFrame:
    """Invitations the member received, one row a week: ``week``, ``received``."""
    return (invitations.filter(received()).group_by(pl.col("sent_at").dt.truncate("1w").alias("week"))
            .agg(pl.len().alias("received")).sort("week"))


def judge_badge(window: BadgeWindow | str | None, why_not: str = "") -> Verdict:
    """badge-social-proof: :func:`helpers.rules.difference` on the log of the ratio after / before, a ratio
    within :data:`RATIO_EQUIVALENCE` being no change."""
    claim = "badge-social-proof"
    if window is None or isinstance(window, str):
        return not_testable(claim, window or why_not or "The export has no Invitations.csv.")
    if window.before + window.after < MIN_INVITATIONS:
        return not_testable(claim, f"Only {window.before + window.after} invitations received around the day you "
                                   f"passed {profile.DISPLAY_CAP} (at least {MIN_INVITATIONS} needed).")
    ratio, low, high = window.ratio
    verdict = rules.difference(_log(low), _log(high), margin=math.log(RATIO_EQUIVALENCE[1]))
    evidence = (f"Invitations received: {window.before / window.weeks_before:.1f} a week in the {window.weeks_before:.0f} "
                f"weeks before your profile first showed \"500+\" ({window.crossed_on:%d %b %Y}) and "
                f"{window.after / window.weeks_after:.1f} a week in the {window.weeks_after:.0f} weeks after: x{ratio:.2f} "
                f"(95% interval x{low:.2f} to x{high:.2f}).")
    return Verdict(claim, verdict, evidence, {
        "before": window.before, "after": window.after, "weeks_before": window.weeks_before,
        "weeks_after": window.weeks_after, "ratio": ratio, "ci_low": low, "ci_high": high,
        "covers": "invitations you received; the credibility others saw in the badge is not in an export",
        "rule": f"supported if the 95% interval of the weekly rate of invitations received after / before the day "
                f"you passed {profile.DISPLAY_CAP} lies above 1; not supported if it lies below 1 or within "
                f"{RATIO_EQUIVALENCE[0]}-{RATIO_EQUIVALENCE[1]}; mixed otherwise",
        "bias": "Anything else that changed around that day (a new job, a post that travelled) moves the rate too.",
    })
