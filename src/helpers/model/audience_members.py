"""Impressions of members' posts, fitted where they are measured: the members' own analytics.

The log impressions of post ``j`` in period ``p`` (a half of an export window) of member ``i`` are

    log I_j = mu + b log(F_p / F_REF) + gamma (t_p - mid-YEAR_REF) + u_ip + e_j,
    u_i1 ~ the author distribution (scale tau): normal, Student t, or two groups (ordinary posters and creators),
    u_i,p+1 = rho u_ip + Normal(0, (1 - rho^2) tau^2),  rho = exp(-(kappa / tau)^2 gap / (2 half a year))
        (the drift: a member's reach grows or fades, by about kappa in half a year, and returns towards the
        members' distribution over years, so that members differ as much in any year as in their first),
    e_j ~ Normal(0, sigma_i^2), log sigma_i ~ Normal(log sigma, omega^2)   (each member's own post spread),

with ``F_p`` the member's followers and ``t_p`` the date in the period's middle (in years). Posts of one
period are read at its middle: a window's top posts cluster in time (a good month), so the follower growth
inside it would measure that, not the audience's effect; ``b`` is read between periods and members. A year
effect ``gamma`` is fitted, or held at an assumption (``audience.year_effect``) when the members held out
do not ask for it (:func:`refit`).

LinkedIn's censoring enters the likelihood (:class:`Window`):

- a TOP POSTS table holds at most 50 posts: when it is full, every other post of the window had fewer
  impressions than the smallest listed. Their number is known when the member's posts are (``Shares.csv``);
  otherwise it is summed over, from the posts known to be missing up to a posting-rate bound, and the
  window's total impressions (DISCOVERY) less the listed posts pins it: the missing posts must add up to it;
- posts published before the window carry only the window's tail: they are dropped;
- posts younger than a few days at the window's end had not finished: their impressions are lower bounds;
- a window with only its total and a post count gives impressions per post.

Each member's likelihood follows their level through their periods on a fine grid (the author effect,
its drift and their own spread integrated out; :func:`member_filter`). A drift without return (a random
walk, ``u_i,p+1 = u_ip + Normal(0, kappa^2 gap / half a year)``) is the alternative the members held out
judge (:data:`VARIANTS`). Parameters are found by maximum
likelihood, and drawn from the posterior by importance sampling (:func:`with_posterior`): with nine members
the likelihood is far from normal in its variance parameters. The audience-size effect ``b`` is fitted
jointly with the reactions of the scraped posts (:mod:`helpers.model.audience_fit`): their elasticity, less
the fall of reactions per impression with audience size (``audience.rate_elasticity``), is a second
measurement of ``b``. ``python -m helpers.model.audience_fit`` (``make fit``) runs :func:`refit`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

import numpy as np
import polars as pl
from scipy import special

from helpers.model import assumptions

#: The audience size at which levels are read (about the median author of the scraped member posts).
F_REF = 2000.0
#: Levels are read in the middle of this year; a year effect counts years from there.
YEAR_REF = 2025
MEMBER_ANALYTICS = "posts-member-analytics.csv.gz"
#: The author effect's grid (log units): e^+-7 is far beyond any member.
GRID = np.arange(-7.0, 7.0 + 1e-9, 0.04)
_STEP = float(GRID[1] - GRID[0])
#: Unlisted posts of a capped window, summed over when their number is unknown: every count up to 60,
#: then geometric steps (weights are the steps' widths, a flat prior on the count).
_COUNTS = np.unique(np.r_[np.arange(0, 60), np.round(np.geomspace(60, 5000, 70))]).astype(float)
_COUNT_WEIGHTS = np.gradient(_COUNTS)
#: The table those unlisted posts are read from: centre less the log cap, and log post spread.
_TABLE_OFFSETS, _TABLE_STEP, _TABLE_SIGMAS = (-12.0, 6.0), 0.05, 50
#: A member's own post spread, log(sigma_i) = log sigma + omega s with s ~ N(0, 1), is integrated on a uniform
#: grid of s (the trapezoid rule, accurate when its step is below the width of the member's likelihood: a
#: member with 180 posts pins their spread to 5%, which fixed Gauss-Hermite nodes scaled to the prior miss).
#: A fit uses a fine grid; an update over many parameter draws a coarser one.
_SPREAD_GRID_FIT = np.linspace(-4.5, 4.5, 41)
_SPREAD_GRID_DRAWS = np.linspace(-4.0, 4.0, 21)

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
_BOUNDS = {"mu": (0.0, 15.0), "b": (-2.0, 3.0), "gamma": (-3.0, 3.0), "log_sigma": (np.log(0.1), np.log(MAX_SPREAD)),
           "log_omega": (np.log(0.02), np.log(2.0)), "log_kappa": (np.log(0.02), np.log(3.0)),
           "log_tau": (np.log(0.05), np.log(MAX_SPREAD)), "log_nu": (0.0, np.log(300.0)), "logit_creators": (-6.0, 6.0),
           "creator_shift": (0.0, 8.0)}
#: A parameter left out of a fit is held here: no year effect, no spread between members' post spreads.
_ABSENT = {"gamma": 0.0, "log_omega": -np.inf, "log_kappa": -np.inf}
_START = {"mu": 6.5, "b": 0.5, "gamma": 0.0, "log_sigma": 0.0, "log_omega": np.log(0.3), "log_kappa": np.log(0.4),
          "log_tau": 0.0, "log_nu": np.log(5.0),
          "logit_creators": -1.0, "creator_shift": 2.0}


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
        log_sigmas = np.linspace(*_BOUNDS["log_sigma"], _TABLE_SIGMAS)
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


def _log_sum(values: np.ndarray, axis: int) -> np.ndarray:
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
    return _log_sum(terms, axis=0)


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


# ---------------------------------------------------------------------------------------------
# The fit


@dataclass(frozen=True)
class MembersFit:
    """Maximum-likelihood estimates of the members' model and their covariance (``names`` order), and,
    once :func:`with_posterior` has run, draws from the posterior (what every prediction uses).
    ``log_likelihood`` is the maximum of what the fit maximises: the log likelihood plus, with ``b_prior``,
    the log density of the reactions' measurement of ``b`` (its normal kernel)."""

    kind: str
    names: tuple[str, ...]
    vector: list[float]
    covariance: list[list[float]]
    log_likelihood: float
    members: int
    windows: int
    posts: int
    b_prior: tuple[float, float] | None
    year_range: tuple[float, float]  # the first and last day of the members' windows, in years since YEAR_REF
    samples: list[list[float]] = field(default_factory=list)
    effective_samples: float = 0.0
    #: the members' mean year (each member once): where a fit with a fixed year trend pins its level
    years_centre: float = 0.0
    #: the year trend a fit without its own year effect was fitted with (an assumption's value)
    fixed_trend: float = 0.0
    #: how a member's level drifts (one of :data:`DRIFTS`; without a drift term, ``log_kappa`` is absent)
    drift: str = "returning"

    def value(self, name: str) -> float:
        """The maximum-likelihood estimate of one parameter (0 when the fit has no such parameter)."""
        return float(self.vector[self.names.index(name)]) if name in self.names else 0.0

    def estimate(self, name: str) -> float:
        """The posterior median of one parameter, or its maximum-likelihood estimate before there is a posterior."""
        if name in self.names and self.samples:
            return float(np.median(np.asarray(self.samples)[:, self.names.index(name)]))
        return self.value(name)

    def interval(self, name: str, level: float = 0.95) -> tuple[float, float]:
        """The posterior's central interval of one parameter (on the scale it is fitted on), or the Wald
        interval before there is a posterior."""
        if name not in self.names:
            return 0.0, 0.0
        index = self.names.index(name)
        if self.samples:
            values = np.asarray(self.samples)[:, index]
            return float(np.quantile(values, 0.5 - level / 2)), float(np.quantile(values, 0.5 + level / 2))
        half = special.ndtri(0.5 + level / 2) * np.sqrt(max(self.covariance[index][index], 0.0))
        return self.vector[index] - half, self.vector[index] + half

    def draws(self, count: int, seed=None) -> dict[str, np.ndarray]:
        """``count`` parameter draws by name (absent ones at their "off" value): resampled from the posterior,
        or from the estimates' normal approximation before there is one."""
        rng = np.random.default_rng(seed)
        if self.samples:
            raw = np.asarray(self.samples)[rng.integers(0, len(self.samples), count)]
        else:
            raw = rng.multivariate_normal(np.asarray(self.vector), np.asarray(self.covariance), size=count,
                                          method="eigh")
            for i, name in enumerate(self.names):
                raw[:, i] = np.clip(raw[:, i], *_BOUNDS[name])
        found = {name: raw[:, i] for i, name in enumerate(self.names)}
        absent = {**_ABSENT, "gamma": self.fixed_trend}
        return {name: found.get(name, np.full(count, absent.get(name, 0.0)))
                for name in (*BASE, *AUTHOR_KINDS[self.kind])}

    def point(self) -> dict[str, np.ndarray]:
        """The estimates as a single draw."""
        return point(self.names, self.vector, self.fixed_trend)

    def author_extra(self, draws: dict[str, np.ndarray]) -> np.ndarray:
        return np.column_stack([draws[name] for name in AUTHOR_KINDS[self.kind]])


def group_windows(windows: list[Window]) -> dict[str, list[Window]]:
    """Windows by member, in order of first appearance."""
    found: dict[str, list[Window]] = {}
    for window in windows:
        found.setdefault(window.member, []).append(window)
    return found


def _spread_nodes(parameters: dict[str, np.ndarray], fine: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The s values a member's spread is integrated over and their log weights (one node when members
    share one spread); ``fine`` by default for a single parameter vector (a fit)."""
    if np.all(np.isneginf(parameters["log_omega"])):
        return np.zeros(1), np.zeros(1)
    fine = parameters["log_omega"].size == 1 if fine is None else fine
    nodes = _SPREAD_GRID_FIT if fine else _SPREAD_GRID_DRAWS
    return nodes, -0.5 * nodes**2 - 0.5 * np.log(2 * np.pi) + np.log(nodes[1] - nodes[0])


def spreads(parameters: dict[str, np.ndarray], fine: bool | None = None) -> np.ndarray:
    """The post spreads a member may have, per draw (D, S): sigma at the grid of the members' spread
    distribution (one value, sigma itself, when every member shares one spread)."""
    sigma = np.exp(parameters["log_sigma"])[:, None]
    nodes, _ = _spread_nodes(parameters, fine)
    if nodes.size == 1:
        return sigma
    return np.clip(sigma * np.exp(np.exp(parameters["log_omega"])[:, None] * nodes[None, :]), 0.1, MAX_SPREAD)


def _blur(log_values: np.ndarray, kappa: np.ndarray) -> np.ndarray:
    """log of (exp(log_values) convolved with N(0, kappa^2)) along the author-effect grid, row by row
    (``kappa`` one per row): a period's likelihood with its own level integrated out. By FFT, the
    Gaussian's transfer function exact; padded so that nothing wraps around."""
    top = np.max(log_values, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    size = log_values.shape[1]
    length = 1 << int(np.ceil(np.log2(size + 2 * int(np.ceil(7 * float(np.max(kappa)) / _STEP)) + 1)))
    spectrum = np.fft.rfft(np.exp(log_values - top), n=length, axis=1)
    frequency = np.fft.rfftfreq(length)
    transfer = np.exp(-2 * np.pi**2 * (np.asarray(kappa)[:, None] / _STEP) ** 2 * frequency[None, :] ** 2)
    blurred = np.fft.irfft(spectrum * transfer, n=length, axis=1)[:, :size]
    return np.log(np.maximum(blurred, 1e-300)) + top


#: The drift's clock: ``kappa`` is how far (sd of log) a member's level moves in half a year.
HALF_YEAR = 0.5
#: How a member's level drifts: returning towards the members' distribution (the default), or a random walk.
DRIFTS = ("returning", "random walk")


def correlation(kappa: np.ndarray, tau: np.ndarray, gap: float) -> np.ndarray:
    """How much of a member's level is left after ``gap`` years of a returning drift: exp(-(kappa / tau)^2
    gap / (2 half a year)), so that over a short gap the level moves by about ``kappa`` sqrt(gap / half a
    year), as a random walk would, and over years returns towards the members' distribution (scale ``tau``)."""
    return np.exp(-0.5 * (kappa / tau) ** 2 * max(gap, 0.0) / HALF_YEAR)


def _carry(log_values: np.ndarray, rho: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """A returning drift's step on the grid, row by row: u' = rho u + Normal(0, (1 - rho^2) tau^2). Each cell's
    mass is moved to rho u through the cumulative distribution (so no mass is lost however small rho is),
    then blurred (:func:`_blur`)."""
    top = np.max(log_values, axis=1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    cumulative = np.concatenate([np.zeros((log_values.shape[0], 1)), np.cumsum(np.exp(log_values - top), axis=1)],
                                axis=1)
    edges = np.r_[GRID - _STEP / 2, GRID[-1] + _STEP / 2]
    rho = np.maximum(np.asarray(rho, dtype=float), 1e-9)
    position = np.clip((edges[None, :] / rho[:, None] - edges[0]) / _STEP, 0.0, GRID.size)
    cell = np.minimum(np.floor(position).astype(int), GRID.size - 1)
    fraction = position - cell
    at = ((1 - fraction) * np.take_along_axis(cumulative, cell, axis=1)
          + fraction * np.take_along_axis(cumulative, cell + 1, axis=1))
    moved = np.log(np.maximum(np.diff(at, axis=1), 1e-300)) + top
    return _blur(moved, tau * np.sqrt(np.maximum(1 - rho**2, 0.0)))


def _step(filtered, kappa: np.ndarray, tau: np.ndarray, gap: float, drift: str, *, grid: bool):
    """A member's level carried ``gap`` years on: the grid's log weights (``filtered`` (R, G)), or a normal's
    (mean, variance) in closed form; ``kappa``, ``tau`` one per row."""
    if drift == "random walk":
        spread = kappa * np.sqrt(max(gap, 0.0) / HALF_YEAR)
        if grid:
            return _blur(filtered, spread)
        return filtered[0], filtered[1] + spread**2
    rho = correlation(kappa, tau, gap)
    if grid:
        return _carry(filtered, rho, tau)
    return rho * filtered[0], rho**2 * filtered[1] + (1 - rho**2) * tau**2


def periods(windows: list[Window]) -> list[Window]:
    """The periods a member's level moves between, in time order: each window's two halves, or a capped
    window whole (its total and its missing posts belong to the whole window and cannot be shared)."""
    return [part for window in sorted(windows, key=lambda w: w.start)
            for part in (window.halves if window.log_cap is None else (window,))]


def middle_year(window: Window) -> float:
    """The middle of a window (years since the middle of ``YEAR_REF``)."""
    return years_since_reference(window.start + (window.end - window.start) / 2)


@dataclass(frozen=True)
class MemberFilter:
    """What a member's own periods say of their level at the last of them, per draw and post-spread node:
    on the grid (``weights``, (D, S, G), log prior x likelihood) or, when every period's posts are
    measured and author effects normal, in closed form (``log_likelihood``, ``mean``, ``variance``, (D, S)).
    ``node_weights`` are the spread nodes' log prior weights, ``last`` the last period's middle (years),
    ``kappa`` and ``tau`` the drift's and the author distribution's scales per row (D x S), ``drift`` its kind."""

    spreads: np.ndarray
    node_weights: np.ndarray
    kappa: np.ndarray | None
    last: float | None
    tau: np.ndarray | None = None
    drift: str = "returning"
    weights: np.ndarray | None = None
    log_likelihood: np.ndarray | None = None
    mean: np.ndarray | None = None
    variance: np.ndarray | None = None

    def total(self) -> np.ndarray:
        """log P(the member's windows) per draw."""
        if self.weights is not None:
            return _log_sum(self.weights.reshape(self.weights.shape[0], -1), axis=1)
        return _log_sum(self.log_likelihood + self.node_weights[None, :], axis=1)


def needs_grid(windows: list[Window]) -> bool:
    """Whether a member's windows need the grid: a capped list (or a total alone) is not normal in the level."""
    return any(w.log_cap is not None for w in windows)


def member_filter(windows: list[Window], kind: str, parameters: dict[str, np.ndarray],
                  year_range: tuple[float, float] = (-np.inf, np.inf), fine: bool | None = None,
                  closed_form: bool | None = None, drift: str = "returning") -> MemberFilter:
    """A member's level followed through their periods in time order: it starts at the author effect
    (the members' distribution), drifts from one period to the next (``drift``: returning, or a random walk;
    see the module's doc) and each period's posts weigh on it with their censoring. On the grid (Gaussian
    steps by FFT) or, where every period's posts are measured and author effects normal, by the Kalman
    filter, exact and far faster (it leaves out the few posts still young at a period's end: their floors
    add little). ``closed_form`` None picks it where it applies and for many draws. For the heavier-tailed
    author distributions a returning drift returns towards a normal of their scale (an approximation)."""
    if drift not in DRIFTS:
        raise ValueError(f"unknown drift {drift!r}: one of {DRIFTS}")
    table = spreads(parameters, fine)
    draws, nodes = table.shape
    node_weights = _spread_nodes(parameters, fine)[1]
    moving = not np.all(np.isneginf(parameters["log_kappa"]))
    kappa = np.repeat(np.exp(parameters["log_kappa"]), nodes) if moving else None
    tau = np.repeat(np.exp(parameters["log_tau"]), nodes)
    parts = [p for p in (periods(windows) if moving else sorted(windows, key=lambda w: w.start))
             if p.posts or p.log_cap is not None]
    if closed_form is None:
        closed_form = kind == "normal" and not needs_grid(windows) and draws > 1
    sigma = table.ravel()
    previous = None
    if closed_form:
        mean = np.zeros(draws * nodes)
        variance = tau**2
        total = np.zeros(draws * nodes)
        for part in parts:
            if previous is not None and moving:
                mean, variance = _step((mean, variance), kappa, tau, middle_year(part) - previous, drift, grid=False)
            previous = middle_year(part)
            y = part.log_impressions
            if not y.size:
                continue
            centre = np.repeat(level(parameters, part.log_audience, part.years, year_range), nodes)
            within = sigma**2 / y.size
            offset = y.mean() - centre
            spread = variance + within
            total += (-0.5 * float(np.sum((y - y.mean()) ** 2)) / sigma**2 - y.size * np.log(sigma)
                      - 0.5 * y.size * np.log(2 * np.pi) + 0.5 * np.log(2 * np.pi * within)
                      - 0.5 * (offset - mean) ** 2 / spread - 0.5 * np.log(2 * np.pi * spread))
            gain = variance / spread
            mean = mean + gain * (offset - mean)
            variance = variance * (1 - gain)
        return MemberFilter(table, node_weights, kappa, previous, tau, drift, log_likelihood=total.reshape(draws, nodes),
                            mean=mean.reshape(draws, nodes), variance=variance.reshape(draws, nodes))
    prior = author_log_density(kind, np.column_stack([parameters[n] for n in AUTHOR_KINDS[kind]]))
    total = np.repeat(prior, nodes, axis=0) + np.tile(node_weights, draws)[:, None] + np.log(_STEP)
    for part in parts:
        if previous is not None and moving:
            total = _step(total, kappa, tau, middle_year(part) - previous, drift, grid=True)
        previous = middle_year(part)
        centre = np.repeat(level(parameters, part.log_audience, part.years, year_range), nodes)
        total += window_log_likelihood(part, centre, sigma)
    return MemberFilter(table, node_weights, kappa, previous, tau, drift, weights=total.reshape(draws, nodes, -1))


def member_log_likelihood(windows: list[Window], kind: str, parameters: dict[str, np.ndarray],
                          fine: bool | None = None, drift: str = "returning") -> np.ndarray:
    """log P(one member's windows) with the author effect, its drift and own post spread integrated out,
    per draw."""
    return member_filter(windows, kind, parameters, fine=fine, closed_form=False, drift=drift).total()


def point(names, vector, trend: float = 0.0) -> dict[str, np.ndarray]:
    """One parameter vector as a single draw (absent parameters at their "off" value, the year trend at
    ``trend``)."""
    values = {name: np.atleast_1d(float(v)) for name, v in zip(names, vector)}
    absent = {**_ABSENT, "gamma": trend}
    return {name: values.get(name, np.full(1, absent.get(name, 0.0)))
            for name in (*BASE, *[n for kind in AUTHOR_KINDS.values() for n in kind])}


def fit_members(windows: list[Window], kind: str = "normal", *, year: bool = True, own_spread: bool = True,
                drift: str | None = "returning", b_prior: tuple[float, float] | None = None,
                fixed_trend: float = 0.0) -> MembersFit:
    """Maximum likelihood fit over members (their windows grouped): with the year effect fitted, or fixed at
    ``fixed_trend`` (none by default), each member's own post spread or one shared, a member's level drifting
    (``drift``, one of :data:`DRIFTS`) or fixed (None), and ``b_prior`` = (mean, sd), the second measurement
    of ``b`` (the scraped posts' reactions)."""
    from scipy import optimize

    left_out = {"gamma": not year, "log_omega": not own_spread, "log_kappa": not drift}
    walk = drift or "returning"
    names = tuple(n for n in BASE if not left_out.get(n, False)) + AUTHOR_KINDS[kind]
    groups = list(group_windows(windows).values())

    trend = 0.0 if year else fixed_trend

    def negative(vector: np.ndarray) -> float:
        parameters = point(names, vector, trend)
        value = -sum(float(member_log_likelihood(g, kind, parameters, drift=walk)[0]) for g in groups)
        if b_prior is not None:
            value += 0.5 * ((parameters["b"][0] - b_prior[0]) / b_prior[1]) ** 2
        return value

    start = np.array([_START[n] for n in names])
    start[names.index("mu")] = float(np.median([w.log_impressions.mean() for w in windows if w.log_impressions.size]))
    bounds = [_BOUNDS[n] for n in names]
    found = optimize.minimize(negative, start, method="L-BFGS-B", bounds=bounds,
                              options={"maxiter": 500, "ftol": 1e-10, "gtol": 1e-6})
    covariance = _inverse_hessian(negative, found.x, bounds)
    covered = (min(years_since_reference(w.start) for w in windows), max(years_since_reference(w.end) for w in windows))
    centre = float(np.mean([np.mean([w.years for w in g]) for g in groups]))
    return MembersFit(kind, names, [float(v) for v in found.x], covariance.tolist(), -float(found.fun), len(groups),
                      len(windows), int(sum(w.posts for w in windows)), b_prior, covered, years_centre=centre,
                      fixed_trend=trend, drift=walk)


def _inverse_hessian(negative, x: np.ndarray, bounds, step: float = 1e-2) -> np.ndarray:
    """Inverse of the negative log-likelihood's Hessian by central differences; a parameter at its bound
    (a t whose tails are as light as a normal's) gets no variance rather than a wild one."""
    k = x.size
    free = [i for i in range(k) if bounds[i][0] + 10 * step < x[i] < bounds[i][1] - 10 * step]
    eye = np.eye(k) * step
    hessian = np.zeros((k, k))
    base = negative(x)
    for i in free:
        for j in free:
            if j < i:
                continue
            if i == j:
                value = (negative(x + eye[i]) - 2 * base + negative(x - eye[i])) / step**2
            else:
                value = (negative(x + eye[i] + eye[j]) - negative(x + eye[i] - eye[j])
                         - negative(x - eye[i] + eye[j]) + negative(x - eye[i] - eye[j])) / (4 * step**2)
            hessian[i, j] = hessian[j, i] = value
    covariance = np.zeros((k, k))
    sub = hessian[np.ix_(free, free)]
    values, vectors = np.linalg.eigh(sub)
    values = np.maximum(values, 1e-6 * max(values.max(), 1.0))
    covariance[np.ix_(free, free)] = vectors @ np.diag(1 / values) @ vectors.T
    return covariance


def with_posterior(fit: MembersFit, windows: list[Window], *, proposals: int = 2000, keep: int = 1000,
                   seed=None, chunk: int = 200) -> MembersFit:
    """The fit with draws from its posterior (flat priors on the fitted scale inside the bounds, and the
    reactions' measurement of ``b``), by importance sampling: proposals from a Student t (4 degrees of
    freedom) around the estimates with twice their covariance, and uniform over its range for a parameter
    the fit left at a bound (an author spread of zero, say, which the normal approximation cannot draw
    around); weighted by posterior over proposal, then ``keep`` resampled systematically. With nine members
    the likelihood is far from normal in its variance parameters: the Hessian's intervals are too narrow."""
    from scipy import stats

    rng = np.random.default_rng(seed)
    x, covariance = np.asarray(fit.vector), np.asarray(fit.covariance)
    free = np.diag(covariance) > 0
    stuck = ~free
    draws = np.tile(x, (proposals, 1))
    shape = 2 * covariance[np.ix_(free, free)]
    proposal_t = stats.multivariate_t(loc=x[free], shape=shape, df=4)
    draws[:, free] = proposal_t.rvs(size=proposals, random_state=rng).reshape(proposals, -1)
    log_proposal = proposal_t.logpdf(draws[:, free])
    for i in np.flatnonzero(stuck):
        low, high = _BOUNDS[fit.names[i]]
        span = (low, min(high, low + 4.0)) if x[i] - low < high - x[i] else (max(low, high - 4.0), high)
        draws[:, i] = rng.uniform(*span, proposals)
        log_proposal = log_proposal - np.log(span[1] - span[0])
    inside = np.all([(draws[:, i] >= _BOUNDS[n][0]) & (draws[:, i] <= _BOUNDS[n][1]) for i, n in enumerate(fit.names)],
                    axis=0)
    log_posterior = np.full(proposals, -np.inf)
    groups = list(group_windows(windows).values())
    for start in range(0, proposals, chunk):
        rows = np.arange(start, min(start + chunk, proposals))
        rows = rows[inside[rows]]
        if not rows.size:
            continue
        parameters = {**fit.point(), **{n: draws[rows, i] for i, n in enumerate(fit.names)}}
        parameters = {n: np.broadcast_to(v, rows.shape).copy() if v.size == 1 else v for n, v in parameters.items()}
        value = sum(member_log_likelihood(g, fit.kind, parameters, fine=True, drift=fit.drift) for g in groups)
        if fit.b_prior is not None:
            value = value - 0.5 * ((parameters["b"] - fit.b_prior[0]) / fit.b_prior[1]) ** 2
        log_posterior[rows] = value
    log_weights = log_posterior - log_proposal
    weights = np.exp(log_weights - log_weights[np.isfinite(log_weights)].max())
    weights /= weights.sum()
    effective = float(1 / np.sum(weights**2))
    picked = np.searchsorted(np.cumsum(weights), (rng.uniform() + np.arange(keep)) / keep)
    return replace(fit, samples=draws[np.minimum(picked, proposals - 1)].tolist(), effective_samples=effective)


# ---------------------------------------------------------------------------------------------
# What the fit says of a member: author-level band, the posterior after their own posts, coverage


@dataclass(frozen=True)
class AuthorStates:
    """A member's author effect and own post spread, as ``count`` equally likely pairs per draw (D, count):
    a new member's (the members' distribution) or one member's after their own posts."""

    effects: np.ndarray
    spreads: np.ndarray


def author_states(fit: MembersFit, draws: dict[str, np.ndarray], count: int,
                  windows: list[Window] | None = None, at: float | None = None) -> AuthorStates:
    """Stratified draws of (author effect, post spread) per parameter draw: a new member's from the members'
    distribution, or, after the member's ``windows`` (censoring included), their level carried from their
    last period to ``at`` (years; half a year after it when None) by the drift."""
    if not windows:
        return new_member_states(fit, draws, count)
    return states_after(member_filter(windows, fit.kind, draws, fit.year_range, drift=fit.drift), count, at)


def new_member_states(fit: MembersFit, draws: dict[str, np.ndarray], count: int) -> AuthorStates:
    """A new member's states: the author effect and their own post spread at stratified quantiles of the
    members' distributions (in closed form for normal author effects, else on the grid)."""
    table = spreads(draws)
    if fit.kind == "normal":
        effects = np.exp(draws["log_tau"])[:, None] * special.ndtri(stratified(count))[None, :]
        if table.shape[1] == 1:
            return AuthorStates(effects, np.repeat(table, count, axis=1))
        spread = np.exp(draws["log_sigma"])[:, None] * np.exp(np.exp(draws["log_omega"])[:, None]
                                                               * _scrambled(count, 1)[None, :])
        return AuthorStates(effects, np.clip(spread, 0.1, MAX_SPREAD))
    prior = author_log_density(fit.kind, fit.author_extra(draws))
    return _grid_states(prior[:, None, :] + _spread_nodes(draws)[1][None, :, None], table, count)


def states_after(found: MemberFilter, count: int, at: float | None = None) -> AuthorStates:
    """A member's states at ``at`` (years) from what their periods say (:func:`member_filter`)."""
    ahead = HALF_YEAR if at is None or found.last is None else max(at - found.last, 0.0)
    moving = found.kappa is not None and ahead > 0
    if found.weights is not None:
        draws, nodes, _ = found.weights.shape
        weights = found.weights if not moving else _step(
            found.weights.reshape(draws * nodes, -1), found.kappa, found.tau, ahead, found.drift,
            grid=True).reshape(found.weights.shape)
        return _grid_states(weights, found.spreads, count)
    centre, variance = found.mean, found.variance
    if moving:
        centre, variance = (v.reshape(found.spreads.shape) for v in _step(
            (found.mean.ravel(), found.variance.ravel()), found.kappa, found.tau, ahead, found.drift, grid=False))
    # closed form: pick the spread node by its posterior weight, then the level within it, both stratified
    log_weights = found.log_likelihood + found.node_weights[None, :]
    weights = np.exp(log_weights - log_weights.max(axis=1, keepdims=True))
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    probabilities = stratified(count)
    node = np.minimum((cumulative[:, :, None] < probabilities[None, None, :]).sum(axis=1), cumulative.shape[1] - 1)
    before = np.where(node > 0, np.take_along_axis(cumulative, np.maximum(node - 1, 0), axis=1), 0.0)
    within = (probabilities[None, :] - before) / np.take_along_axis(weights / weights.sum(axis=1, keepdims=True), node,
                                                                    axis=1)
    scale = np.sqrt(np.take_along_axis(variance, node, axis=1))
    effects = np.take_along_axis(centre, node, axis=1) + scale * special.ndtri(np.clip(within, 1e-9, 1 - 1e-9))
    return AuthorStates(effects, np.take_along_axis(found.spreads, node, axis=1))


def carried_share(found: MemberFilter, at: float | None = None) -> np.ndarray:
    """How much of a shift of the member's own posts (all of them, by the same amount) reaches their level at
    ``at`` (years; half a year after their last period when None), per draw: the share their posts hold of
    the level at their last period (1 less its posterior variance over the members' tau^2), times what a
    returning drift leaves of it by ``at`` (all of it for a random walk)."""
    if found.weights is not None:
        log_weights = found.weights.reshape(found.weights.shape[0], found.weights.shape[1], -1)
        weights = np.exp(log_weights - log_weights.max(axis=(1, 2), keepdims=True)).sum(axis=1)
        weights /= weights.sum(axis=1, keepdims=True)
        mean = weights @ GRID
        variance = weights @ GRID**2 - mean**2
    else:
        log_weights = found.log_likelihood + found.node_weights[None, :]
        weights = np.exp(log_weights - log_weights.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        mean = (weights * found.mean).sum(axis=1)
        variance = (weights * (found.variance + found.mean**2)).sum(axis=1) - mean**2
    tau = found.tau.reshape(found.spreads.shape)[:, 0]
    share = np.clip(1 - variance / tau**2, 0.0, 1.0)
    if found.kappa is None or found.drift == "random walk":
        return share
    ahead = HALF_YEAR if at is None or found.last is None else max(at - found.last, 0.0)
    return share * correlation(found.kappa.reshape(found.spreads.shape)[:, 0], tau, ahead)


def _grid_states(weights: np.ndarray, table: np.ndarray, count: int) -> AuthorStates:
    """Stratified (effect, spread) pairs from log weights over (spread node, grid): the inverse CDF of the
    flattened grid, nodes first."""
    flat = weights.reshape(weights.shape[0], -1)
    position = np.arange(flat.shape[1], dtype=float)
    picked = np.rint(grid_quantiles(flat, stratified(count), position)).astype(int)
    node, cell = np.divmod(picked, GRID.size)
    return AuthorStates(GRID[cell], np.take_along_axis(table, node, axis=1))


def _scrambled(count: int, turn: int) -> np.ndarray:
    """Standard normal quantiles at ``count`` stratified probabilities in a fixed order of their own (each
    ``turn`` a different one), so that independent effects paired by position stay independent."""
    return special.ndtri(stratified(count))[np.argsort(np.sin((np.arange(count) + 1) * (12.9898 + 7.233 * turn)))]


def level(draws: dict[str, np.ndarray], log_audience, years, year_range: tuple[float, float]) -> np.ndarray:
    """mu + b x + gamma t per draw, the year held inside the years the fit saw."""
    clipped = np.clip(years, *year_range)
    return draws["mu"] + draws["b"] * log_audience + draws["gamma"] * clipped


def own_typical(window: Window, sigma: float) -> float:
    """A member's typical (median) post over a window from their own posts alone: the level that best
    explains them, censoring included, at post spread ``sigma`` (which a capped list cannot give)."""
    from scipy import optimize

    found = optimize.minimize_scalar(lambda m: -float(window_log_likelihood(window, np.array([m]), np.array([sigma]),
                                                                            np.zeros(1))[0, 0]),
                                     bounds=(0.0, 16.0), method="bounded", options={"xatol": 1e-4})
    return float(np.exp(found.x))


def pit_coverage(low: np.ndarray, high: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """Share of each post's PIT range [low, high] inside [lower, upper] (a measured post has low == high:
    0 or 1; a censored one is spread evenly over its range, the standard reading of a censored PIT)."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    point = high - low < 1e-12
    overlap = np.clip(np.minimum(high, upper) - np.maximum(low, lower), 0.0, None) / np.maximum(high - low, 1e-12)
    return np.where(point, ((low >= lower) & (low <= upper)).astype(float), overlap)


def predictive_cdf(values: np.ndarray, centre: np.ndarray, states: AuthorStates) -> np.ndarray:
    """P(log impressions <= value) for each of ``values`` under the mixture over draws (``centre`` (D,))
    and the author states."""
    values = np.atleast_1d(np.asarray(values, dtype=float))
    z = (values[:, None, None] - centre[None, :, None] - states.effects[None]) / states.spreads[None]
    return special.ndtr(z).mean(axis=(1, 2))


def later_posts_pit(fit: MembersFit, draws, states: AuthorStates, window: Window, unknown_unlisted: float = 0.0
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PIT ranges of a window's posts under the predictive (``states`` the member's): measured posts,
    young posts (lower bounds: [F(y), 1]), unlisted posts below a cap ([0, F(cap)], ``unlisted`` known
    ones plus ``unknown_unlisted``). Returns (low, high, weight)."""
    centre = level(draws, window.log_audience, window.years, fit.year_range)
    exact = predictive_cdf(window.log_impressions, centre, states)
    young = predictive_cdf(window.log_at_least, centre, states)
    low, high, weight = [exact, young], [exact, np.ones_like(young)], [np.ones_like(exact), np.ones_like(young)]
    if window.log_cap is not None and np.isfinite(window.log_cap):
        count = window.unlisted + unknown_unlisted
        if count > 0:
            below = predictive_cdf([window.log_cap], centre, states)
            low.append(np.zeros(1))
            high.append(below)
            weight.append(np.array([count]))
    return np.concatenate(low), np.concatenate(high), np.concatenate(weight)


def simulate_members(followers: np.ndarray, posts: np.ndarray, *, mu: float, b: float, tau: float, sigma: float,
                     cap: int = 50, shares_known: bool = False, seed=None) -> list[Window]:
    """Members drawn from the model itself, each with one year-long window (in the middle of ``YEAR_REF``,
    so no year effect), ``posts`` posts, and a TOP POSTS list of the ``cap`` best: complete when a member has
    no more posts, else full, with the window's total, and the number of the others known only when
    ``shares_known`` (for checking that the fit recovers known parameters through LinkedIn's censoring)."""
    rng = np.random.default_rng(seed)
    start, end = date(YEAR_REF, 1, 1), date(YEAR_REF, 12, 31)
    per_day = assumptions.value("audience.max_posts_per_day")
    windows = []
    for i, (audience, count) in enumerate(zip(np.atleast_1d(followers), np.atleast_1d(posts))):
        logs = mu + b * np.log(audience / F_REF) + rng.normal(0, tau) + rng.normal(0, sigma, int(count))
        days = np.datetime64(start, "D") + np.sort(rng.integers(30, 330, int(count))).astype("timedelta64[D]")
        order = np.argsort(logs)[::-1]
        top, rest = order[:cap], order[cap:]
        window = Window(f"member {i}", f"member {i}", start, end, float(audience), float(audience), logs[top],
                        days[top], listed=int(top.size))
        if rest.size:
            total = float(np.exp(logs).sum())
            window = replace(window, log_cap=float(logs[top].min()),
                             unlisted_dates=days[rest] if shares_known else np.zeros(0, dtype="datetime64[D]"),
                             unlisted_complete=shares_known, max_unlisted=int(per_day * 365) - cap,
                             unlisted_total=float(np.exp(logs[rest]).sum()), total_sd=0.03 * total)
        windows.append(window)
    return windows


def read_as_complete(window: Window) -> Window:
    """The window as a reader who trusts a capped list sees it: the listed posts, and nothing else."""
    return replace(window, log_cap=None, unlisted_dates=np.zeros(0, dtype="datetime64[D]"), unlisted_total=None)


# ---------------------------------------------------------------------------------------------
# The shared members' analytics


def load_member_analytics(folder: Path) -> pl.DataFrame:
    """``posts-member-analytics.csv.gz`` (see ``../shared/datasets/README.md``), dates parsed."""
    return pl.read_csv(folder / MEMBER_ANALYTICS, infer_schema_length=None, try_parse_dates=True)


def followers_on(day: date, start: date, end: date, followers_end: float, followers_new: float | None) -> float:
    """Followers on ``day``: the window's end total less the new followers still to come (spread evenly
    over the window). New followers are gross gains (one member's exceed their total), so the start is
    held at a quarter of the end at least."""
    if followers_new is None:
        return float(followers_end)
    first = max(followers_end - followers_new, 0.25 * followers_end)
    remaining = (end - day).days / max((end - start).days, 1)
    return float(followers_end - (followers_end - first) * min(max(remaining, 0.0), 1.0))


#: A window known by its connections only may say in its notes how many it started with ("250 at window start").
_START_COUNT = re.compile(r"\((\d[\d,]*) at window start\)")


def windows_from_members(frame: pl.DataFrame) -> list[Window]:
    """The shared members' windows. Audience: followers (connections plus ``audience.follower_extra`` where
    only connections are known, growing from the start count the notes give); the censoring read from the
    columns the README describes."""
    extra = assumptions.value("audience.follower_extra")
    settled = assumptions.value("audience.settled_days")
    other = assumptions.value("audience.window_total_other")
    per_day = assumptions.value("audience.max_posts_per_day")
    windows = []
    for (name,), rows in frame.group_by("member", maintain_order=True):
        first = rows.row(0, named=True)
        start, end = first["window_start"], first["window_end"]
        total_end = first["followers_end"] if first["followers_end"] is not None else (
            first["connections"] * (1 + extra) if first["connections"] is not None else None)
        if total_end is None:
            continue
        new = first["followers_new"] if first["followers_end"] is not None else None
        known_start = _START_COUNT.search(first["notes"] or "") if first["followers_end"] is None else None
        if known_start:  # connections only, with the count at the window's start (the README's dev07)
            new = total_end - int(known_start.group(1).replace(",", "")) * (1 + extra)
        inside = rows.filter(pl.col("published_on").is_not_null() & (pl.col("published_on") >= start))
        listed = inside.filter(pl.col("impressions").is_not_null() & (pl.col("in_impressions_table") == 1))
        young = listed.filter((pl.lit(end) - pl.col("published_on")).dt.total_days() < settled)
        settled_posts = listed.filter((pl.lit(end) - pl.col("published_on")).dt.total_days() >= settled)
        capped = first["impressions_table_capped"] == 1
        total = first["window_impressions_total"]
        every_listed = rows.filter(pl.col("impressions").is_not_null() & (pl.col("in_impressions_table") == 1))
        log = lambda values: np.log(np.maximum(values.to_numpy().astype(float), 1.0))  # noqa: E731
        days = lambda values: values.to_numpy().astype("datetime64[D]")  # noqa: E731
        windows.append(Window(
            member=member_of(name), window=name, start=start, end=end,
            followers_start=followers_on(start, start, end, total_end, new), followers_end=float(total_end),
            log_impressions=log(settled_posts["impressions"]), dates=days(settled_posts["published_on"]),
            log_at_least=log(young["impressions"]), at_least_dates=days(young["published_on"]),
            listed=listed.height,
            log_cap=float(np.log(first["impressions_table_min"])) if capped else None,
            unlisted_dates=days(inside.filter(pl.col("in_impressions_table") == 0)["published_on"]) if capped
            else np.zeros(0, dtype="datetime64[D]"),
            unlisted_complete=False,
            max_unlisted=max(int(per_day * ((end - start).days + 1)) - listed.height, 0),
            unlisted_total=(max(total * (1 - other) - float(every_listed["impressions"].sum()), 0.0)
                            if capped and total is not None else None),
            total_sd=other * total if total is not None else 0.0,
        ))
    return windows


def split_member(windows: list[Window]) -> tuple[list[Window], list[Window], date]:
    """A member's windows cut at the median date of their known posts: (earlier, later, the date)."""
    days = np.sort(np.concatenate([np.concatenate([w.dates, w.at_least_dates, w.unlisted_dates]) for w in windows]))
    cut = days[days.size // 2].astype(date)
    parts = [w.split(cut) for w in windows]
    keep = lambda part: bool(part.posts or part.unlisted)  # noqa: E731
    return [p[0] for p in parts if keep(p[0])], [p[1] for p in parts if keep(p[1])], cut


# ---------------------------------------------------------------------------------------------
# Leave one member out


#: The model's author-level and post-level intervals the held-out members are counted in.
BANDS = {"50": (0.25, 0.75), "90": (0.05, 0.95)}
AUTHOR_PROBABILITIES = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
#: A heavier-tailed author distribution replaces the normal only if it beats it on the members held out
#: by more than this many log units of predictive density (e^2: the held-out data 7 times likelier).
HEAVIER_TAILS_MARGIN = 2.0


def with_assumed_trend(fit: MembersFit, draws: dict[str, np.ndarray], trend: np.ndarray) -> dict[str, np.ndarray]:
    """The draws with a year trend ``trend`` (one per draw) where the fit held it fixed: the level turns about
    the members' mean year, where the data pin it whatever the trend; a fit with its own year effect keeps it."""
    if "gamma" in fit.names:
        return draws
    trend = np.asarray(trend, dtype=float)
    return {**draws, "gamma": trend, "mu": draws["mu"] - (trend - fit.fixed_trend) * fit.years_centre}


def trend_draws(count: int, rng) -> np.ndarray:
    """Draws of ``audience.year_effect`` over its range (triangular about its value)."""
    item = assumptions.load()["audience.year_effect"]
    return rng.triangular(item.low, item.value, item.high, count)


def author_band(fit: MembersFit, draws: dict[str, np.ndarray], states: AuthorStates, log_audience: float,
                years: float, probabilities=AUTHOR_PROBABILITIES) -> np.ndarray:
    """Quantiles of an author's typical (median) post at that audience and year: over the parameter draws
    and the author distribution."""
    centre = level(draws, log_audience, years, fit.year_range)
    return np.exp(np.quantile((centre[:, None] + states.effects).ravel(), probabilities))


def held_out_members(windows: list[Window], kind: str = "normal", *, year: bool = True, own_spread: bool = True,
                     drift: str | None = "returning", b_prior: tuple[float, float] | None = None, draws: int = 400,
                     effects: int = 32, posterior: bool = False, assumed_trend: bool = False, seed=None) -> dict:
    """Each member predicted by the fit to the others (a member's windows left out together).

    For every window: the member's typical post from their own posts (:func:`own_typical`, at the held-out
    fit's post spread) beside the author-level band at their audience and year. For every member: the
    held-out log predictive density of their windows (over the fit's parameter draws), and the update
    test: their earlier posts update the author effect, and their later posts' PITs (censoring included)
    are counted in the 50% and 90% post intervals, beside the same without the update. The draws are the
    normal approximation's, or with ``posterior`` each held-out fit's posterior (:func:`with_posterior`);
    with ``assumed_trend`` a fit without a year effect is fitted with ``audience.year_effect`` and carries it
    over its range.
    """
    rng = np.random.default_rng(seed)
    rows, later_rows, densities = [], [], {}
    for member, mine in group_windows(windows).items():
        rest = [w for w in windows if w.member != member]
        fit = fit_members(rest, kind, year=year, own_spread=own_spread, drift=drift, b_prior=b_prior,
                          fixed_trend=assumptions.value("audience.year_effect") if assumed_trend else 0.0)
        if posterior:
            fit = with_posterior(fit, rest, proposals=POSTERIOR_PROPOSALS // 2, keep=draws, seed=rng)
        parameters = fit.draws(draws, rng)
        if assumed_trend:
            parameters = with_assumed_trend(fit, parameters, trend_draws(draws, rng))
        prior = new_member_states(fit, parameters, effects)
        log_density = member_log_likelihood(mine, kind, parameters, drift=fit.drift)
        densities[member] = float(_log_sum(log_density, axis=0) - np.log(draws))
        sigma = float(np.exp(fit.value("log_sigma")))
        for window in mine:
            typical = own_typical(window, sigma)
            band = author_band(fit, parameters, prior, window.log_audience, window.years)
            rows.append({"window": window.window, "member": member, "followers": round(window.followers),
                         "year": round(YEAR_REF + 0.5 + window.years, 2), "typical": typical,
                         **{f"q{round(p * 100):02d}": float(v) for p, v in zip(AUTHOR_PROBABILITIES, band)},
                         "in_50": bool(band[1] <= typical <= band[3]), "in_90": bool(band[0] <= typical <= band[4]),
                         "log_ratio": float(np.log(typical / band[2]))})
        earlier, later, _ = split_member(mine)
        found = member_filter(earlier, kind, parameters, fit.year_range, drift=fit.drift)
        for window in later:
            updated = states_after(found, effects, middle_year(window))
            unknown = 0.0
            if window.log_cap is not None and not window.unlisted_complete and window.posts:
                implied = expected_unlisted(window, np.log(own_typical(window, sigma)), sigma)
                unknown = max(implied - window.unlisted, 0.0)
            row = {"window": window.window, "member": member, "measured": window.posts,
                   "unlisted_known": window.unlisted, "unlisted_inferred": unknown}
            for name, chosen in (("updated", updated), ("not_updated", prior)):
                low, high, weight = later_posts_pit(fit, parameters, chosen, window, unknown)
                measured = slice(0, window.posts)
                known = weight.copy()
                if known.size > window.posts:
                    known[-1] = window.unlisted
                for band_name, (lower, upper) in BANDS.items():
                    inside = pit_coverage(low, high, lower, upper)
                    row[f"{name}_in_{band_name}_measured"] = float(inside[measured].sum())
                    row[f"{name}_in_{band_name}_known"] = float((inside * known).sum())
                    row[f"{name}_in_{band_name}_all"] = float((inside * weight).sum())
            later_rows.append(row)
    return {"kind": kind, "year": year, "own_spread": own_spread, "drift": drift, "windows": rows,
            "later": later_rows,
            "log_predictive": densities}


def _wilson(successes: float, trials: float) -> tuple[float, float]:
    from helpers.evidence.stats import wilson

    return wilson(successes, trials) if trials else (float("nan"), float("nan"))


def summarise_authors(rows: list[dict]) -> dict:
    """Coverage of the author-level bands over members (a member's windows weigh one member together)
    and over windows, with Wilson 95% intervals; median log ratio member/model over members."""
    frame = pl.DataFrame(rows)
    by_member = frame.group_by("member", maintain_order=True).agg(
        pl.col("in_50").cast(pl.Float64).mean(), pl.col("in_90").cast(pl.Float64).mean(), pl.col("log_ratio").mean())
    members = by_member.height
    summary = {"members": members, "windows": frame.height}
    for band in BANDS:
        share = float(by_member[f"in_{band}"].sum())
        summary[f"inside_{band}"] = share / members
        summary[f"inside_{band}_ci"] = _wilson(share, members)
        summary[f"inside_{band}_windows"] = float(frame[f"in_{band}"].mean())
    ratios = by_member["log_ratio"].to_numpy()
    summary["median_log_ratio"] = float(np.median(ratios))
    summary["median_log_ratio_windows"] = float(np.median(frame["log_ratio"].to_numpy()))
    summary["mean_abs_log_ratio"] = float(np.mean(np.abs(ratios)))
    return summary


def summarise_later(rows: list[dict]) -> dict:
    """Coverage of the later posts' 50% and 90% intervals, updated and not: over measured posts only, with
    the known unlisted posts (censored), and with the unlisted posts the windows' totals imply; Wilson
    intervals over posts (posts of one member are not independent: read them as a floor on the noise).
    ``..._known_by_member`` is the known posts' coverage of each member averaged over members (each member
    once, as the author-level coverage counts them: two members hold a third of the later posts)."""
    frame = pl.DataFrame(rows)
    counts = {"measured": float(frame["measured"].sum()),
              "known": float(frame["measured"].sum() + frame["unlisted_known"].sum()),
              "all": float(frame["measured"].sum() + frame["unlisted_known"].sum() + frame["unlisted_inferred"].sum())}
    summary = {"members": frame["member"].n_unique(), "posts": counts}
    by_member = frame.group_by("member", maintain_order=True).agg(
        pl.exclude("window", "member").sum()).with_columns(known=pl.col("measured") + pl.col("unlisted_known"))
    for name in ("updated", "not_updated"):
        for band in BANDS:
            for which, total in counts.items():
                inside = float(frame[f"{name}_in_{band}_{which}"].sum())
                summary[f"{name}_in_{band}_{which}"] = inside / total
                summary[f"{name}_in_{band}_{which}_ci"] = _wilson(inside, total)
            shares = (by_member[f"{name}_in_{band}_known"] / by_member["known"]).to_numpy()
            summary[f"{name}_in_{band}_known_by_member"] = float(shares.mean())
    return summary


# ---------------------------------------------------------------------------------------------
# Reactions per impression, where both are seen


def reaction_rate(frame: pl.DataFrame, windows: list[Window], rate_elasticity: float) -> dict:
    """log reactions per impression at ``F_REF`` from the members whose posts have both (each member's mean
    of log((reactions + 1/2) / impressions), moved to ``F_REF`` by ``rate_elasticity``), its standard
    error over members, and the post-to-post sd net of the counts' Poisson noise."""
    audience = {w.window: w.log_audience for w in windows}
    means, spreads, posts = [], [], 0
    for (name,), rows in frame.filter(pl.col("reactions").is_not_null() & (pl.col("impressions") > 0)).group_by(
            "member", maintain_order=True):
        if name not in audience:
            continue
        reactions = rows["reactions"].to_numpy().astype(float)
        logs = np.log((reactions + 0.5) / rows["impressions"].to_numpy())
        means.append(logs.mean() - rate_elasticity * audience[name])
        spreads.append(max(logs.var() - np.mean(1 / (reactions + 0.5)), 0.0))
        posts += rows.height
    means = np.asarray(means)
    between = float(means.std(ddof=1)) if means.size > 1 else 0.5
    return {"log_rate_ref": float(means.mean()), "log_rate_ref_se": between / np.sqrt(means.size),
            "between_members_sd": between, "rate_sd": float(np.sqrt(np.mean(spreads))), "members": int(means.size),
            "posts": posts, "rate_elasticity": rate_elasticity}


# ---------------------------------------------------------------------------------------------
# The refit: every structural choice judged on the members held out

#: Proposals of the importance sampler for the chosen model's posterior (its held-out fits use half as many).
POSTERIOR_PROPOSALS = 2000
#: The model every choice starts from (:data:`CHOICE_RULE`).
FULL_MODEL = {"kind": "normal", "year": True, "own_spread": True, "drift": "returning"}
#: The full model and the variants that each change one thing; each runs the whole leave-one-member-out test.
VARIANTS = {
    "full": {},
    "no year effect": {"year": False},
    "one post spread for all": {"own_spread": False},
    "no drift": {"drift": None},
    "drift without return (random walk)": {"drift": "random walk"},
    "t author effects": {"kind": "t"},
    "two groups (ordinary posters, creators)": {"kind": "mixture"},
}
CHOICE_RULE = (f"Start from the full model (normal author effects, a year effect, each member's own post spread, "
               f"a drift of each member's level that returns towards the members' distribution). A term is kept "
               f"when leaving it out loses more than {HEAVIER_TAILS_MARGIN:g} units of held-out log predictive "
               f"density (leave one member out); a heavier-tailed author distribution replaces the normal, and a "
               f"drift without return (a random walk) the returning one, when it gains more than "
               f"{HEAVIER_TAILS_MARGIN:g}. A year effect left out is carried as an assumption (audience.year_effect).")


def b_prior_from_reactions(beta: float, beta_se: float) -> tuple[float, float]:
    """The second measurement of ``b``: the scraped posts' reactions elasticity less the fall of reactions per
    impression with audience size (``audience.rate_elasticity``, its range read as +-2 sd)."""
    item = assumptions.load()["audience.rate_elasticity"]
    return beta - item.value, float(np.sqrt(beta_se**2 + ((item.high - item.low) / 4) ** 2))


def _run(windows: list[Window], settings: dict, prior, seed, posterior: bool) -> dict:
    assumed = posterior and not settings["year"]
    held = held_out_members(windows, settings["kind"], year=settings["year"], own_spread=settings["own_spread"],
                            drift=settings["drift"], b_prior=prior, posterior=posterior,
                            assumed_trend=assumed, seed=seed)
    whole = fit_members(windows, settings["kind"], year=settings["year"], own_spread=settings["own_spread"],
                        drift=settings["drift"], b_prior=prior,
                        fixed_trend=assumptions.value("audience.year_effect") if assumed else 0.0)
    return {"settings": settings, "held": held, "fit": whole,
            "held_out_log_predictive": float(sum(held["log_predictive"].values())),
            "authors": summarise_authors(held["windows"]), "later": summarise_later(held["later"])}


def refit(folder: Path, reactions_beta: tuple[float, float], seed: int, log=print) -> dict:
    """Fit the members' analytics, judge every structural choice on members held out, and return the
    derived record (no post, date or follower count of a member's is copied: only fitted and held-out
    figures, the members' typical posts and sizes by anonymous window). The variants are compared with
    the normal approximation (fast); the chosen model is then fitted and held out with its posterior (and,
    without a fitted year effect, with the assumed one)."""
    frame = load_member_analytics(folder)
    windows = windows_from_members(frame)
    prior = b_prior_from_reactions(*reactions_beta)
    settings = dict(FULL_MODEL)
    runs = {}
    for index, (name, change) in enumerate(VARIANTS.items()):
        runs[name] = _run(windows, {**settings, **change}, prior, [seed, index], posterior=False)
        log(f"  {name:42s} held-out log density {runs[name]['held_out_log_predictive']:9.2f}  in-sample "
            f"{runs[name]['fit'].log_likelihood:9.2f}", flush=True)
    full = runs["full"]["held_out_log_predictive"]
    kept = dict(settings)
    for name, key in (("no year effect", "year"), ("one post spread for all", "own_spread"),
                      ("no drift", "drift")):
        if full - runs[name]["held_out_log_predictive"] <= HEAVIER_TAILS_MARGIN:
            kept[key] = VARIANTS[name][key]
    for name, key in (("t author effects", "kind"), ("two groups (ordinary posters, creators)", "kind"),
                      ("drift without return (random walk)", "drift")):
        if runs[name]["held_out_log_predictive"] - full > HEAVIER_TAILS_MARGIN and kept[key] == settings[key]:
            kept[key] = VARIANTS[name][key]
    chosen_name = next(name for name, run in runs.items() if run["settings"] == kept) \
        if any(run["settings"] == kept for run in runs.values()) else "chosen"
    chosen = _run(windows, kept, prior, [seed, len(runs)], posterior=True)
    fit = with_posterior(chosen["fit"], windows, proposals=POSTERIOR_PROPOSALS, seed=[seed, len(runs) + 1])
    log(f"  chosen: {chosen_name}, with its posterior: held-out log density {chosen['held_out_log_predictive']:9.2f}; "
        f"{fit.effective_samples:.0f} effective of {POSTERIOR_PROPOSALS} proposals", flush=True)
    trend = 0.0 if kept["year"] else assumptions.value("audience.year_effect")
    members_only = fit_members(windows, kept["kind"], year=kept["year"], own_spread=kept["own_spread"],
                               drift=kept["drift"], b_prior=None, fixed_trend=trend)
    single = [w for w in windows if len(group_windows(windows)[w.member]) == 1]
    without_multi_year = fit_members(single, kept["kind"], year=True, own_spread=kept["own_spread"],
                                     drift=kept["drift"], b_prior=prior)
    year_fit = with_posterior(runs["full"]["fit"], windows, proposals=POSTERIOR_PROPOSALS // 2,
                              seed=[seed, len(runs) + 2])
    rate = reaction_rate(frame, windows, assumptions.value("audience.rate_elasticity"))
    return {
        "source": f"{MEMBER_ANALYTICS} in ../shared/datasets: members' own creator-analytics exports, one log and one "
                  "scrape, published by the members in their own repositories (../shared/datasets/README.md)",
        "fit": asdict(fit), "settings": kept, "choice_rule": CHOICE_RULE, "chosen": chosen_name,
        "b_prior": {"reactions_beta": reactions_beta[0], "reactions_beta_se": reactions_beta[1],
                    "mean": prior[0], "sd": prior[1]},
        "b_members_only": [members_only.value("b"), *members_only.interval("b")],
        "year_effect_fitted": [year_fit.estimate("gamma"), *year_fit.interval("gamma")],
        "year_effect_without_multi_year_member": [without_multi_year.value("gamma"),
                                                  *without_multi_year.interval("gamma")],
        "comparison": [{"variant": name, **run["settings"], "held_out_log_predictive": run["held_out_log_predictive"],
                        "in_sample_log_likelihood": run["fit"].log_likelihood, "parameters": len(run["fit"].names),
                        **{f"authors_{k}": run["authors"][k] for k in ("inside_50", "inside_90", "median_log_ratio")},
                        **{f"later_{k}": run["later"][f"updated_in_{k}_known"] for k in BANDS}}
                       for name, run in runs.items()],
        "held_out": {"windows": chosen["held"]["windows"], "log_predictive": chosen["held"]["log_predictive"],
                     "log_predictive_total": chosen["held_out_log_predictive"], "authors": chosen["authors"],
                     "later": chosen["later"], "later_rows": chosen["held"]["later"]},
        "rate": rate,
    }


def load_members_fit(record: dict) -> MembersFit:
    """The members' fit from its derived record (``audience_fit.json``'s ``members``)."""
    entry = record["fit"]
    return MembersFit(**{**entry, "names": tuple(entry["names"]), "year_range": tuple(entry["year_range"]),
                         "b_prior": tuple(entry["b_prior"]) if entry["b_prior"] else None})
