"""Impressions of members' posts: the censored likelihood of one export window, and the author distribution.

The log impressions of post ``j`` in period ``p`` (a half of an export window) of member ``i`` are

    log I_j = mu + b log(F_p / F_REF) + gamma (t_p - mid-YEAR_REF) + u_ip + e_j,

with ``F_p`` the member's followers, ``t_p`` the date in the period's middle (in years), ``u`` the member's
level (drawn from the author distribution, :func:`author_log_density`; its drift is
:mod:`helpers.model.audience_filter`'s) and ``e`` the post effect. LinkedIn's censoring enters the likelihood
(:class:`Window`, :func:`window_log_likelihood`):

- a TOP POSTS table holds at most 50 posts: when it is full, every other post of the window had fewer
  impressions than the smallest listed. Their number is known when the member's posts are (``Shares.csv``);
  otherwise it is summed over, from the posts known to be missing up to a posting-rate bound, and the
  window's total impressions (DISCOVERY) less the listed posts pins it: the missing posts must add up to it;
- posts published before the window carry only the window's tail: they are dropped;
- posts younger than a few days at the window's end had not finished: their impressions are lower bounds;
- a window with only its total and a post count gives impressions per post.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

import numpy as np
from scipy import special

from helpers.model import assumptions

#: The audience size at which levels are read (about the median author of the scraped member posts).
F_REF = 2000.0
#: Levels are read in the middle of this year; a year effect counts years from there.
YEAR_REF = 2025
#: The author effect's grid (log units): e^+-7 is far beyond any member.
GRID = np.arange(-7.0, 7.0 + 1e-9, 0.04)
GRID_STEP = float(GRID[1] - GRID[0])
#: Unlisted posts of a capped window, summed over when their number is unknown: every count up to 60,
#: then geometric steps (weights are the steps' widths, a flat prior on the count).
_COUNTS = np.unique(np.r_[np.arange(0, 60), np.round(np.geomspace(60, 5000, 70))]).astype(float)
_COUNT_WEIGHTS = np.gradient(_COUNTS)
#: The table those unlisted posts are read from: centre less the log cap, and log post spread.
_TABLE_OFFSETS, _TABLE_STEP, _TABLE_SIGMAS = (-12.0, 6.0), 0.05, 50
#: The largest post spread and spread between members the fit allows (``audience.max_spread``): bounding it
#: keeps a capped list from being read as the top of hundreds of posts with almost no impressions, which an
#: unbounded spread makes likely (their count's combinations outweigh everything else).
MAX_SPREAD = assumptions.value("audience.max_spread")

AUTHOR_KINDS = {
    "normal": ("log_tau",),
    "t": ("log_tau", "log_nu"),
    "mixture": ("log_tau", "logit_creators", "creator_shift"),
}
BASE = ("mu", "b", "gamma", "log_sigma", "log_omega", "log_kappa")
BOUNDS = {"mu": (0.0, 15.0), "b": (-2.0, 3.0), "gamma": (-3.0, 3.0), "log_sigma": (np.log(0.1), np.log(MAX_SPREAD)),
           "log_omega": (np.log(0.02), np.log(2.0)), "log_kappa": (np.log(0.02), np.log(3.0)),
           "log_tau": (np.log(0.05), np.log(MAX_SPREAD)), "log_nu": (0.0, np.log(300.0)), "logit_creators": (-6.0, 6.0),
           "creator_shift": (0.0, 8.0)}
#: A parameter left out of a fit is held here: no year effect, no spread between members' post spreads.
ABSENT = {"gamma": 0.0, "log_omega": -np.inf, "log_kappa": -np.inf}



def years_since_reference(day: date) -> float:
    """Years from the middle of ``YEAR_REF`` to ``day``."""
    return (day - date(YEAR_REF, 7, 1)).days / 365.25


def member_of(window: str) -> str:
    """The member a window belongs to: ``dev01a``, ``dev01b`` are one member's yearly exports (``dev01``)."""
    return window[:-1] if len(window) > 1 and window[-1].isalpha() and window[-1].islower() and window[-2].isdigit() \
        else window

# ---------------------------------------------------------------------------------------------
# One export window, as the likelihood sees it


@dataclass(frozen=True)
class Window:
    """One member's posts over one export window, with what LinkedIn's censoring says about the others.

    ``log_impressions`` are the listed posts published in the window (settled); ``log_at_least`` the
    listed posts still young at its end (lower bounds). When ``log_cap`` is set, the window had
    ``unlisted`` posts besides the listed ones, each below ``exp(log_cap)`` (``inf`` when nothing caps them,
    as for a window known only by its total); ``unlisted_complete`` says whether that count is all of them
    or only those known (then up to ``max_unlisted``). ``unlisted_total`` is the window's total
    impressions not held by the listed posts (sd ``total_sd``), or None.
    """

    member: str
    window: str
    start: date
    end: date
    followers_start: float
    followers_end: float
    log_impressions: np.ndarray
    dates: np.ndarray
    log_at_least: np.ndarray = field(default_factory=lambda: np.zeros(0))
    at_least_dates: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    listed: int = 0
    log_cap: float | None = None
    unlisted_dates: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="datetime64[D]"))
    unlisted_complete: bool = False
    max_unlisted: int = 0
    unlisted_total: float | None = None
    total_sd: float = 0.0

    @property
    def followers(self) -> float:
        """Followers in the window's middle (they grow linearly from start to end)."""
        return 0.5 * (self.followers_start + self.followers_end)

    @property
    def log_audience(self) -> float:
        return float(np.log(self.followers / F_REF))

    @property
    def years(self) -> float:
        return years_since_reference(self.start + (self.end - self.start) / 2)

    @property
    def unlisted(self) -> int:
        return int(self.unlisted_dates.size)

    @property
    def posts(self) -> int:
        return int(self.log_impressions.size + self.log_at_least.size)

    @cached_property
    def halves(self) -> tuple[Window, Window]:
        """The window's two halves (the periods a member's level may move between), made once."""
        return self.split(self.start + (self.end - self.start) / 2)

    @cached_property
    def unlisted_table(self):
        """The unlisted posts' log-likelihood tabulated over (centre - log cap, log sigma), when their
        number is unknown and summing over it on every call would be slow; None otherwise."""
        if self.log_cap is None or self.unlisted_complete or not np.isfinite(self.log_cap):
            return None
        offsets = np.arange(_TABLE_OFFSETS[0], _TABLE_OFFSETS[1] + 1e-9, _TABLE_STEP)
        log_sigmas = np.linspace(*BOUNDS["log_sigma"], _TABLE_SIGMAS)
        values = np.stack([_unlisted_log_likelihood(self, (self.log_cap + offsets)[None, :],
                                                    np.full((1, 1), np.exp(v)))[0] for v in log_sigmas], axis=1)
        from scipy.interpolate import RectBivariateSpline

        return RectBivariateSpline(offsets, log_sigmas, values), offsets, log_sigmas, values

    def split(self, on: date) -> tuple[Window, Window]:
        """The window's posts published before ``on`` and from ``on``, each part a window of its own (its
        audience and date in its own middle); a total of the whole window is shared between the two by
        their share of its days (and its uncertainty doubled)."""
        day = np.datetime64(on, "D")
        on = min(max(on, self.start), self.end)
        share = (on - self.start).days / max((self.end - self.start).days, 1)
        followers_on = self.followers_start + share * (self.followers_end - self.followers_start)

        def part(keep, start: date, end: date, first: float, last: float, fraction: float) -> Window:
            total = None if self.unlisted_total is None else self.unlisted_total * fraction
            return replace(self, start=start, end=end, followers_start=first, followers_end=last,
                           log_impressions=self.log_impressions[keep(self.dates)], dates=self.dates[keep(self.dates)],
                           log_at_least=self.log_at_least[keep(self.at_least_dates)],
                           at_least_dates=self.at_least_dates[keep(self.at_least_dates)],
                           unlisted_dates=self.unlisted_dates[keep(self.unlisted_dates)],
                           max_unlisted=int(round(self.max_unlisted * fraction)),
                           listed=int(keep(self.dates).sum() + keep(self.at_least_dates).sum()),
                           unlisted_total=total, total_sd=2 * self.total_sd * fraction)

        return (part(lambda d: d < day, self.start, on, self.followers_start, followers_on, share),
                part(lambda d: d >= day, on, self.end, followers_on, self.followers_end, 1 - share))


def _interpolate(table, offset: np.ndarray, log_sigma: np.ndarray) -> np.ndarray:
    """A window's unlisted table at ``offset`` (R, G) and ``log_sigma`` (R, 1), held at its edges. When few
    distinct spreads are asked for (a fit: one per spread node) it is read by cubic spline, on the product
    of the distinct values (smooth, so the fit's Hessian is); for many parameter draws, bilinearly
    (smoothness no longer matters, speed does)."""
    spline, offsets, log_sigmas, values = table
    offset = np.clip(offset, offsets[0], offsets[-1])
    log_sigma = np.clip(log_sigma, log_sigmas[0], log_sigmas[-1])
    sigmas, sigma_at = np.unique(log_sigma.ravel(), return_inverse=True)
    if sigmas.size <= 64:
        unique, offset_at = np.unique(offset, return_inverse=True)
        found = spline(unique, sigmas, grid=True)
        return found[offset_at.reshape(offset.shape), np.broadcast_to(sigma_at.reshape(log_sigma.shape), offset.shape)]
    x = (offset - offsets[0]) / (offsets[1] - offsets[0])
    y = (log_sigma - log_sigmas[0]) / (log_sigmas[1] - log_sigmas[0])
    i = np.minimum(x.astype(int), offsets.size - 2)
    j = np.minimum(y.astype(int), log_sigmas.size - 2)
    fx, fy = x - i, y - j
    return ((1 - fx) * (1 - fy) * values[i, j] + fx * (1 - fy) * values[i + 1, j]
            + (1 - fx) * fy * values[i, j + 1] + fx * fy * values[i + 1, j + 1])


def log_sum(values: np.ndarray, axis: int) -> np.ndarray:
    top = np.max(values, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return (np.log(np.exp(values - top).sum(axis=axis, keepdims=True)) + top).squeeze(axis)


def window_log_likelihood(window: Window, level: np.ndarray, sigma: np.ndarray, grid: np.ndarray = GRID) -> np.ndarray:
    """log P(window's data | author effect u) for each parameter draw (``level`` = mu + b x + gamma t and
    ``sigma``, shape (D,)) and each ``u`` of ``grid``: shape (D, G)."""
    level = np.atleast_1d(np.asarray(level, dtype=float))[:, None]
    sigma = np.atleast_1d(np.asarray(sigma, dtype=float))[:, None]
    centre = level + grid[None, :]
    y = window.log_impressions
    n = y.size
    out = (-0.5 * (np.sum(y**2) - 2 * centre * y.sum() + n * centre**2) / sigma**2
           - n * np.log(sigma) - 0.5 * n * np.log(2 * np.pi))
    for value in window.log_at_least:
        out = out + special.log_ndtr((centre - value) / sigma)
    if window.log_cap is not None:
        table = window.unlisted_table
        out = out + (_unlisted_log_likelihood(window, centre, sigma) if table is None
                     else _interpolate(table, centre - window.log_cap, np.log(sigma)))
    return out


def _unlisted_log_likelihood(window: Window, centre: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """The unlisted posts: each below the cap, ``n`` of them (known, or summed over with a flat prior), and
    together the window's total less the listed posts (normal for a sum of capped values, lognormal
    (Fenton-Wilkinson) for an uncapped sum)."""
    capped = np.isfinite(window.log_cap)
    z = (window.log_cap - centre) / sigma if capped else np.full_like(centre, np.inf)
    log_below = special.log_ndtr(z)
    if window.unlisted_complete:
        counts, log_prior = np.array([float(window.unlisted)]), np.zeros(1)
    else:
        keep = (_COUNTS >= window.unlisted) & (_COUNTS <= max(window.max_unlisted, window.unlisted))
        counts = _COUNTS[keep]
        log_prior = np.log(_COUNT_WEIGHTS[keep]) - np.log(_COUNT_WEIGHTS[keep].sum())
    n = counts[:, None, None]
    terms = (special.gammaln(window.listed + n + 1) - special.gammaln(window.listed + 1) - special.gammaln(n + 1)
             + n * log_below[None] + log_prior[:, None, None])
    if window.unlisted_total is not None:
        mean = np.exp(centre + sigma**2 / 2 + special.log_ndtr(z - sigma) - log_below)
        second = np.exp(2 * centre + 2 * sigma**2 + special.log_ndtr(z - 2 * sigma) - log_below)
        variance = np.maximum(second - mean**2, 0.0)
        total = window.unlisted_total
        if capped:
            spread = n * variance[None] + window.total_sd**2
            terms = terms - 0.5 * (total - n * mean[None]) ** 2 / spread - 0.5 * np.log(2 * np.pi * spread)
        else:
            nonzero = np.maximum(n, 1.0)
            s2 = np.log1p(variance[None] / (nonzero * mean[None] ** 2)) + (window.total_sd / max(total, 1.0)) ** 2
            m = np.log(nonzero * mean[None]) - s2 / 2
            log_total = np.log(max(total, 1.0))
            terms = terms - 0.5 * (log_total - m) ** 2 / s2 - 0.5 * np.log(2 * np.pi * s2) - log_total
    return log_sum(terms, axis=0)


def expected_unlisted(window: Window, level: float, sigma: float) -> float:
    """The expected number of the window's unlisted posts for an author at ``level`` (u = 0)."""
    if window.log_cap is None:
        return 0.0
    if window.unlisted_complete:
        return float(window.unlisted)
    keep = (_COUNTS >= window.unlisted) & (_COUNTS <= max(window.max_unlisted, window.unlisted))
    weights = []
    for count in _COUNTS[keep]:
        fixed = replace(window, unlisted_dates=np.zeros(int(count), dtype="datetime64[D]"), unlisted_complete=True)
        weights.append(_unlisted_log_likelihood(fixed, np.array([[level]]), np.array([[sigma]]))[0, 0])
    weights = np.asarray(weights) + np.log(_COUNT_WEIGHTS[keep])
    weights = np.exp(weights - weights.max())
    return float((_COUNTS[keep] * weights).sum() / weights.sum())


# ---------------------------------------------------------------------------------------------
# The author distribution


def author_log_density(kind: str, extra: np.ndarray, grid: np.ndarray = GRID) -> np.ndarray:
    """log density of the author effect on ``grid`` for each draw of the kind's parameters ``extra``
    (shape (D, k), in :data:`AUTHOR_KINDS` order): shape (D, G). The normal and t are centred on 0; the
    mixture holds ordinary posters at 0 and a share of creators ``creator_shift`` higher."""
    extra = np.atleast_2d(np.asarray(extra, dtype=float))
    tau = np.exp(extra[:, :1])
    z = grid[None, :] / tau
    if kind == "normal":
        return -0.5 * z**2 - np.log(tau) - 0.5 * np.log(2 * np.pi)
    if kind == "t":
        nu = np.exp(extra[:, 1:2])
        return (special.gammaln((nu + 1) / 2) - special.gammaln(nu / 2) - 0.5 * np.log(nu * np.pi) - np.log(tau)
                - (nu + 1) / 2 * np.log1p(z**2 / nu))
    if kind == "mixture":
        share, shift = special.expit(extra[:, 1:2]), extra[:, 2:3]
        ordinary = np.log1p(-share) - 0.5 * z**2
        creators = np.log(share) - 0.5 * ((grid[None, :] - shift) / tau) ** 2
        return np.logaddexp(ordinary, creators) - np.log(tau) - 0.5 * np.log(2 * np.pi)
    raise ValueError(f"unknown author distribution {kind!r}: one of {sorted(AUTHOR_KINDS)}")


def grid_quantiles(log_weights: np.ndarray, probabilities: np.ndarray, grid: np.ndarray = GRID) -> np.ndarray:
    """Quantiles of the distributions with ``log_weights`` (D, G) on ``grid`` at ``probabilities``: (D, P)."""
    weights = log_weights - log_weights.max(axis=1, keepdims=True)
    np.exp(weights, out=weights)  # in place from here: an update's weights are large
    cdf = np.cumsum(weights, axis=1)
    weights *= 0.5
    cdf -= weights
    cdf /= cdf[:, -1:]
    return np.stack([np.interp(probabilities, row, grid) for row in cdf])


def stratified(count: int) -> np.ndarray:
    """``count`` probabilities in the middle of equal slices of (0, 1)."""
    return (np.arange(count) + 0.5) / count



def level(draws: dict[str, np.ndarray], log_audience, years, year_range: tuple[float, float]) -> np.ndarray:
    """mu + b x + gamma t per draw, the year held inside the years the fit saw."""
    clipped = np.clip(years, *year_range)
    return draws["mu"] + draws["b"] * log_audience + draws["gamma"] * clipped
