"""A member's level followed through their periods: the drift and the filter over the author-effect grid.

A member's level starts at the author effect and drifts from one period to the next,

    u_i,p+1 = rho u_ip + Normal(0, (1 - rho^2) tau^2),  rho = exp(-(kappa / tau)^2 gap / (2 half a year))

(a member's reach grows or fades, by about ``kappa`` in half a year, and returns towards the members'
distribution over years, so that members differ as much in any year as in their first), or as a random walk
(``u_i,p+1 = u_ip + Normal(0, kappa^2 gap / half a year)``), the alternative the members held out judge. Each
member's own post spread is ``log sigma_i ~ Normal(log sigma, omega^2)``. :func:`member_filter` integrates
the level, its drift and the member's spread out, on a fine grid or, where it applies, in closed form.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers.model.audience_likelihood import (AUTHOR_KINDS, GRID, GRID_STEP, MAX_SPREAD, Window, author_log_density,
                                               level, log_sum, window_log_likelihood, years_since_reference)

#: A member's own post spread, log(sigma_i) = log sigma + omega s with s ~ N(0, 1), is integrated on a uniform
#: grid of s (the trapezoid rule, accurate when its step is below the width of the member's likelihood: a
#: member with 180 posts pins their spread to 5%, which fixed Gauss-Hermite nodes scaled to the prior miss).
#: A fit uses a fine grid; an update over many parameter draws a coarser one.
_SPREAD_GRID_FIT = np.linspace(-4.5, 4.5, 41)
_SPREAD_GRID_DRAWS = np.linspace(-4.0, 4.0, 21)


def spread_nodes(parameters: dict[str, np.ndarray], fine: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
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
    nodes, _ = spread_nodes(parameters, fine)
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
    length = 1 << int(np.ceil(np.log2(size + 2 * int(np.ceil(7 * float(np.max(kappa)) / GRID_STEP)) + 1)))
    spectrum = np.fft.rfft(np.exp(log_values - top), n=length, axis=1)
    frequency = np.fft.rfftfreq(length)
    transfer = np.exp(-2 * np.pi**2 * (np.asarray(kappa)[:, None] / GRID_STEP) ** 2 * frequency[None, :] ** 2)
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
    edges = np.r_[GRID - GRID_STEP / 2, GRID[-1] + GRID_STEP / 2]
    rho = np.maximum(np.asarray(rho, dtype=float), 1e-9)
    position = np.clip((edges[None, :] / rho[:, None] - edges[0]) / GRID_STEP, 0.0, GRID.size)
    cell = np.minimum(np.floor(position).astype(int), GRID.size - 1)
    fraction = position - cell
    at = ((1 - fraction) * np.take_along_axis(cumulative, cell, axis=1)
          + fraction * np.take_along_axis(cumulative, cell + 1, axis=1))
    moved = np.log(np.maximum(np.diff(at, axis=1), 1e-300)) + top
    return _blur(moved, tau * np.sqrt(np.maximum(1 - rho**2, 0.0)))


def drift_step(filtered, kappa: np.ndarray, tau: np.ndarray, gap: float, drift: str, *, grid: bool):
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
            return log_sum(self.weights.reshape(self.weights.shape[0], -1), axis=1)
        return log_sum(self.log_likelihood + self.node_weights[None, :], axis=1)


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
    node_weights = spread_nodes(parameters, fine)[1]
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
                mean, variance = drift_step((mean, variance), kappa, tau, middle_year(part) - previous, drift, grid=False)
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
    total = np.repeat(prior, nodes, axis=0) + np.tile(node_weights, draws)[:, None] + np.log(GRID_STEP)
    for part in parts:
        if previous is not None and moving:
            total = drift_step(total, kappa, tau, middle_year(part) - previous, drift, grid=True)
        previous = middle_year(part)
        centre = np.repeat(level(parameters, part.log_audience, part.years, year_range), nodes)
        total += window_log_likelihood(part, centre, sigma)
    return MemberFilter(table, node_weights, kappa, previous, tau, drift, weights=total.reshape(draws, nodes, -1))


def member_log_likelihood(windows: list[Window], kind: str, parameters: dict[str, np.ndarray],
                          fine: bool | None = None, drift: str = "returning") -> np.ndarray:
    """log P(one member's windows) with the author effect, its drift and own post spread integrated out,
    per draw."""
    return member_filter(windows, kind, parameters, fine=fine, closed_form=False, drift=drift).total()
