"""Small, exact statistics used by the verdicts: intervals for rates, inequality, a log-log fit.

>>> lo, hi = wilson(8, 10)
>>> round(lo, 3), round(hi, 3)
(0.49, 0.943)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import special

Z95 = 1.959963984540054


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial rate; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_difference(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """Difference of two rates p1 - p2 and its Newcombe (1998, method 10) hybrid score interval.

    Newcombe's own worked example (Stat. Med. 17:873, example (a)) gives 0.0524 to 0.3339:

    >>> d, lo, hi = newcombe_difference(56, 70, 48, 80)
    >>> round(d, 4), round(lo, 4), round(hi, 4)
    (0.2, 0.0524, 0.3339)
    """
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, lower, upper


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values: 0 when all equal, towards 1 when one holds all.

    >>> gini(np.array([1, 1, 1, 1]))
    0.0
    >>> gini(np.array([0, 0, 0, 4]))
    0.75
    """
    x = np.sort(np.asarray(values, dtype=float))
    n, total = x.size, x.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * total) - (n + 1) / n)


def lorenz(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve: share of people (poorest first) vs share of the total they hold, from (0, 0)."""
    x = np.sort(np.asarray(values, dtype=float))
    people = np.arange(0, x.size + 1) / max(x.size, 1)
    held = np.concatenate([[0.0], np.cumsum(x) / x.sum()]) if x.sum() > 0 else people
    return people, held


def top_share(values: np.ndarray, top: int) -> float:
    """Share of the total held by the ``top`` largest values."""
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    return float(x[:top].sum() / x.sum()) if x.sum() > 0 else 0.0


def bootstrap_interval(values: np.ndarray, statistic, seed: int, resamples: int = 2000,
                       level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(sample)``, resampling ``values`` with replacement."""
    rng = np.random.default_rng(seed)
    data = np.asarray(values)
    draws = rng.integers(0, data.size, size=(resamples, data.size))
    estimates = np.array([statistic(data[row]) for row in draws])
    tail = (1 - level) / 2
    return float(np.quantile(estimates, tail)), float(np.quantile(estimates, 1 - tail))


@dataclass(frozen=True)
class LineFit:
    """y = intercept + slope * x by ordinary least squares, with a t interval on the slope."""

    slope: float
    slope_low: float
    slope_high: float
    intercept: float
    n: int
    r_squared: float


@dataclass(frozen=True)
class LogLogFit(LineFit):
    """log(y) = intercept + slope * log(x): a :class:`LineFit` on the logs, which can predict ``y``."""

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.exp(self.intercept + self.slope * np.log(x))


def fit_line(x: np.ndarray, y: np.ndarray, level: float = 0.95) -> LineFit:
    """OLS of ``y`` on ``x`` with the t interval of the slope; needs 3 or more points with different x.

    >>> fit = fit_line(np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 3.0, 5.0, 7.0]))
    >>> round(fit.slope, 6), round(fit.intercept, 6), round(fit.r_squared, 6)
    (2.0, 1.0, 1.0)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.size < 3 or np.ptp(x) == 0:
        raise ValueError("a line fit needs 3 or more points with different x")
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float((dx * dx).sum()), float((dy * dy).sum())
    slope = float((dx * dy).sum()) / sxx
    intercept = float(y.mean() - slope * x.mean())
    residual = max(syy - slope * slope * sxx, 0.0)
    stderr = np.sqrt(residual / (x.size - 2) / sxx)
    t = float(special.stdtrit(x.size - 2, 0.5 + level / 2))
    r_squared = 1 - residual / syy if syy > 0 else 1.0
    return LineFit(slope, slope - t * stderr, slope + t * stderr, intercept, int(x.size), r_squared)


def fit_loglog(x: np.ndarray, y: np.ndarray, level: float = 0.95) -> LogLogFit:
    """Fit a power law y ~ x^slope by OLS on logs (positive values only); needs 3 or more points."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = (x > 0) & (y > 0)
    lx, ly = np.log(x[keep]), np.log(y[keep])
    if lx.size < 3 or np.ptp(lx) == 0:
        raise ValueError("a log-log fit needs 3 or more positive points with different x")
    line = fit_line(lx, ly, level)
    return LogLogFit(**asdict(line))
