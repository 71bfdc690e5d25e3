"""What the members' fit says of one member: their author states (a new member's, or after their own posts)
and the predictive checks of their later posts (censored PITs)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from helpers.model.audience_filter import (HALF_YEAR, MemberFilter, correlation, drift_step, member_filter,
                                           spread_nodes, spreads)
from helpers.model.audience_likelihood import (GRID, MAX_SPREAD, Window, author_log_density, grid_quantiles, level,
                                               stratified, window_log_likelihood)
from helpers.model.audience_posterior import MembersFit

# ---------------------------------------------------------------------------------------------
# What the fit says of a member: author-level band, the posterior after their own posts, coverage


#: The model's author-level and post-level intervals the held-out members are counted in.
BANDS = {"50": (0.25, 0.75), "90": (0.05, 0.95)}


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
    return _grid_states(prior[:, None, :] + spread_nodes(draws)[1][None, :, None], table, count)


def states_after(found: MemberFilter, count: int, at: float | None = None) -> AuthorStates:
    """A member's states at ``at`` (years) from what their periods say (:func:`member_filter`)."""
    ahead = HALF_YEAR if at is None or found.last is None else max(at - found.last, 0.0)
    moving = found.kappa is not None and ahead > 0
    if found.weights is not None:
        draws, nodes, _ = found.weights.shape
        weights = found.weights if not moving else drift_step(
            found.weights.reshape(draws * nodes, -1), found.kappa, found.tau, ahead, found.drift,
            grid=True).reshape(found.weights.shape)
        return _grid_states(weights, found.spreads, count)
    centre, variance = found.mean, found.variance
    if moving:
        centre, variance = (v.reshape(found.spreads.shape) for v in drift_step(
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
