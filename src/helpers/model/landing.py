"""Where a tie lands: the degrees of a member's connections, and of the people their own ties reach.

In a configuration model a tie lands on a member in proportion to the member's degree. Real social graphs
differ from it in three ways that change a member's reach, and each is a measurable fact of the graph:

- **they are simple**: nobody is anybody's connection twice, so a hub's ties cannot keep landing on the
  other hubs and spread over more people with few connections than degree-proportional landing gives (the
  structural cut-off, Boguñá, Pastor-Satorras and Vespignani, Eur. Phys. J. B 38, 2004): the chance that two
  members are connected is ``y / (1 + y)``, never above one (Park and Newman, Phys. Rev. E 70, 2004);
- **their degrees are correlated**: the connections of a member with few connections have fewer than a
  random friend has (the schools), or the fans of hubs have more. The mean log degree of the connections of
  members of each degree (``k_nn(k)``, Pastor-Satorras, Vázquez and Vespignani, Phys. Rev. Lett. 87, 2001) is
  read over a real graph's ties, and on LinkedIn set by an assumption (``reach.assortativity``);
- **their connections know each other**: the local clustering of members of degree ``k``, ``c(k)``
  (Watts and Strogatz, Nature 393, 1998), measured or assumed (``reach.clustering_*``). It sets how many of
  a member's connections close back among themselves and how much their circles overlap
  (``helpers.model.occupancy``).

The kernel is the maximum-entropy simple graph with those degrees and those degree correlations (Park and
Newman's exponential random graph with one constraint per degree class on the degree and one on the mean log
degree of the connections): ``y_ij = exp(u_i + u_j + t_i l_j + t_j l_i)``, ``l`` the log of a degree. It is
symmetric, as a graph is: every tie is counted from both of its ends, so where the fans of a hub come from is
also where the hub's ties go. (Tilting each degree's row on its own, as the previous version did, gave rows
that no graph has: hubs sent more ties to one-tie members than one-tie members sent to hubs, and on Slashdot
the friends' circles of its members with 50+ friends overlapped less than in Slashdot's own degree pairings
rewired at random.)

A :class:`Structure` holds those facts; :func:`landing` turns a degree distribution and a structure into a
:class:`Landing`: for a member of each degree class, the degree classes of their connections and how many ties
one of their ties brings to a given member of each class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers.evidence.profile import CONNECTION_CAP

#: At most this many steps of the kernel's solver, and hidden-variable iterations that start it: they stop once
#: every class's degree and its connections' mean log degree are met to ``TOLERANCE`` (relative; 15 to 120 steps
#: on the shared graphs and on LinkedIn's).
SOLVER_STEPS, HIDDEN_ITERATIONS, TOLERANCE = 500, 400, 1e-4
#: The damping of each class's own step (Levenberg-Marquardt): where a class's ties all go to one other class, its
#: degree and its connections' log degree are one equation, and the damped step still moves.
DAMPING = 1e-3
#: The tilts of the median member's connections are held within this (a connection's degree weighted by
#: ``d**±4``) and found by bisection in this many steps.
TILT_LIMIT, TILT_STEPS = 4.0, 40


@dataclass(frozen=True)
class Structure:
    """Local clustering and degree correlations by degree: what the model knows of a network beyond its degrees.

    ``log_degree`` (P,) is the support of the profiles (log of a degree), ``clustering`` (P,) the mean local
    clustering of members of that degree and ``neighbour_degree`` (P,) the mean log degree of their connections
    (over their ties); when ``neighbour_degree`` is None it is the uncorrelated one plus ``assortativity`` times
    ``log(k / mean degree)``. ``typical_degree`` (P,) is the log of the mean degree of the connections of the
    median member of that degree (below the mean over their ties where a few members hold the hubs, most
    none); when None, a member's connections are drawn from the kernel's row as it is. Profiles are held at
    their end values beyond their support.

    >>> structure = Structure.assumed(clustering_at_100=0.14, clustering_slope=0.33, assortativity=0.1)
    >>> round(float(structure.clustering_at(np.array([100.0]))[0]), 3)
    0.14
    """

    log_degree: np.ndarray
    clustering: np.ndarray
    neighbour_degree: np.ndarray | None = None
    assortativity: float = 0.0
    typical_degree: np.ndarray | None = None

    @classmethod
    def assumed(cls, clustering_at_100: float, clustering_slope: float, assortativity: float,
                top: float = CONNECTION_CAP) -> Structure:
        """``c(k) = clustering_at_100 * (k / 100) ** -clustering_slope`` (at most 1, none below 2 connections), read
        up to ``top`` connections (LinkedIn's cap unless given)."""
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
    """For a member of each degree class ``i`` (rows): ``ties[i, j]`` how many ties one of the member's ties brings
    to a given member of class ``j`` (the chance that the two are connected, per tie of the member), and
    ``alters[i, j]`` the share of the connections of the median member of class ``i`` in class ``j`` (what a
    member's connections are drawn from). Stacked per run as (R, S, S), or (1, S, S) for every run."""

    ties: np.ndarray
    alters: np.ndarray

    @classmethod
    def stacked(cls, landings: list[Landing]) -> Landing:
        """One kernel per run; a single kernel when every run has the same one."""
        if all(other is landings[0] for other in landings):
            return landings[0]
        return cls(np.concatenate([ln.ties for ln in landings]), np.concatenate([ln.alters for ln in landings]))

    def hits(self, stubs: np.ndarray) -> np.ndarray:
        """(R, S) ties expected to land on a member of each class from ``stubs`` (R, S) ties sent per class."""
        if self.ties.shape[0] == 1:
            return stubs @ self.ties[0]
        return np.einsum("rs,rst->rt", stubs, self.ties)


def _hidden(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Park and Newman's hidden variables of the uncorrelated simple graph with these degrees (``x_i x_j / (1 +
    x_i x_j)``), by fixed-point iteration from the configuration model's."""
    x = values / np.sqrt(max(float((counts * values).sum()), 1e-300))
    for _ in range(HIDDEN_ITERATIONS):
        p = np.outer(x, x)
        ratio = values / np.maximum((p / (1 + p)) @ counts, 1e-300)
        x = x * np.sqrt(ratio)
        if np.abs(ratio - 1).max(initial=0.0) < TOLERANCE:
            break
    return x


def _logistic(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))`` without overflow, in place (``z`` is a new array)."""
    z *= 0.5
    np.tanh(z, out=z)
    z += 1.0
    z *= 0.5
    return z


def _solve(values: np.ndarray, counts: np.ndarray, target: np.ndarray | None, assortativity: float) -> np.ndarray:
    """Tie probabilities (S, S) between members of the (live) classes: the maximum-entropy simple graph whose
    members of each class have that degree and whose connections have the mean log degree ``target`` (or, when
    it is None, the uncorrelated one plus ``assortativity`` times the log of the degree over the mean degree).

    The multipliers ``u, t`` minimise the convex ``1/2 sum N_i N_j log(1 + y_ij) - sum N_i d_i (u_i + t_i m_i)``,
    whose gradient is what the graph gives minus the targets. Each step is half a Newton step of every class's
    own pair ``(u_i, t_i)``, the others held (a block Jacobi iteration: no dense solve, which costs more than the
    whole kernel when other processes hold the machine's cores). Adding ``c`` to every ``t_i`` and ``-c l_i`` to
    every ``u_i`` leaves the graph as it is; after each step ``c`` is chosen to keep the ``t`` centred.
    """
    log_degree = np.log(values)
    stubs = counts * values
    weights = stubs / stubs.sum()
    centre = float(weights @ log_degree)
    ell = log_degree - centre
    u = np.log(np.maximum(_hidden(values, counts), 1e-300))
    if target is None:
        p = np.outer(np.exp(u), np.exp(u))
        p = p / (1 + p)
        uncorrelated = (p * counts[None, :]) @ ell / values
        target = uncorrelated + assortativity * (log_degree - np.log(stubs.sum() / counts.sum()))
    else:
        target = np.asarray(target, dtype=float) - centre
    # every tie is counted from both ends: the connections' log degrees, summed over everyone's ties, are the
    # members' log degrees summed over their ties; the targets are shifted to agree with it
    target = target - float(weights @ (target - ell))
    t = np.zeros(values.size)
    squares = ell**2
    for _ in range(SOLVER_STEPS):
        half = u[:, None] + t[:, None] * ell[None, :]
        p = _logistic(half + half.T)
        mass = p * counts
        by_u = mass.sum(axis=1) - values
        by_t = mass @ ell - values * target
        if max(np.abs(by_u / values).max(initial=0.0), np.abs(by_t / values).max(initial=0.0)) < TOLERANCE:
            break
        mass -= mass * p  # the curvature
        uu = mass.sum(axis=1) * (1 + DAMPING) + 1e-12 * values
        ut = mass @ ell
        tt = (mass @ squares) * (1 + DAMPING) + 1e-9 * values
        det = uu * tt - ut * ut
        u = u - 0.5 * (tt * by_u - ut * by_t) / det
        t = t - 0.5 * (uu * by_t - ut * by_u) / det
        shift = float(weights @ t)
        t, u = t - shift, u + shift * ell
    half = u[:, None] + t[:, None] * ell[None, :]
    return _logistic(half + half.T)


def _typical(rows: np.ndarray, values: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The kernel's rows (S, S) tilted by ``d ** g`` (a ``g`` per row, by bisection) so that their mean degree is
    ``target`` (S,): the connections of the median member of each class.

    A member's connections are not drawn independently of each other: some members hold several hubs, most
    none, so the median member's connections have fewer connections than a tie of that class leads to on
    average (on Slashdot, 3 to 7% fewer at 64 to 512 friends). Drawing each connection from the median
    member's row makes the median over the model's runs that of the members of that degree."""
    log_values = np.log(np.maximum(values, 1e-300))
    centred = log_values - float(rows.sum(axis=0) @ log_values / max(rows.sum(), 1e-300))
    low, high = np.full(values.size, -TILT_LIMIT), np.full(values.size, TILT_LIMIT)

    def tilted(gamma):
        mass = rows * np.exp(np.clip(gamma[:, None] * centred[None, :], -700, 700))
        return mass / np.maximum(mass.sum(axis=1, keepdims=True), 1e-300)

    for _ in range(TILT_STEPS):
        middle = (low + high) / 2
        above = tilted(middle) @ values > target
        high, low = np.where(above, middle, high), np.where(above, low, middle)
    return tilted((low + high) / 2)


def landing(values: np.ndarray, counts: np.ndarray, structure: Structure) -> Landing:
    """The kernel of the maximum-entropy simple graph with these degree classes and the structure's degree
    correlations, and the rows a member's connections are drawn from (:func:`_typical`).

    Parameters
    ----------
    values, counts : (S,) arrays
        The degree classes and how many members each holds (a class of degree 0, or of no members, neither
        sends nor receives).
    structure : Structure
        The degrees of the connections of members of each degree: the mean log degree over their ties
        (measured, or set by the assortativity) and the median member's connections' mean degree.
    """
    values = np.asarray(values, dtype=float)
    counts = np.asarray(counts, dtype=float)
    live = (values > 0) & (counts > 0)
    log_values = np.log(np.maximum(values, 1e-300))
    target = None
    if structure.neighbour_degree is not None:
        target = np.interp(log_values[live], structure.log_degree, structure.neighbour_degree)
    probability = np.zeros((values.size, values.size))
    probability[np.ix_(live, live)] = _solve(values[live], counts[live], target, structure.assortativity)
    mass = probability * counts[None, :]
    alters = mass / np.maximum(mass.sum(axis=1, keepdims=True), 1e-300)
    if structure.typical_degree is not None:
        typical = np.exp(np.interp(log_values, structure.log_degree, structure.typical_degree))
        alters = _typical(alters, values, np.where(live, typical, alters @ values))
    return Landing((probability / np.maximum(values, 1e-300)[:, None])[None], alters[None])
