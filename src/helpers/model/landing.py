"""Where a tie lands: the degrees of a member's connections, and of the people their own ties reach.

In a configuration model a tie lands on a member in proportion to the member's degree. Real social graphs
differ from it in three ways that change a member's reach, and each is a measurable fact of the graph:

- **they are simple**: nobody is anybody's connection twice, so a hub's ties cannot keep landing on the
  other hubs and spread over more people with few connections than degree-proportional landing gives (the
  structural cut-off, Boguñá, Pastor-Satorras and Vespignani, Eur. Phys. J. B 38, 2004). The kernel of
  the simple graph with the same degrees gives it: ``P(i ~ j) = x_i x_j / (1 + x_i x_j)``, with hidden
  variables ``x`` that give every member their degree (Park and Newman, Phys. Rev. E 70, 2004);
- **their degrees are correlated**: the connections of a member with few connections have fewer than a
  random friend has (the schools), or the fans of hubs have more. For each degree the kernel is tilted so
  that the mean degree of a member's connections is that of the graph's members of that degree (``k_nn(k)``,
  Pastor-Satorras, Vázquez and Vespignani, Phys. Rev. Lett. 87, 2001): on a real graph the median member's,
  as a member's connections are not drawn independently (some members hold many hubs, most none); on
  LinkedIn an assumption (``reach.assortativity``);
- **their connections know each other**: the local clustering of members of degree ``k``, ``c(k)``
  (Watts and Strogatz, Nature 393, 1998), measured or assumed (``reach.clustering_*``). It sets how many of
  a member's connections close back among themselves and how much their circles overlap
  (``helpers.model.platform_reach``).

A :class:`Structure` holds those facts; :func:`landing` turns a degree distribution and a structure into a
:class:`Landing`: for a member of each degree class, the degree classes of their connections and the chance
that one of their ties reaches a given member of each class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Where degree-proportional landing would spend less than this share of anyone's ties on repeats, it is the
#: simple graph's (LinkedIn: under 0.02% at the 30,000 cap).
LINEAR_LIMIT = 1e-3
#: At most this many iterations of the hidden-variable, tilt and scale solvers (they stop once converged).
HIDDEN_ITERATIONS, TILT_STEPS, SCALE_STEPS = 400, 30, 12
#: Where landing is degree-proportional, tilts are read off a grid of this many points.
TILT_POINTS = 801
#: The largest step of a row's log scale in the Newton iterations.
SCALE_STEP = 2.0
#: Tilts beyond this (a connection's degree weighted by ``d**±4``) are not sought.
TILT_LIMIT = 4.0


@dataclass(frozen=True)
class Structure:
    """Local clustering and degree correlations by degree: what the model knows of a network beyond its degrees.

    ``log_degree`` (P,) is the support of the profiles (log of a degree), ``clustering`` (P,) the mean local
    clustering of members of that degree and ``neighbour_degree`` (P,) the log of the mean degree of their
    connections (the median member's); when ``neighbour_degree`` is None the connections' mean degree is the
    uncorrelated one times ``(k / mean degree) ** assortativity``. Profiles are held at their end values beyond
    their support.

    >>> structure = Structure.assumed(clustering_at_100=0.14, clustering_slope=0.33, assortativity=0.1)
    >>> round(float(structure.clustering_at(np.array([100.0]))[0]), 3)
    0.14
    """

    log_degree: np.ndarray
    clustering: np.ndarray
    neighbour_degree: np.ndarray | None = None
    assortativity: float = 0.0

    @classmethod
    def assumed(cls, clustering_at_100: float, clustering_slope: float, assortativity: float,
                top: float = 30_000) -> Structure:
        """``c(k) = clustering_at_100 * (k / 100) ** -clustering_slope`` (at most 1, none below 2 connections)."""
        log_degree = np.log(np.geomspace(2, top, 64))
        clustering = np.minimum(1.0, clustering_at_100 * np.exp(-clustering_slope * (log_degree - np.log(100))))
        return cls(np.r_[0.0, log_degree], np.r_[0.0, clustering], None, float(assortativity))

    def clustering_at(self, degrees: np.ndarray) -> np.ndarray:
        """Local clustering of members of these degrees (0 below two connections)."""
        degrees = np.asarray(degrees, dtype=float)
        found = np.interp(np.log(np.maximum(degrees, 1.0)), self.log_degree, self.clustering)
        return np.where(degrees >= 2, found, 0.0)


@dataclass(frozen=True)
class Landing:
    """For a member of each degree class ``i`` (rows): ``escape[i, j]`` the minus log chance that one of the
    member's ties misses a given member of class ``j``, and ``alters[i, j]`` the share of the member's
    connections in class ``j``. Stacked per run as (R, S, S), or (1, S, S) for every run."""

    escape: np.ndarray
    alters: np.ndarray

    @classmethod
    def stacked(cls, landings: list[Landing]) -> Landing:
        """One kernel per run; a single kernel when every run has the same one."""
        if all(other is landings[0] for other in landings):
            return landings[0]
        return cls(np.concatenate([ln.escape for ln in landings]), np.concatenate([ln.alters for ln in landings]))

    def exposure(self, stubs: np.ndarray) -> np.ndarray:
        """(R, S) minus log escape of a member of each class from ties sent by ``stubs`` (R, S) per class."""
        if self.escape.shape[0] == 1:
            return stubs @ self.escape[0]
        return np.einsum("rs,rst->rt", stubs, self.escape)


def _tilted(x: np.ndarray, values: np.ndarray, counts: np.ndarray, gamma: np.ndarray, reference: float,
            simple: bool, start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Tie probabilities (S, S) of each class (rows) tilted by ``gamma`` (S,), each row scaled so that a member of
    that class has its own degree: ``P = a b / (1 + a b)`` in a simple graph, ``a b`` where that changes nothing;
    and the rows' log scales (``start``: from where to seek them)."""
    shape = x[None, :] * np.exp(gamma[:, None] * (np.log(np.maximum(values, 1.0)) - np.log(reference))[None, :])
    linear = values / np.maximum(shape @ counts, 1e-300)
    if not simple:
        return linear[:, None] * shape * (values > 0)[:, None], np.log(np.maximum(linear, 1e-300))
    # Newton on the log of each row's scale a: the degree it gives, sum_j N_j a b_j / (1 + a b_j), grows with a,
    # and steps are held to e^±2 so that a hub's row cannot overshoot
    log_scale = np.log(np.maximum(linear, 1e-300)) if start is None else start
    for _ in range(SCALE_STEPS):
        y = np.exp(log_scale)[:, None] * shape
        p = y / (1 + y)
        step = np.clip((p @ counts - values) / np.maximum((p / (1 + y)) @ counts, 1e-300), -SCALE_STEP, SCALE_STEP)
        log_scale = log_scale - step
        if np.abs(step).max(initial=0.0) < 1e-10:
            break
    y = np.exp(log_scale)[:, None] * shape
    return y / (1 + y) * (values > 0)[:, None], log_scale


def _connections(probability: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each class's connections over the classes (rows sum to 1)."""
    mass = probability * counts[None, :]
    return mass / np.maximum(mass.sum(axis=1, keepdims=True), 1e-300)


def _tilt_for(statistic, target: np.ndarray) -> np.ndarray:
    """Per class, the tilt in [-TILT_LIMIT, TILT_LIMIT] at which the increasing ``statistic`` meets ``target``
    (regula falsi with the Illinois step, all classes at once; a target out of reach gets the nearest end)."""
    low, high = np.full(target.size, -TILT_LIMIT), np.full(target.size, TILT_LIMIT)
    at_low, at_high = statistic(low) - target, statistic(high) - target
    gamma = np.where(at_low >= 0, low, high)
    inside = (at_low < 0) & (at_high > 0)
    side = np.zeros(target.size)
    for _ in range(TILT_STEPS):
        if not inside.any():
            break
        trial = np.where(inside, (low * at_high - high * at_low) / np.where(inside, at_high - at_low, 1.0), gamma)
        found = statistic(trial) - target
        above = inside & (found > 0)
        below = inside & (found <= 0)
        high, at_high = np.where(above, trial, high), np.where(above, found, at_high)
        low, at_low = np.where(below, trial, low), np.where(below, found, at_low)
        # Illinois: an end kept twice in a row has its value halved, so the bracket shrinks from both sides
        at_low = np.where(above & (side > 0), at_low / 2, at_low)
        at_high = np.where(below & (side < 0), at_high / 2, at_high)
        side = np.where(above, 1.0, np.where(below, -1.0, side))
        gamma = np.where(inside, trial, gamma)
        inside = inside & (np.abs(found) > 1e-9)
    return gamma


def landing(values: np.ndarray, counts: np.ndarray, structure: Structure) -> Landing:
    """The kernel of the simple graph with these degree classes, tilted to the structure's degree correlations.

    Parameters
    ----------
    values, counts : (S,) arrays
        The degree classes and how many members each holds (a class of degree 0 neither sends nor receives).
    structure : Structure
        The mean degree of the connections of members of each degree, measured or set by the assortativity.
    """
    values = np.asarray(values, dtype=float)
    counts = np.asarray(counts, dtype=float)
    live = values > 0
    x = np.where(live, values / np.sqrt(max(float((counts * values).sum()), 1e-300)), 0.0)
    pairs = np.outer(x, x)
    repeats = (pairs * pairs / (1 + pairs)) @ counts / np.maximum(values, 1e-300)
    simple = float(repeats.max(initial=0.0)) > LINEAR_LIMIT
    reference = float((counts * values).sum() / max(counts[live].sum(), 1e-300))
    for _ in range(HIDDEN_ITERATIONS if simple else 0):
        p = np.outer(x, x)
        ratio = values / np.maximum((p / (1 + p)) @ counts, 1e-300)
        x = np.where(live, x * np.sqrt(ratio), 0.0)
        if np.abs(ratio[live] - 1).max(initial=0.0) < 1e-10:
            break
    scales = None

    def statistic(gamma: np.ndarray) -> np.ndarray:
        nonlocal scales
        probability, scales = _tilted(x, values, counts, gamma, reference, simple, scales)
        return np.log(np.maximum(_connections(probability, counts) @ values, 1e-300))

    if structure.neighbour_degree is not None:
        target = np.interp(np.log(np.maximum(values, 1.0)), structure.log_degree, structure.neighbour_degree)
    else:
        target = (statistic(np.zeros(values.size))
                  + structure.assortativity * np.log(np.maximum(values, 1.0) / reference))
    if simple:
        gamma = _tilt_for(statistic, target)
    else:
        # landing in proportion to tilted degree: the connections' mean degree depends on the tilt alone (not on who
        # sends the tie), so it is read once on a grid of tilts and inverted for every class
        grid = np.linspace(-TILT_LIMIT, TILT_LIMIT, TILT_POINTS)
        log_ratio = np.log(np.maximum(values, 1.0) / reference)
        mass = counts[None, :] * x[None, :] * np.exp(grid[:, None] * log_ratio[None, :])
        gamma = np.interp(target, np.log(np.maximum((mass @ values) / np.maximum(mass.sum(axis=1), 1e-300), 1e-300)),
                          grid)
    probability, _ = _tilted(x, values, counts, gamma, reference, simple, scales)
    escape = -np.log1p(-np.minimum(probability, 1 - 1e-12)) / np.maximum(values, 1e-300)[:, None]
    return Landing(escape[None] * live[None, :, None], _connections(probability, counts)[None])
