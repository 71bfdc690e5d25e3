"""The members' fit: maximum likelihood over members, and draws from its posterior by importance sampling.

Parameters are found by maximum likelihood (:func:`fit_members`), each member's windows weighing together
(:func:`helpers.model.audience_filter.member_log_likelihood`), and drawn from the posterior by importance
sampling (:func:`with_posterior`): with nine members the likelihood is far from normal in its variance
parameters. The audience-size effect ``b`` may be fitted jointly with the reactions of the scraped posts
(:mod:`helpers.model.audience_reactions`): their elasticity, less the fall of reactions per impression with
audience size (``audience.rate_elasticity``), is a second measurement of ``b`` (``b_prior``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy import special

from helpers.model import assumptions
from helpers.model.audience_filter import member_log_likelihood
from helpers.model.audience_likelihood import (ABSENT, AUTHOR_KINDS, BASE, BOUNDS, YEAR_REF, Window,
                                               years_since_reference)

_START = {"mu": 6.5, "b": 0.5, "gamma": 0.0, "log_sigma": 0.0, "log_omega": np.log(0.3), "log_kappa": np.log(0.4),
          "log_tau": 0.0, "log_nu": np.log(5.0),
          "logit_creators": -1.0, "creator_shift": 2.0}


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
    #: how a member's level drifts (one of :data:`helpers.model.audience_filter.DRIFTS`; without a drift term,
    #: ``log_kappa`` is absent)
    drift: str = "returning"

    @property
    def years_covered(self) -> tuple[int, int]:
        """The calendar years of the first and the last day of the members' windows."""
        first, last = (int(np.floor(YEAR_REF + 0.5 + years)) for years in self.year_range)
        return first, last

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
                raw[:, i] = np.clip(raw[:, i], *BOUNDS[name])
        found = {name: raw[:, i] for i, name in enumerate(self.names)}
        absent = {**ABSENT, "gamma": self.fixed_trend}
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


def point(names, vector, trend: float = 0.0) -> dict[str, np.ndarray]:
    """One parameter vector as a single draw (absent parameters at their "off" value, the year trend at
    ``trend``)."""
    values = {name: np.atleast_1d(float(v)) for name, v in zip(names, vector)}
    absent = {**ABSENT, "gamma": trend}
    return {name: values.get(name, np.full(1, absent.get(name, 0.0)))
            for name in (*BASE, *[n for kind in AUTHOR_KINDS.values() for n in kind])}


def fit_members(windows: list[Window], kind: str = "normal", *, year: bool = True, own_spread: bool = True,
                drift: str | None = "returning", b_prior: tuple[float, float] | None = None,
                fixed_trend: float = 0.0) -> MembersFit:
    """Maximum likelihood fit over members (their windows grouped): with the year effect fitted, or fixed at
    ``fixed_trend`` (none by default), each member's own post spread or one shared, a member's level drifting
    (``drift``, one of :data:`helpers.model.audience_filter.DRIFTS`) or fixed (None), and ``b_prior`` = (mean, sd),
    the second measurement of ``b`` (the scraped posts' reactions)."""
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
    bounds = [BOUNDS[n] for n in names]
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
        low, high = BOUNDS[fit.names[i]]
        span = (low, min(high, low + 4.0)) if x[i] - low < high - x[i] else (max(low, high - 4.0), high)
        draws[:, i] = rng.uniform(*span, proposals)
        log_proposal = log_proposal - np.log(span[1] - span[0])
    inside = np.all([(draws[:, i] >= BOUNDS[n][0]) & (draws[:, i] <= BOUNDS[n][1]) for i, n in enumerate(fit.names)],
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


def load_members_fit(record: dict) -> MembersFit:
    """The members' fit from its derived record (``audience_fit.json``'s ``members``)."""
    entry = record["fit"]
    return MembersFit(**{**entry, "names": tuple(entry["names"]), "year_range": tuple(entry["year_range"]),
                         "b_prior": tuple(entry["b_prior"]) if entry["b_prior"] else None})
