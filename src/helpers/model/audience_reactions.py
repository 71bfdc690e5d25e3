"""Fit the audience of a post to real LinkedIn posts: a Poisson-lognormal model with an author effect.

The reactions ``y`` of post ``j`` by author ``i`` with ``F_i`` followers are modelled as

    y_ij ~ Poisson(exp(alpha + beta * log(F_i / F_REF) + u_i + e_ij)),
    u_i ~ Normal(0, tau^2)    (the author effect: some members' posts reach more than others'),
    e_ij ~ Normal(0, sigma^2) (post-to-post spread),

``beta`` is the audience-size elasticity. The likelihood of each author integrates both random
effects out exactly (up to quadrature): the post integral by adaptive Gauss-Hermite quadrature,
tabulated over a fine grid of the linear predictor, the author integral on a fine grid. Parameters
are found by maximum marginal likelihood; their covariance is the cluster-robust (sandwich) one,
authors being the independent units, so an author's many posts are not counted as independent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import special

from helpers.model.audience_likelihood import F_REF

_GRID_STEP = 0.05  # of the linear predictor and of the author effect (log units)
_M_RANGE = (-12.0, 16.0)
_NODES, _WEIGHTS = np.polynomial.hermite.hermgauss(16)


@dataclass(frozen=True)
class Posts:
    """Counts by post, with each post's author (0..a-1, grouped) and that author's log audience."""

    counts: np.ndarray  # (n,) int
    author: np.ndarray  # (n,) int, sorted
    log_audience: np.ndarray  # (a,) float: log(F_i / F_REF)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, counts: str = "reactions", audience: str = "followers") -> Posts:
        ordered = frame.filter(pl.col(audience) > 0).sort("author")
        codes = ordered["author"].rank("dense").cast(pl.Int64).to_numpy() - 1
        first = np.r_[0, np.flatnonzero(np.diff(codes)) + 1]
        sizes = ordered[audience].to_numpy().astype(float)[first]
        return cls(ordered[counts].to_numpy().astype(np.int64), codes, np.log(sizes / F_REF))

    @property
    def authors(self) -> int:
        return int(self.log_audience.size)


@dataclass(frozen=True)
class Fit:
    """Maximum-likelihood estimates, their robust covariance (order alpha, beta, log tau, log sigma)."""

    alpha: float
    beta: float
    tau: float
    sigma: float
    covariance: list[list[float]]
    log_likelihood: float
    posts: int
    authors: int

    @property
    def vector(self) -> np.ndarray:
        return np.array([self.alpha, self.beta, np.log(self.tau), np.log(self.sigma)])

    def interval(self, name: str, level: float = 0.95) -> tuple[float, float]:
        """Wald interval of ``alpha``, ``beta``, ``tau`` or ``sigma`` (the last two on the log scale)."""
        index = ("alpha", "beta", "tau", "sigma").index(name)
        z = special.ndtri(0.5 + level / 2)
        centre, half = self.vector[index], z * np.sqrt(self.covariance[index][index])
        low, high = centre - half, centre + half
        return (float(np.exp(low)), float(np.exp(high))) if index >= 2 else (float(low), float(high))

    def draws(self, count: int, seed=None) -> np.ndarray:
        """``count`` parameter vectors (alpha, beta, tau, sigma) from the estimates' normal approximation."""
        rng = np.random.default_rng(seed)
        raw = rng.multivariate_normal(self.vector, np.asarray(self.covariance), size=count)
        return np.column_stack([raw[:, 0], raw[:, 1], np.exp(raw[:, 2]), np.exp(raw[:, 3])])


def _logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    """log(sum(exp(values))) along ``axis``, shifted by the maximum (scipy's does the same with a cost per
    call that the fit, calling it thousands of times on small arrays, notices)."""
    top = values.max(axis=axis, keepdims=True)
    return (np.log(np.exp(values - top).sum(axis=axis, keepdims=True)) + top).squeeze(axis)


def _post_table(values: np.ndarray, sigma: float, grid: np.ndarray) -> np.ndarray:
    """log P(y | m) = log of the integral of Poisson(y; exp(m + sigma z)) N(z) dz, for each y and each m.

    Adaptive Gauss-Hermite: the integrand, in t = m + sigma z, is log-concave; the nodes are centred
    on its mode (found by Newton) and scaled by its curvature.
    """
    y = values.astype(float)[:, None]
    m = grid[None, :]
    inv = 1.0 / sigma**2
    t = np.broadcast_to(np.where(y > 0, (np.log(np.maximum(y, 0.5)) * y + m * inv) / (y + inv), m), (y.size, m.size))
    t = np.array(t)
    for _ in range(40):
        gradient = y - np.exp(t) - (t - m) * inv
        curvature = -np.exp(t) - inv
        step = np.clip(gradient / curvature, -2.0, 2.0)
        t -= step
        if np.abs(step).max() < 1e-10:
            break
    scale = 1.0 / np.sqrt(np.exp(t) + inv)
    nodes = t[..., None] + np.sqrt(2.0) * scale[..., None] * _NODES
    log_f = (y[..., None] * nodes - np.exp(nodes) - special.gammaln(y[..., None] + 1)
             - 0.5 * (nodes - m[..., None]) ** 2 * inv - 0.5 * np.log(2 * np.pi * sigma**2))
    log_w = np.log(_WEIGHTS) + _NODES**2 + np.log(np.sqrt(2.0) * scale[..., None])
    return _logsumexp(log_f + log_w, axis=-1)


class _Likelihood:
    """Per-author log marginal likelihood.

    With ``m = alpha + beta x_i + u`` the author integral is over ``m`` on a fixed grid:
    ``log L_i = log sum_k exp(S_i(m_k) - (m_k - c_i)^2 / (2 tau^2)) + const``, where
    ``S_i(m) = sum_j log P(y_ij | m)`` depends on sigma only and is cached per sigma. The likelihood is
    then smooth in alpha, beta and tau (no interpolation), which the sandwich's derivatives need.
    """

    def __init__(self, posts: Posts):
        self.posts = posts
        self.values, self.row = np.unique(posts.counts, return_inverse=True)
        self.grid = np.arange(_M_RANGE[0], _M_RANGE[1] + _GRID_STEP / 2, _GRID_STEP)
        self.starts = np.r_[0, np.flatnonzero(np.diff(posts.author)) + 1]
        self._sigma, self._sums = None, None

    def sums(self, sigma: float) -> np.ndarray:
        if self._sigma != sigma:
            table = _post_table(self.values, sigma, self.grid)
            self._sigma, self._sums = sigma, np.add.reduceat(table[self.row], self.starts, axis=0)
        return self._sums

    def per_author(self, theta: np.ndarray) -> np.ndarray:
        alpha, beta, log_tau, log_sigma = theta
        tau = np.exp(log_tau)
        centre = alpha + beta * self.posts.log_audience  # (a,)
        prior = -0.5 * ((self.grid[None, :] - centre[:, None]) / tau) ** 2
        return (_logsumexp(self.sums(float(np.exp(log_sigma))) + prior, axis=1)
                + np.log(_GRID_STEP / (tau * np.sqrt(2 * np.pi))))

    def total(self, theta: np.ndarray) -> float:
        return float(self.per_author(theta).sum())


def _start(posts: Posts) -> np.ndarray:
    logs = np.log(posts.counts + 0.5)
    means = np.bincount(posts.author, weights=logs) / np.bincount(posts.author)
    beta, alpha = np.polyfit(posts.log_audience, means, 1)
    within = float(np.sqrt(max(np.var(logs - means[posts.author]), 0.05)))
    between = float(np.sqrt(max(np.var(means - alpha - beta * posts.log_audience), 0.05)))
    return np.array([alpha, beta, np.log(between), np.log(within)])


def fit_posts(posts: Posts) -> Fit:
    """Maximum marginal likelihood fit of the model in the module docstring, with sandwich covariance."""
    from scipy import optimize  # only the fit needs it (0.5 s to import), not the report
    likelihood = _Likelihood(posts)

    def inner(log_sigma: float, start: np.ndarray) -> tuple[float, np.ndarray]:
        result = optimize.minimize(
            lambda p: -likelihood.total(np.r_[p, log_sigma]), start, method="Nelder-Mead",
            options={"xatol": 1e-5, "fatol": 1e-6, "maxiter": 2000})
        return result.fun, result.x

    start = _start(posts)
    best = {"x": start[:3]}

    def outer(log_sigma: float) -> float:
        value, x = inner(log_sigma, best["x"])
        best["x"] = x
        return value

    found = optimize.minimize_scalar(outer, bounds=(start[3] - 1.5, start[3] + 1.0), method="bounded",
                                     options={"xatol": 1e-4})
    _, x = inner(found.x, best["x"])
    theta = np.r_[x, found.x]
    covariance = _sandwich(likelihood, theta)
    return Fit(float(theta[0]), float(theta[1]), float(np.exp(theta[2])), float(np.exp(theta[3])),
               covariance.tolist(), likelihood.total(theta), int(posts.counts.size), posts.authors)


def _sandwich(likelihood: _Likelihood, theta: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """H^-1 (sum over authors of score score') H^-1, by central differences."""
    k = theta.size
    eye = np.eye(k) * step
    scores = np.column_stack([(likelihood.per_author(theta + eye[i]) - likelihood.per_author(theta - eye[i]))
                              / (2 * step) for i in range(k)])
    hessian = np.zeros((k, k))
    for i in range(k):
        for j in range(i, k):
            value = (likelihood.total(theta + eye[i] + eye[j]) - likelihood.total(theta + eye[i] - eye[j])
                     - likelihood.total(theta - eye[i] + eye[j]) + likelihood.total(theta - eye[i] - eye[j])) \
                / (4 * step**2)
            hessian[i, j] = hessian[j, i] = value
    bread = np.linalg.inv(-hessian)
    return bread @ (scores.T @ scores) @ bread


def simulate(alpha: float, beta: float, tau: float, sigma: float, log_audience: np.ndarray, posts_per_author,
             seed=None) -> Posts:
    """Counts drawn from the model itself (for checking that the fit recovers known parameters)."""
    rng = np.random.default_rng(seed)
    sizes = np.broadcast_to(np.asarray(posts_per_author), log_audience.shape)
    author = np.repeat(np.arange(log_audience.size), sizes)
    u = rng.normal(0, tau, log_audience.size)
    rate = np.exp(alpha + beta * log_audience[author] + u[author] + rng.normal(0, sigma, author.size))
    return Posts(rng.poisson(rate), author, np.asarray(log_audience, dtype=float))


def reaction_quantiles(fit: Fit, followers: float, quantiles=(0.25, 0.5, 0.75), *, draws: int = 400,
                       per_draw: int = 50, seed=None) -> list[float]:
    """Quantiles of the reactions of a post by a random author with ``followers``, under the fit
    (parameters drawn from their uncertainty; author and post effects at stratified quantiles)."""
    rng = np.random.default_rng(seed)
    alpha, beta, tau, sigma = fit.draws(draws, rng).T
    z = special.ndtri((np.arange(per_draw) + 0.5) / per_draw)
    log_rate = (alpha + beta * np.log(followers / F_REF))[:, None] + np.sqrt(tau**2 + sigma**2)[:, None] * z
    counts = rng.poisson(np.exp(np.minimum(log_rate, 20)).ravel())
    return [float(q) for q in np.quantile(counts, quantiles)]



def describe(posts: Posts) -> dict[str, float]:
    """The research note's figures for one set of posts: the per-post slope of log(1 + reactions) on
    log(followers), the slope of author medians, and the median reactions of 300-1,000-follower authors."""
    x = posts.log_audience[posts.author]
    y = np.log1p(posts.counts)
    per_post = float(np.polyfit(x, y, 1)[0])
    order = np.argsort(posts.author, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(posts.author[order])) + 1]
    medians = np.array([np.median(part) for part in np.split(y[order], starts[1:])])
    per_author = float(np.polyfit(posts.log_audience, medians, 1)[0]) if posts.authors > 2 else float("nan")
    followers = F_REF * np.exp(x)
    small = (followers >= 300) & (followers <= 1000)
    return {"slope_per_post": per_post, "slope_author_medians": per_author,
            "median_reactions_300_1000": float(np.median(posts.counts[small])) if small.any() else float("nan")}


def predictive_check(fit: Fit, posts: Posts, replicates: int = 200, seed=None) -> dict[str, dict[str, float]]:
    """The figures of :func:`describe` on data simulated from the fitted model (parameters drawn from
    their uncertainty) with the same authors' audiences and post counts, beside the observed ones."""
    rng = np.random.default_rng(seed)
    counts = np.bincount(posts.author, minlength=posts.authors)
    simulated = [describe(simulate(*draw, posts.log_audience, counts, seed=rng)) for draw in fit.draws(replicates, rng)]
    observed = describe(posts)
    result = {}
    for key, value in observed.items():
        values = np.array([s[key] for s in simulated])
        values = values[np.isfinite(values)]
        if not values.size or not np.isfinite(value):
            continue
        result[key] = {"observed": value, "model_median": float(np.median(values)),
                       "model_q025": float(np.quantile(values, 0.025)), "model_q975": float(np.quantile(values, 0.975))}
    return result


def held_out_authors(posts: Posts, folds: int = 5, seed=None) -> dict[str, float]:
    """The fit tested on authors it never saw, as a new member is: the authors are split into ``folds``
    groups; each group's posts are predicted by the fit to the others, at each author's audience, with the
    author effect unknown (a random author's). Returns the share of held-out posts inside the predicted
    middle 50% and 90% of posts, and the median factor between a held-out author's median post and the
    predicted median (both as 1 + reactions)."""
    rng = np.random.default_rng(seed)
    group = rng.permutation(posts.authors) % folds
    inside_50, inside_90, factors = [], [], []
    for fold in range(folds):
        kept = group[posts.author] != fold
        codes = np.cumsum(group != fold) - 1  # authors renumbered 0.. within the kept ones
        fit = fit_posts(Posts(posts.counts[kept], codes[posts.author[kept]], posts.log_audience[group != fold]))
        for author in np.flatnonzero(group == fold):
            counts = posts.counts[posts.author == author]
            q05, q25, q50, q75, q95 = reaction_quantiles(fit, F_REF * np.exp(posts.log_audience[author]),
                                                         (0.05, 0.25, 0.5, 0.75, 0.95), seed=rng)
            inside_50 += ((counts >= q25) & (counts <= q75)).tolist()
            inside_90 += ((counts >= q05) & (counts <= q95)).tolist()
            factors.append(np.exp(abs(np.log1p(np.median(counts)) - np.log1p(q50))))
    return {"folds": folds, "authors": posts.authors, "posts": int(posts.counts.size),
            "inside_50": float(np.mean(inside_50)), "inside_90": float(np.mean(inside_90)),
            "median_author_factor": float(np.median(factors))}
