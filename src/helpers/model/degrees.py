"""Degree distributions: how many connections members have, on a few support points, one row per run.

The reach model (``helpers.model.occupancy``) integrates over a population's degrees instead of drawing them one by
one: a :class:`DegreeLaw` holds the distribution on log-spaced support points, either a capped lognormal with a share
of dormant members (LinkedIn, ``reach.degree_*`` and ``reach.dormant_share`` in ``data/assumptions.toml``) or a real
graph's empirical degrees. :class:`Degrees` is a plain sample of the lognormal, to draw degrees one by one.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

#: Support points of a degree distribution (log-spaced cells; twice as many change results by < 0.5%).
SUPPORT_POINTS = 96


class Degrees:
    """A sample of a capped lognormal degree distribution (used to draw degrees one by one)."""

    def __init__(self, median: float, sigma: float, cap: int, seed: int = 0, sample: int = 200_000,
                 values: np.ndarray | None = None):
        rng = np.random.default_rng(seed)
        if values is None:
            values = np.minimum(np.maximum(1, np.round(rng.lognormal(np.log(median), sigma, sample))), cap)
        self.values = np.asarray(values, dtype=float)
        self.mu = float(self.values.mean())
        self.kappa = float((self.values * (self.values - 1)).sum() / self.values.sum())

    def size_biased(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Degrees of people reached by following a tie (friends have more friends)."""
        return rng.choice(self.values, size=size, p=self.values / self.values.sum())


class DegreeLaw:
    """A degree distribution on a few support points, one row of weights per run.

    ``values`` (S,) are degrees, ``weights`` (R, S) their probabilities (each row sums to 1).

    >>> law = DegreeLaw.from_degrees(np.array([1, 1, 2, 4]))
    >>> float(law.mean[0]), float(law.kappa[0])
    (2.0, 1.5)
    """

    def __init__(self, values: np.ndarray, weights: np.ndarray):
        self.values = np.asarray(values, dtype=float)
        self.weights = np.atleast_2d(np.asarray(weights, dtype=float))
        self.weights = self.weights / self.weights.sum(axis=1, keepdims=True)

    @classmethod
    def lognormal(cls, median, sigma, cap: float, dormant_share=0.0, points: int = SUPPORT_POINTS) -> DegreeLaw:
        """A lognormal (``median``, ``sigma``) rounded to at least 1 and capped at ``cap``, plus a share
        ``dormant_share`` of members with a single connection. Arguments may be arrays (one per run)."""
        median, sigma, dormant = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (median, sigma, dormant_share))
        edges = np.geomspace(1.5, cap, points)
        values = np.r_[1.0, np.sqrt(edges[:-1] * edges[1:]), cap]
        cdf = ndtr((np.log(edges)[None, :] - np.log(median)[:, None]) / sigma[:, None])
        mass = np.diff(np.c_[np.zeros(cdf.shape[0]), cdf, np.ones(cdf.shape[0])], axis=1) * (1 - dormant)[:, None]
        mass[:, 0] += dormant
        return cls(values, mass)

    @classmethod
    def from_degrees(cls, degrees: np.ndarray, points: int = SUPPORT_POINTS) -> DegreeLaw:
        """The empirical distribution of ``degrees``, merged into log-spaced cells (each at its mean degree)."""
        degrees = np.asarray(degrees, dtype=float)
        top = max(float(degrees.max(initial=1)), 2.0)
        edges = np.r_[0.5, np.geomspace(1.5, top + 0.5, points)]
        cell = np.searchsorted(edges, degrees, side="right")
        counts = np.bincount(cell, minlength=edges.size + 1).astype(float)
        sums = np.bincount(cell, weights=degrees, minlength=edges.size + 1)
        used = counts > 0
        return cls(sums[used] / counts[used], counts[used])

    @property
    def runs(self) -> int:
        return self.weights.shape[0]

    @property
    def mean(self) -> np.ndarray:
        return self.weights @ self.values

    @property
    def kappa(self) -> np.ndarray:
        """Mean number of other ties of someone reached by following a tie (``<d^2>/<d> - 1``)."""
        return (self.weights @ (self.values * (self.values - 1))) / self.mean

    def draw(self, weights: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        """(R, m) degrees: the quantiles ``uniform`` (R, m) of each run's row of ``weights`` (inverse CDF)."""
        return self.values[self.draw_cells(weights, uniform)]

    def draw_cells(self, weights: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        """(R, m) support points drawn as :meth:`draw` draws degrees."""
        runs, size = uniform.shape
        weights = np.atleast_2d(weights)
        if weights.shape[0] == 1:  # one law for every run
            cumulative = np.cumsum(weights[0])
            index = np.searchsorted(cumulative / cumulative[-1], np.minimum(uniform, 1 - 1e-12))
            return np.minimum(index, self.values.size - 1)
        weights = np.broadcast_to(weights, (runs, self.values.size))
        cumulative = np.cumsum(weights, axis=1)
        cumulative /= cumulative[:, -1:]
        offset = np.arange(runs)[:, None]
        index = np.searchsorted((cumulative + offset).ravel(), (np.minimum(uniform, 1 - 1e-12) + offset).ravel())
        return np.minimum(index.reshape(runs, size) - offset * self.values.size, self.values.size - 1)

    def cell_of(self, degrees) -> np.ndarray:
        """The support point nearest (in log) to each degree."""
        log_values = np.log(np.maximum(self.values, 0.5))
        middles = (log_values[1:] + log_values[:-1]) / 2
        return np.searchsorted(middles, np.log(np.maximum(np.asarray(degrees, dtype=float), 0.5)))
